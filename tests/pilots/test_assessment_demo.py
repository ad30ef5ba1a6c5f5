"""The assessment demo: 兰州's three years and 浙江's pilot streets, idempotent."""

import pytest

from league import demo as league_demo
from pilots import demo
from pilots.assessment import services
from pilots.assessment.models import (
    AwardApplication,
    BranchRating,
    Escalation,
    Hearing,
    Inspection,
    RatingRound,
    RectificationTarget,
    Result,
    StageReview,
)
from pilots.assessment.models import TargetState as TS


@pytest.mark.django_db
def test_demo_assessments_are_complete_and_idempotent():
    world = league_demo.seed(league_demo.World())
    demo.seed(world)
    counts = [
        m.objects.count()
        for m in (StageReview, Result, BranchRating, RectificationTarget, Inspection, Hearing)
    ]
    demo.seed(world)
    assert [m.objects.count() for m in (StageReview, Result, BranchRating, RectificationTarget, Inspection,
                                        Hearing)] == counts  # fmt: skip

    lz = world["GS-LZ"]
    assert StageReview.objects.filter(scheme__program__organization=lz, state="published").count() == 3
    assert RatingRound.objects.filter(county=lz, finalized_at__isnull=False).count() == 2
    assert not services.quota_overages(RatingRound.objects.get(county=lz, year=2021))
    targets = RectificationTarget.objects.filter(branch__parent=lz)
    assert {t.state for t in targets} >= {TS.CLOSED, TS.CARRIED, TS.OPEN}
    assert targets.filter(round_number=2).exists()
    assert Inspection.objects.filter(city=lz, findings__items__isnull=False).exists()
    two_years = [p for p in services.escalation_proposals(lz, 2021) if p["years"] == 2]
    assert [p["organization"].code for p in two_years] == ["GS-LZ-ZS-12"] and two_years[0][
        "step"
    ].name == "告诫约谈"
    assert Escalation.objects.filter(city=lz).count() == 6
    assert 5 <= Hearing.objects.get(organization=lz).speakers.count() <= 8
    assert AwardApplication.objects.filter(unit__organization__code="GS-LZ-ZS-01").exists()
    zj = StageReview.objects.get(scheme__program__name="2009年街道团组织格局创新试点")
    assert zj.results.count() == 21 and zj.results.get(unit__organization__code="ZJ-NB-YZ-ZH").rank == 1

    # The pages show it: 兰州's ladder proposes the warning talk for ZS-12, with its evidence.
    from django.test import Client

    client = Client()
    client.force_login(world["user:admin"])
    zs12 = lz.children.get(code="GS-LZ-ZS-12")
    page = client.get(f"/pilots/escalation/{lz.pk}/?year=2021").content.decode()
    assert "告诫约谈" in page and zs12.name in page and "2020年" in page
    assert lz.name in client.get("/pilots/escalation/").content.decode()
    assert lz.name in client.get("/pilots/inspections/").content.decode()
    hearing = Hearing.objects.get(organization=lz)
    assert hearing.speakers.exclude(comment="").count() == hearing.speakers.count()
    assert "连续两年排名靠后" in client.get(f"/pilots/hearings/{hearing.pk}/").content.decode()
    assert client.get(f"/pilots/escalation/{lz.pk}/ranking/?year=2021").status_code == 200
