"""Recording a branch's monthly theme day: the rules, the bad input, and which branches are missing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots import rollups, services
from grassroots.models import ThemeDay, ThemeDayItem, ThemeDayPhoto
from tests.factories import OrganizationFactory
from tests.grassroots import factories as f


@pytest.mark.django_db
def test_the_seven_fixed_items_are_data():
    names = list(ThemeDayItem.objects.filter(active=True).values_list("name", flat=True))
    assert names == [
        "青年大学习",
        "缴纳团费",
        "民主议事",
        "团务公开",
        "支部组织生活",
        "团干部密切联系青年",
        "智慧团建网上建设",
    ]


def test_street_records_a_theme_day_with_all_seven_items(world, client_for):
    today = timezone.localdate()
    items = f.seven_items()
    response = client_for("street").post(
        f"/grassroots/orgs/{world.zhonghe.pk}/theme-days/new/",
        {
            "branch": world.zhonghe_branch.pk, "held_on": today.isoformat(), "members_present": 12,
            "members_total": 15, "items": [i.pk for i in items], "own_items": "志愿服务进社区",
            "photos": [f.png_upload()],
        },
    )  # fmt: skip
    assert response.status_code == 302
    theme_day = ThemeDay.objects.get(organization=world.zhonghe_branch)
    assert theme_day.month == today.replace(day=1)
    assert theme_day.all_items_done and theme_day.items_done == 7
    assert theme_day.recorded_by == world.users["street"]
    photo = theme_day.photos.get()
    assert photo.content_type == "image/png"
    served = client_for("street").get(f"/grassroots/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert client_for("street_sibling").get(f"/grassroots/photos/{photo.pk}/").status_code == 404


def test_recording_again_in_the_same_month_corrects_it(world):
    items = f.seven_items()
    f.theme_day(world.zhonghe_branch, items=items)
    f.theme_day(world.zhonghe_branch, present=5, items=items[:3])
    theme_day = ThemeDay.objects.get(organization=world.zhonghe_branch)
    assert theme_day.members_present == 5 and theme_day.items_done == 3 and not theme_day.all_items_done


def _post(client, world, **overrides):
    data = {
        "branch": world.zhonghe_branch.pk, "held_on": timezone.localdate().isoformat(),
        "members_present": 8, "members_total": 10,
    }  # fmt: skip
    data.update(overrides)
    return client.post(f"/grassroots/orgs/{world.zhonghe.pk}/theme-days/new/", data)


@pytest.mark.parametrize(
    "overrides, field, text",
    [
        ({"members_present": 11}, "members_present", "11 present is more than the 10 members"),
        (
            {"held_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "held_on",
            "in the future",
        ),
        ({"members_total": 0}, "members_total", "Ensure this value is greater than or equal to 1"),
        (
            {"photos": [SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")]},
            "photos",
            "is not an accepted file type",
        ),
    ],
)
def test_bad_theme_day_names_the_field_and_stores_nothing(
    world, client_for, settings, overrides, field, text
):
    settings.LANGUAGE_CODE = "en"
    client = client_for("street")
    client.cookies["django_language"] = "en"
    response = _post(client, world, **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert text in " ".join(form.errors[field])
    assert not ThemeDay.objects.exists() and not ThemeDayPhoto.objects.exists()


def test_service_refuses_attendance_above_membership_and_future_dates(world):
    with pytest.raises(ValidationError) as exc:
        f.theme_day(world.zhonghe_branch, present=30, total=20)
    assert "members_present" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        f.theme_day(world.zhonghe_branch, held_on=timezone.localdate() + datetime.timedelta(days=3))
    assert "held_on" in exc.value.message_dict
    assert not ThemeDay.objects.exists()


def test_a_street_is_not_a_branch(world):
    with pytest.raises(ValidationError) as exc:
        f.theme_day(world.zhonghe)
    assert "branch" in exc.value.message_dict


def test_sibling_secretary_cannot_record_for_zhonghe(world):
    with pytest.raises(PermissionDenied):
        services.theme_day_record(
            by=world.users["street_sibling"], branch=world.zhonghe_branch, held_on=timezone.localdate(),
            members_present=1, members_total=2, items=[],
        )  # fmt: skip


def test_missing_theme_days_lists_branches_without_this_months(world):
    other = OrganizationFactory(parent=world.zhonghe, code="ZH-02")
    month = timezone.localdate()
    assert set(rollups.missing_theme_days(month, within=world.county)) == {
        world.zhonghe_branch, other, world.shounan_branch,
    }  # fmt: skip
    f.theme_day(world.zhonghe_branch)
    assert set(rollups.missing_theme_days(month, within=world.zhonghe)) == {other}
    # A unit with units under it is not a branch itself.
    OrganizationFactory(parent=other, code="ZH-02-01")
    assert set(rollups.missing_theme_days(month, within=world.zhonghe).values_list("code", flat=True)) == {
        "ZH-02-01"
    }


def test_theme_day_rate_for_the_assessment(world):
    month = timezone.localdate()
    assert rollups.theme_day_rate(world.county, month).rate == 0
    f.theme_day(world.zhonghe_branch, present=9, total=10)
    rate = rollups.theme_day_rate(world.county, month)
    assert (rate.branches, rate.held, rate.complete) == (2, 1, 1)
    assert rate.rate == 50 and rate.attendance_rate == 90
    f.theme_day(world.shounan_branch, present=1, total=10, items=f.seven_items()[:2])
    rate = rollups.theme_day_rate(world.county, month)
    assert (rate.rate, rate.complete_rate, rate.attendance_rate) == (100, 50, 50)
    rows = {r.organization: r for r in rollups.theme_day_rollup(world.county, month)}
    assert rows[world.zhonghe].complete == 1 and rows[world.shounan].complete == 0
    assert rollups.theme_day_rate(world.zhuangqiao, month).rate is None  # no branch: no rate


def test_theme_days_export_to_excel(world, client_for):
    f.theme_day(world.zhonghe_branch)
    response = client_for("county").get(f"/grassroots/orgs/{world.county.pk}/theme-days/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for c in sheet[2]]
    assert "中河街道划船社区团支部" in values


def test_list_filters_missing_branches(world, client_for):
    f.theme_day(world.zhonghe_branch)
    body = (
        client_for("county")
        .get(f"/grassroots/orgs/{world.county.pk}/theme-days/?status=missing")
        .content.decode()
    )
    assert "首南街道首南社区团支部" in body and "中河街道划船社区团支部" not in body
