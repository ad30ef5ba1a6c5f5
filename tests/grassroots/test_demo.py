"""The demo data from seeds 002 and 004 loads, twice without duplicates."""

from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from grassroots import rollups
from grassroots.models import Handover, ReformMeasure, ThemeDay, YouthHome
from league.models import Organization


def test_seed_demo_loads_grassroots_work_idempotently(db):
    call_command("seed_demo")
    counts = (ThemeDay.objects.count(), YouthHome.objects.count(), ReformMeasure.objects.count())
    call_command("seed_demo")
    assert (ThemeDay.objects.count(), YouthHome.objects.count(), ReformMeasure.objects.count()) == counts
    lanzhou = Organization.objects.get(code="GS-LZ")
    rate = rollups.theme_day_rate(lanzhou, timezone.localdate())
    assert 0 < rate.held < rate.branches  # some branches are missing this month
    assert set(YouthHome.objects.values_list("tier", flat=True)) == {"flagship", "specialty", "shared"}
    funds = ReformMeasure.objects.filter(title="新增改革试点专项财政经费").order_by("year")
    assert [m.actual for m in funds] == [Decimal("250000.00"), Decimal("500000.00")]
    assert Handover.objects.filter(signed_at__isnull=True).count() == 1
    jiangyan = Organization.objects.get(code="JS-TZ-JY")
    assert [
        f.organization.code
        for f in rollups.per_capita_funding(jiangyan, timezone.localdate().year, rows=10).below
    ] == ["JS-TZ-JY-QH"]
