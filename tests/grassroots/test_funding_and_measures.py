"""Reform measures with typed actual values, and the youth fund per young person (≥ 3 yuan) flag."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grassroots import rollups, services
from grassroots.models import ReformMeasure, ValueType, YouthFunding
from tests.grassroots import factories as f


def test_per_capita_funding_flags_streets_below_three_yuan(world):
    year = timezone.localdate().year
    f.funding(world.zhonghe, 10000, 30000)  # exactly 3.00: fine
    f.funding(world.shounan, 9500, 20000)  # 2.11: below
    figure = rollups.per_capita_funding(world.county, year, rows=10)
    assert figure.per_capita == Decimal("2.56")
    assert [row.organization for row in figure.below] == [world.shounan]
    assert figure.below_minimum
    assert not rollups.per_capita_funding(world.zhonghe, year).below_minimum
    assert YouthFunding.objects.get(organization=world.shounan).below_minimum


def test_the_minimum_is_a_setting(world, settings):
    settings.GRASSROOTS_MIN_FUND_PER_YOUTH = "2"
    f.funding(world.shounan, 9500, 20000)
    assert not rollups.per_capita_funding(world.county, timezone.localdate().year).below_minimum


def test_county_page_shows_the_flag(world, client_for):
    f.funding(world.shounan, 9500, 20000)
    body = client_for("county").get(f"/grassroots/orgs/{world.county.pk}/").content.decode()
    assert 'data-testid="below-minimum"' in body


def test_funding_bad_input(world):
    with pytest.raises(ValidationError) as exc:
        f.funding(world.zhonghe, 0, 100)
    assert "youth_population" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        f.funding(world.zhonghe_branch, 100, 100)
    assert "organization" in exc.value.message_dict
    assert not YouthFunding.objects.exists()


def test_amounts_may_be_written_in_wan(world):
    measure = f.measure(world.county, target="25万")
    assert measure.target == Decimal("250000.00")
    services.measure_set_actual(
        by=world.users["county"], measure=measure, actual="25万", evidence="区财政预算"
    )
    measure.refresh_from_db()
    assert measure.actual == Decimal("250000.00") and measure.met


@pytest.mark.parametrize(
    "value_type, actual, message",
    [
        (ValueType.YUAN, "很多", "很多 is not a number."),
        (ValueType.NUMBER, "是", "是 is not a number."),
        (ValueType.YES_NO, "12", "Enter yes or no (是/否), not 12."),
        (ValueType.PERCENT, "120%", "A percentage cannot exceed 100."),
    ],
)
def test_actual_of_the_wrong_type_is_refused_and_nothing_changes(
    world, client_for, value_type, actual, message
):
    target = {"yuan": "25万", "number": "6", "yes_no": "是", "percent": "50"}[value_type]
    measure = f.measure(world.county, value_type=value_type, target=target)
    client = client_for("county")
    client.cookies["django_language"] = "en"
    response = client.post(f"/grassroots/measures/{measure.pk}/", {"actual": actual, "evidence": "x"})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["actual"])
    measure.refresh_from_db()
    assert measure.actual is None and measure.evidence == ""


def test_street_may_not_change_the_countys_measures(world, client_for):
    measure = f.measure(world.county)
    assert client_for("street").get(f"/grassroots/measures/{measure.pk}/").status_code == 404
    measure_zh = f.measure(world.zhonghe)
    assert (
        client_for("street").post(f"/grassroots/measures/{measure_zh.pk}/", {"actual": "1"}).status_code
        == 403
    )
    assert ReformMeasure.objects.filter(actual__isnull=False).count() == 0


def test_measure_form_creates_a_measure_grouped_by_its_lack(world, client_for):
    response = client_for("county").post(
        f"/grassroots/orgs/{world.county.pk}/add/measure/",
        {"lack": "people", "title": "增设镇街青年助力官岗位", "indicator": "镇街(个)", "year": 2022,
         "value_type": "number", "target": "6", "actual": "5", "evidence": "管理办法"},
    )  # fmt: skip
    assert response.status_code == 302
    body = client_for("county").get(f"/grassroots/orgs/{world.county.pk}/").content.decode()
    assert "增设镇街青年助力官岗位" in body and "缺人手" in body
