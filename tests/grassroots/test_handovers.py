"""A successor's seat counts as filled only once the handover checklist is signed by someone inside."""

import pytest
from django.core.exceptions import ValidationError

from grassroots import services
from grassroots.models import Handover, YouthOfficer
from tests.grassroots import factories as f


def test_the_seat_counts_only_after_signing(world, client_for):
    handover = f.handover(world.zhonghe)
    assert YouthOfficer.objects.serving().count() == 1
    assert YouthOfficer.objects.counting().count() == 0
    client = client_for("street")
    ids = [str(i.pk) for i in handover.items.all()]
    # Signing with an item not done: refused, and the ticks are not kept either.
    response = client.post(
        f"/grassroots/handovers/{handover.pk}/update/", {"done": ids[:-1], "sign": "1"}, follow=True
    )
    assert "Not yet handed over" in response.content.decode() or "尚未交接" in response.content.decode()
    handover.refresh_from_db()
    assert not handover.is_signed and not handover.items.filter(done=True).exists()
    client.post(f"/grassroots/handovers/{handover.pk}/update/", {"done": ids, "sign": "1"})
    handover.refresh_from_db()
    assert handover.is_signed and handover.signed_by == world.users["street"]
    assert YouthOfficer.objects.counting().get().name == "郑晓雯"


def test_signed_by_someone_outside_the_organization_is_refused(world):
    handover = f.handover(world.zhonghe)
    handover.items.update(done=True)
    with pytest.raises(ValidationError) as exc:
        services.handover_sign(handover=handover, signed_by=world.users["street_sibling"])
    assert "signed_by" in exc.value.message_dict
    assert (
        "cannot sign" in exc.value.message_dict["signed_by"][0]
        or "无权" in exc.value.message_dict["signed_by"][0]
    )
    for outsider in ("instructor", "other_county", "outsider"):
        with pytest.raises(ValidationError):
            services.handover_sign(handover=handover, signed_by=world.users[outsider])
    assert not Handover.objects.get(pk=handover.pk).is_signed


def test_county_staff_may_sign_a_streets_handover(world):
    handover = f.handover(world.zhonghe)
    handover.items.update(done=True)
    services.handover_sign(handover=handover, signed_by=world.users["county"])
    assert Handover.objects.get(pk=handover.pk).is_signed


def test_officer_form_opens_a_handover_when_replacing(world, client_for):
    outgoing = f.officer(world.zhonghe, "周明轩")
    response = client_for("street").post(
        f"/grassroots/orgs/{world.zhonghe.pk}/add/officer/",
        {
            "post": "青年助力官",
            "name": "郑晓雯",
            "full_time": "on",
            "started_on": "2022-03-01",
            "replacing": outgoing.pk,
        },
    )
    assert response.status_code == 302
    outgoing.refresh_from_db()
    assert outgoing.left_on.isoformat() == "2022-03-01"
    assert Handover.objects.get(outgoing=outgoing).incoming.name == "郑晓雯"
