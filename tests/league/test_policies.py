import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from league import policies


def visible_codes(user):
    return set(policies.organizations_for(user).values_list("code", flat=True))


def test_street_secretary_sees_only_its_own_subtree(world):
    assert visible_codes(world.users["street"]) == {"ZJ-NB-YZ-ZH", "ZJ-NB-YZ-ZH-01"}


def test_sibling_street_cannot_get_zhonghe(world):
    with pytest.raises(Http404):
        policies.get_organization(world.users["street_sibling"], world.zhonghe.pk)


def test_county_sees_both_streets_but_not_the_other_county(world):
    codes = visible_codes(world.users["county"])
    assert {"ZJ-NB-YZ-ZH", "ZJ-NB-YZ-SN", "ZJ-NB-YZ-SN-01"} <= codes
    assert "ZJ-NB-JB-ZQ" not in codes
    assert "ZJ-NB" not in codes


def test_admin_sees_everything(world):
    assert policies.scope_paths(world.users["admin"]) is None
    assert visible_codes(world.users["admin"]) == visible_codes(world.users["province"])


def test_outsider_sees_nothing(world):
    assert visible_codes(world.users["outsider"]) == set()


def test_role_limits_actions_on_visible_objects(world):
    street = world.users["street"]
    assert policies.can(street, "file", world.zhonghe)
    assert not policies.can(street, "manage", world.zhonghe)
    with pytest.raises(PermissionDenied):
        policies.get_organization(street, world.zhonghe.pk, "manage")
    instructor = world.users["instructor"]
    assert policies.can(instructor, "guide", world.zhonghe_branch)
    assert not policies.can(instructor, "file", world.zhonghe)
    assert policies.can(world.users["county"], "review", world.zhonghe)


def test_scoped_filters_related_rows(world):
    from league.models import Membership

    rows = policies.scoped(Membership.objects.all(), world.users["street_sibling"])
    assert {m.organization.code for m in rows} == {"ZJ-NB-YZ-SN"}


def test_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError):
        policies.scope_paths(world.users["street"], "fly")


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(f"/orgs/{world.zhonghe.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
