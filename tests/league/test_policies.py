import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from league import policies
from league.models import Organization


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


def test_scope_is_kept_per_user_object_and_forget_drops_it(world, django_assert_num_queries):
    """A page asks the scope ~20 times: worked out once per user object; a role given shows after forget()."""
    from league.models import Role
    from tests.factories import MembershipFactory

    user = world.users["street_sibling"]
    assert not policies.can(user, "view", world.zhonghe)
    with django_assert_num_queries(0):
        assert policies.scope_paths(user) == policies.scope_paths(user)
        assert not policies.can(user, "view", world.zhonghe)
    MembershipFactory(user=user, organization=world.zhonghe, role=Role.SECRETARY)
    policies.forget(user)
    assert policies.can(user, "view", world.zhonghe) and policies.can(user, "file", world.zhonghe)
    user.is_superuser = True  # the kept scope follows the flag read live by is_platform_admin
    assert policies.scope_paths(user) is None
    user.is_superuser = False
    assert policies.scope_paths(user) is not None


@pytest.mark.parametrize("name", ["street", "county", "province", "admin", "instructor", "outsider"])
def test_scope_root_list_is_scope_roots_in_path_order(world, name):
    user = world.users[name]
    expected = list(policies.scope_roots(user).order_by("path"))
    assert policies.scope_root_list(user) == expected
    assert policies.scope_root_list(user, 1) == expected[:1]
    fields = [
        f.attname for f in Organization._meta.concrete_fields
    ]  # every column, converted as the ORM does
    for limit in (None, 1, 2):
        policies.forget(user)
        assert [[getattr(o, f) for f in fields] for o in policies.scope_root_list(user, limit)] == [
            [getattr(o, f) for f in fields] for o in expected[:limit]
        ]


def test_scope_root_list_reads_an_admins_roots_once_for_as_many_or_fewer(world, django_assert_num_queries):
    user = world.users["admin"]
    expected = list(policies.scope_roots(user).order_by("path"))
    policies.memberships(user)
    with django_assert_num_queries(1):
        assert policies.scope_root_list(user, 3) == expected[:3]
        assert policies.scope_root_list(user, 1) == expected[:1]
        assert policies.scope_root_list(user, 3) == expected[:3]
    with django_assert_num_queries(1):  # more than were read: read again, then kept
        assert policies.scope_root_list(user) == expected
        assert policies.scope_root_list(user, 5) == expected[:5]
    policies.forget(user)  # dropped with the scopes
    policies.memberships(user)
    with django_assert_num_queries(1):
        assert policies.scope_root_list(user, 1) == expected[:1]


def test_scope_root_list_takes_a_secretarys_roots_from_the_memberships(world, django_assert_num_queries):
    user = world.users["street"]
    policies.memberships(user)
    with django_assert_num_queries(0):
        roots = policies.scope_root_list(user, 3)
    assert roots == [world.zhonghe] and roots[0].name == world.zhonghe.name


def test_memberships_are_whole_organizations_in_path_and_role_order(world, django_assert_num_queries):
    """memberships() reads its rows with SQL of its own (one query): the same as Membership's ordering
    (organization path, role) with select_related, every field of each organization loaded and typed."""
    from league.models import Membership, Role
    from tests.factories import MembershipFactory, UserFactory

    user = world.users["outsider"]
    for organization, role in [
        (world.shounan_branch, Role.SECRETARY),
        (world.county, Role.STAFF),
        (world.zhonghe, Role.SECRETARY),
        (world.zhonghe, Role.INSTRUCTOR),
    ]:
        MembershipFactory(user=user, organization=organization, role=role)
    MembershipFactory(
        user=world.users["city"], organization=world.zhuangqiao, role=Role.STAFF
    )  # not the user's
    policies.forget(user)
    with django_assert_num_queries(1):
        rows = policies.memberships(user)
    expected = [
        (m.role, m.organization.path, m.organization)
        for m in Membership.objects.filter(user=user).select_related("organization")
    ]
    assert [(role, path, org.pk) for role, path, org in rows] == [(r, p, o.pk) for r, p, o in expected]
    assert [role for role, _, _ in rows] == [Role.STAFF, Role.INSTRUCTOR, Role.SECRETARY, Role.SECRETARY]
    with django_assert_num_queries(0):
        for (_, _, got), (_, _, want) in zip(rows, expected, strict=True):
            for field in got._meta.concrete_fields:
                assert getattr(got, field.attname) == getattr(want, field.attname), field.name
            assert not hasattr(got, "league_membership_role") and got._state.adding is False
    assert policies.memberships(user) is rows  # kept on the user object
    assert policies.memberships(UserFactory()) == []


def test_get_organization_finds_what_the_scoped_queryset_finds_for_every_persona(
    world, django_assert_num_queries
):
    """The same organizations as organizations_for(user).get(pk=...) (404 for the rest, bad ids included), one's
    own read from the memberships without a query, as a copy the page may change without touching them."""
    from league.models import Organization

    every = list(Organization.objects.all())
    for name, user in world.users.items():
        seen = set(policies.organizations_for(user).values_list("pk", flat=True))
        assert seen or name in ("outsider", "instructor")  # no unit assigned to the instructor here
        for organization in every:
            if organization.pk in seen:
                assert policies.get_organization(user, str(organization.pk)).path == organization.path
            else:
                with pytest.raises(Http404):
                    policies.get_organization(user, organization.pk)
        for bad in (
            None,
            "",
            "x",
            "1.5",
            max(seen | {0}) + 1000,
            -1,
            2**63,
            10**30,
        ):  # out of the column's range
            with pytest.raises(Http404):
                policies.get_organization(user, bad)
    street = world.users["street"]
    policies.memberships(street)
    with django_assert_num_queries(0):
        own = policies.get_organization(street, world.zhonghe.pk)
    own.name = "changed on the page"
    assert policies.memberships(street)[0][2].name == world.zhonghe.name


def test_an_organization_read_by_id_is_the_orms(world, django_assert_num_queries):
    """policies._organization_by_id (SQL written once) gives Organization.objects.get(pk=...): every field, with
    its converted type; None for an id no row has, without a query for one no row can have."""
    from league.models import Organization

    for organization in Organization.objects.all():
        with django_assert_num_queries(1):
            read = policies._organization_by_id(organization.pk)
        assert [getattr(read, f.attname) for f in Organization._meta.concrete_fields] == [
            getattr(organization, f.attname) for f in Organization._meta.concrete_fields
        ]
        assert read.created_at.tzinfo is not None and not read.get_deferred_fields()
    assert policies._organization_by_id(Organization.objects.order_by("-pk")[0].pk + 1) is None
    with django_assert_num_queries(0):
        assert (
            policies._organization_by_id(2**63) is None and policies._organization_by_id(-(2**63) - 1) is None
        )
