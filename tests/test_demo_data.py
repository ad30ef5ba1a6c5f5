"""The demo data (`seed_demo`): every app's part follows its seed document, and loading twice adds nothing.

The whole demo is loaded once for this module (twice, to prove idempotence) inside one transaction that is
rolled back at the end; each test runs in a savepoint inside it. Loading the demo takes 30–60 s on this
machine, so one load for every app's checks instead of one per app keeps `make test` short.
"""

import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase
from django.utils import timezone

from elections.models import Election, Post, State
from grassroots import rollups
from grassroots.models import Handover, ReformMeasure, YouthHome
from league.lineups import completion_stats, lineup_statuses
from league.models import Level, Membership, Notice, Organization, Person, SeatRole
from pilots.assessment import services as assessment
from pilots.assessment.models import (
    AwardApplication,
    Escalation,
    Hearing,
    Inspection,
    RatingRound,
    RectificationTarget,
    StageReview,
)
from pilots.assessment.models import TargetState as TS
from pilots.funds import stats as fund_stats
from pilots.funds.models import Fund
from pilots.guidance import stats
from pilots.guidance.models import Pair, Visit
from pilots.models import Briefing, Milestone, PilotProgram, Report, ReportSlot, ReportState

# Rows a second load may legitimately add: audit trails of the updates it makes, and sessions.
GROWS_ON_RELOAD = {"sessions.session"}


class DemoWorld:
    """world["ZJ-NB-YZ-ZH"] is an organization by code, world["user:county"] a persona by username."""

    def __getitem__(self, key: str):
        if key.startswith("user:"):
            return get_user_model().objects.get(username=key.removeprefix("user:"))
        return Organization.objects.get(code=key)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.label_lower.split(".")[1].startswith("historical")
        and model._meta.label_lower not in GROWS_ON_RELOAD
    }


@pytest.fixture(scope="module")
def loads(django_db_setup, django_db_blocker):
    """Row counts after the first and the second load; the data stays until the module ends."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", verbosity=0, stdout=io.StringIO())
            first = _row_counts()
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", verbosity=0, stdout=io.StringIO())
            second = _row_counts()
            yield first, second
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(loads, db):
    return DemoWorld()


def test_loading_the_demo_twice_adds_nothing(loads, db):
    first, second = loads
    changed = {label: (first[label], second[label]) for label in first if first[label] != second[label]}
    assert changed == {}
    assert first["league.organization"] > 100 and first["pilots.report"] > 0


# league: the tree and personas (seeds 000–004), lineups (seeds 000, 001)


def test_the_seed_tree_and_personas(world):
    luqiao = world["ZJ-TZ-LQ-LQ"]
    assert luqiao.children.count() == 44
    assert luqiao.regions.count() == 5
    assert Organization.objects.filter(parent__code="ZJ", level=Level.CITY).count() == 11
    assert Membership.objects.get(user__username="street").organization.name == "鄞州区中河街道团工委"
    assert Membership.objects.get(user__username="street_sibling").organization.name == "鄞州区首南街道团工委"


def test_demo_lineups_follow_the_seeds(world):
    zh = world["ZJ-NB-YZ-ZH"]
    status = lineup_statuses(Organization.objects.filter(pk=zh.pk))[zh.pk]
    assert status.complete
    assert (status.counts.secretaries, status.counts.deputies, status.counts.members) == (1, 4, 6)
    assert Person.objects.filter(organization=zh).count() == 53
    groups = set(
        Person.objects.filter(organization=world["ZJ-JX-NH-XX"], seats__role=SeatRole.DEPUTY).values_list(
            "youth_group", flat=True
        )
    )
    assert groups == {"餐饮娱乐", "电子商务", "教育系统", "96345社区服务中心", "大学生村官"}
    stats_ = completion_stats(world["ZJ-NB-YZ"].subtree())
    assert 0 < stats_.total.complete < stats_.total.units
    assert stats_.total.secretary_vacant == 1
    assert Notice.objects.filter(kind="secretary_vacant", recipient__username="county").count() == 1
    term = world["ZJ-TZ-LQ-LQ"].terms.get()
    regions = {a.region.name for s in term.seats.filter(role=SeatRole.DEPUTY) for a in s.assignments.all()}
    assert len(regions) == 5


# elections (seed 000)


def test_zhonghe_election_as_the_seed_tells_it(world):
    e = Election.objects.get(organization__code="ZJ-NB-YZ-ZH")
    assert e.state == State.APPOINTED and e.meeting_date.month == 12 and e.meeting_date.day == 9
    assert e.candidates.count() == 53
    assert e.candidates.filter(is_formal=True).count() == 13
    assert e.candidates.filter(post=Post.SECRETARY).count() == 1
    assert e.candidates.filter(post=Post.DEPUTY).count() == 4
    assert e.candidates.filter(post=Post.MEMBER).count() == 6
    states = dict(Election.objects.values_list("organization__code", "state"))
    assert states["ZJ-NB-YZ-SN"] == State.CONGRESS and states["ZJ-NB-YZ-ZGM"] == State.PUBLICITY
    assert Election.objects.count() == 4


def test_every_demo_election_page_renders(world):
    client = Client()
    client.force_login(world["user:county"])
    for e in Election.objects.all():
        for page in ["", "rules/", "candidates/", "formal/", "roll/", "congress/", "report/", "publicity/"]:
            assert client.get(f"/elections/{e.pk}/{page}").status_code == 200, (e, page)
        for rnd in e.rounds.all():
            assert client.get(f"/elections/rounds/{rnd.pk}/").status_code == 200
    assert client.get(f"/orgs/{world['ZJ-NB-YZ-ZH'].pk}/").status_code == 200
    public = Client().get("/public/elections/").content.decode()
    assert "钟公庙" in public and "首南" not in public


# pilots: programs and reports (all seeds), guidance and funds (seed 003), assessments (seeds 000, 004)


def test_demo_programs_have_reports_in_every_state(world):
    zj = PilotProgram.objects.get(name="2009年街道团组织格局创新试点")
    assert zj.units.count() == 21
    assert zj.units.values("organization__parent__parent").distinct().count() == 11  # 11 cities
    schedule = zj.schedules.get()
    assert (schedule.frequency, schedule.reporting_level) == ("weekly", "city")
    assert Milestone.objects.filter(unit__program=zj, due_on__month=12, due_on__day=30).count() == 21
    assert [p.name for p in PilotProgram.objects.get(name__startswith="2012年").phases.all()] == [
        "准备",
        "实施",
        "总结",
    ]
    live = PilotProgram.objects.active().get(organization__code="ZJ-NB-YZ")
    states = set(Report.objects.filter(slot__program=live).values_list("state", flat=True))
    assert states == {ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED, ReportState.ACCEPTED}
    slots = ReportSlot.objects.filter(program=live)
    assert slots.late().exists() and slots.overdue().exists() and slots.due().exists()
    mine = ReportSlot.objects.for_user(world["user:street"], "file").filter(program=live)
    assert mine.returned().exists() and mine.due().exists()
    assert Report.objects.filter(versions__number=2).exists()
    assert Briefing.objects.published().filter(program=zj).count() == 2
    for name in [
        "2010年静海县基层团组织建设试点",
        "姜堰区县域共青团基层组织改革试点",
        "兰州市基层团组织规范化建设三年行动（2019—2021）",
    ]:
        assert Report.objects.filter(slot__program__name=name).exists(), name


def test_jinghai_replays_seed_003s_figures(world):
    program = PilotProgram.objects.get(name="2010年静海县基层团组织建设试点")
    totals = stats.program_totals(program, Visit.objects.all())
    t = totals["total"]
    assert (totals["instructors"], t.visits, t.activities, t.solved, t.funds) == (
        5,
        15,
        5,
        7,
        Decimal("4000.00"),
    )
    pairs = stats.sum_pairs(stats.pair_totals(Pair.objects.filter(program=program)))
    assert (pairs["pairs"], pairs["meetings"], pairs["agreements"]) == (5, 6, 7)
    assert {p.organ.name for p in Pair.objects.filter(unit__organization__code="TJ-JH-YHXX")} == {
        "国家税务局静海县团总支"
    }
    s = fund_stats.summary(Fund.objects.get(name="静海县试点工作基金"))
    assert (s["sources"], s["balance"], s["pending_n"]) == (Decimal("10000.00"), Decimal("10000.00"), 2)
    assert Visit.objects.filter(instructor__username="instructor").count() == 2


def test_demo_assessments_lanzhou_three_years_and_zhejiang_streets(world):
    lz = world["GS-LZ"]
    assert StageReview.objects.filter(scheme__program__organization=lz, state="published").count() == 3
    assert RatingRound.objects.filter(county=lz, finalized_at__isnull=False).count() == 2
    assert not assessment.quota_overages(RatingRound.objects.get(county=lz, year=2021))
    targets = RectificationTarget.objects.filter(branch__parent=lz)
    assert {t.state for t in targets} >= {TS.CLOSED, TS.CARRIED, TS.OPEN}
    assert targets.filter(round_number=2).exists()
    assert Inspection.objects.filter(city=lz, findings__items__isnull=False).exists()
    two_years = [p for p in assessment.escalation_proposals(lz, 2021) if p["years"] == 2]
    assert [p["organization"].code for p in two_years] == ["GS-LZ-ZS-12"]
    assert two_years[0]["step"].name == "告诫约谈"
    assert Escalation.objects.filter(city=lz).count() == 6
    assert 5 <= Hearing.objects.get(organization=lz).speakers.count() <= 8
    assert AwardApplication.objects.filter(unit__organization__code="GS-LZ-ZS-01").exists()
    zj = StageReview.objects.get(scheme__program__name="2009年街道团组织格局创新试点")
    assert zj.results.count() == 21 and zj.results.get(unit__organization__code="ZJ-NB-YZ-ZH").rank == 1


def test_demo_assessment_pages_show_the_ladder_inspections_and_hearings(world):
    """兰州's ladder proposes the warning talk for ZS-12, with its evidence."""
    lz = world["GS-LZ"]
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


# grassroots (seeds 002, 004)


def test_grassroots_work_of_lanzhou_and_jiangyan(world):
    rate = rollups.theme_day_rate(world["GS-LZ"], timezone.localdate())
    assert 0 < rate.held < rate.branches  # some branches are missing this month
    assert set(YouthHome.objects.values_list("tier", flat=True)) == {"flagship", "specialty", "shared"}
    funds = ReformMeasure.objects.filter(title="新增改革试点专项财政经费").order_by("year")
    assert [m.actual for m in funds] == [Decimal("250000.00"), Decimal("500000.00")]
    assert Handover.objects.filter(signed_at__isnull=True).count() == 1
    below = rollups.per_capita_funding(world["JS-TZ-JY"], timezone.localdate().year, rows=10).below
    assert [f.organization.code for f in below] == ["JS-TZ-JY-QH"]
