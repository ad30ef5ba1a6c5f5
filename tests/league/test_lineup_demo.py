"""The demo lineups follow the seeds and make the statistics mean something."""

import pytest
from django.core.management import call_command

from league.lineups import completion_stats, lineup_statuses
from league.models import Notice, Organization, Person, SeatRole, Term


@pytest.mark.django_db(transaction=True)
def test_demo_lineups_follow_the_seeds_and_seeding_twice_changes_nothing():
    call_command("seed_demo")
    seats = Term.objects.count(), Person.objects.count()
    call_command("seed_demo")
    assert (Term.objects.count(), Person.objects.count()) == seats
    zh = Organization.objects.get(code="ZJ-NB-YZ-ZH")
    status = lineup_statuses(Organization.objects.filter(pk=zh.pk))[zh.pk]
    assert status.complete
    assert (status.counts.secretaries, status.counts.deputies, status.counts.members) == (1, 4, 6)
    assert Person.objects.filter(organization=zh).count() == 53
    xx = Organization.objects.get(code="ZJ-JX-NH-XX")
    groups = set(
        Person.objects.filter(organization=xx, seats__role=SeatRole.DEPUTY).values_list(
            "youth_group", flat=True
        )
    )
    assert groups == {"餐饮娱乐", "电子商务", "教育系统", "96345社区服务中心", "大学生村官"}
    yz = Organization.objects.get(code="ZJ-NB-YZ")
    stats = completion_stats(yz.subtree())
    assert 0 < stats.total.complete < stats.total.units
    assert stats.total.secretary_vacant == 1
    assert Notice.objects.filter(kind="secretary_vacant", recipient__username="county").count() == 1
    lq = Organization.objects.get(code="ZJ-TZ-LQ-LQ")
    term = lq.terms.get()
    regions = {a.region.name for s in term.seats.filter(role=SeatRole.DEPUTY) for a in s.assignments.all()}
    assert len(regions) == 5
