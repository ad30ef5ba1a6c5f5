"""Who may see and record grassroots work, with the personas."""

import pytest
from django.utils import timezone

from grassroots.models import Lecture, YouthHome
from tests.grassroots import factories as f
from tests.pilots.factories import assign_instructor


@pytest.mark.parametrize(
    "persona, status",
    [("street", 200), ("county", 200), ("instructor", 404), ("street_sibling", 404), ("other_county", 404)],
)
def test_theme_day_form_for_zhonghe(world, client_for, persona, status):
    """An instructor with no pilot unit assigned at 中河 does not see it (league.policies)."""
    assert (
        client_for(persona).get(f"/grassroots/orgs/{world.zhonghe.pk}/theme-days/new/").status_code == status
    )


def test_the_form_offers_only_branches_in_scope(world, client_for):
    body = client_for("street").get(f"/grassroots/orgs/{world.zhonghe.pk}/theme-days/new/").content.decode()
    assert "中河街道划船社区团支部" in body and "首南" not in body


def test_a_branch_of_another_street_cannot_be_posted(world, client_for):
    response = client_for("street").post(
        f"/grassroots/orgs/{world.zhonghe.pk}/theme-days/new/",
        {"branch": world.shounan_branch.pk, "held_on": timezone.localdate().isoformat(), "members_present": 1,
         "members_total": 2},
    )  # fmt: skip
    assert response.status_code == 200 and "branch" in response.context["form"].errors


def test_instructor_sees_but_does_not_record(world, client_for):
    assign_instructor(world)  # 中河's pilot unit: the instructor now sees 中河
    client = client_for("instructor")
    response = client.get(f"/grassroots/orgs/{world.zhonghe.pk}/")
    assert response.status_code == 200
    assert 'data-testid="record-theme-day"' not in response.content.decode()
    assert client.get(f"/grassroots/orgs/{world.zhonghe.pk}/theme-days/new/").status_code == 403
    assert client.post(f"/grassroots/orgs/{world.zhonghe.pk}/add/lecture/", {}).status_code == 403
    assert not Lecture.objects.exists()


def test_street_registers_a_youth_home_and_records_an_activity(world, client_for):
    client = client_for("street")
    response = client.post(
        f"/grassroots/orgs/{world.zhonghe.pk}/add/home/",
        {
            "name": "中河青年之家专营店",
            "tier": "specialty",
            "address": "中河街道党群服务中心",
            "opening_hours": "周末",
        },
    )
    assert response.status_code == 302
    home = YouthHome.objects.get()
    response = client.post(
        f"/grassroots/homes/{home.pk}/activities/new/",
        {"held_on": timezone.localdate().isoformat(), "title": "读书会", "participants": 30},
    )
    assert response.status_code == 302 and home.activities.get().participants == 30
    assert client_for("street_sibling").get(f"/grassroots/homes/{home.pk}/activities/new/").status_code == 404


def test_duplicate_youth_home_names_the_field(world, client_for):
    f.home(world.zhonghe, name="中河青年之家")
    response = client_for("street").post(
        f"/grassroots/orgs/{world.zhonghe.pk}/add/home/",
        {"name": "中河青年之家", "tier": "specialty", "address": "x"},
    )
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert YouthHome.objects.count() == 1


def test_funding_form_only_for_streets_and_transfer_only_for_cities(world, client_for):
    assert client_for("county").get(f"/grassroots/orgs/{world.county.pk}/add/funding/").status_code == 404
    assert client_for("street").get(f"/grassroots/orgs/{world.zhonghe.pk}/add/funding/").status_code == 200
    assert client_for("city").get(f"/grassroots/orgs/{world.city.pk}/add/transfer/").status_code == 200
    assert client_for("street").get(f"/grassroots/orgs/{world.zhonghe.pk}/add/transfer/").status_code == 404
    assert client_for("street").get(f"/grassroots/orgs/{world.zhonghe.pk}/add/nonsense/").status_code == 404


def test_pages_are_reachable_from_navigation_and_the_organization_page(world, client_for):
    client = client_for("street")
    assert 'href="/grassroots/"' in client.get("/").content.decode()
    body = client.get(f"/orgs/{world.zhonghe.pk}/").content.decode()
    assert f'href="/grassroots/orgs/{world.zhonghe.pk}/"' in body
    assert f'href="/grassroots/orgs/{world.zhonghe.pk}/theme-days/new/"' in body


def test_gap_closes_and_the_list_shrinks(world, client_for):
    gap = f.gap(world.zhonghe)
    client = client_for("street")
    assert "某民办学校" in client.get(f"/grassroots/orgs/{world.zhonghe.pk}/").content.decode()
    response = client.post(f"/grassroots/gaps/{gap.pk}/close/", {"closed_on": "2019-04-01"})
    assert response.status_code == 200 and "closed_on" in response.context["form"].errors
    client.post(f"/grassroots/gaps/{gap.pk}/close/", {"closed_on": "2019-10-01"})
    body = client.get(f"/grassroots/orgs/{world.zhonghe.pk}/").content.decode()
    assert (
        'data-testid="gaps">\n    \n    </ul>' in body
        or "某民办学校" not in body.split('data-testid="gaps"')[1][:300]
    )
