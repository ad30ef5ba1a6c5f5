"""The number of organizations at each level is kept by the database (league.models.LevelCount, triggers of
migration 0013) in the statement that writes the organizations: a platform admin's home and tree read it
instead of counting every organization, and it always equals that count."""

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from league import services
from league.models import Level, LevelCount, Organization
from tests.factories import OrganizationFactory


def counted() -> dict[str, int]:
    return dict(Organization.objects.order_by().values_list("level").annotate(n=Count("*")))


def kept() -> dict[str, int]:
    return {level: n for level, n in LevelCount.as_dict().items() if n}


def test_the_world_is_counted(world):
    assert kept() == counted() and counted()[Level.STREET] == 3
    # as_dict, read with a cursor, is the ORM's rows (zeros included, as ints)
    orm = dict(LevelCount.objects.values_list("level", "n"))
    assert LevelCount.as_dict() == orm and all(type(n) is int for n in orm.values())


def test_created_one_by_one_and_in_bulk(world):
    services.organization_create(by=world.users["county"], code="ZJ-NB-YZ-NEW", name="新街道",
                                 level=Level.STREET, parent=world.county)  # fmt: skip
    OrganizationFactory(parent=world.zhonghe)
    Organization.objects.bulk_create(
        [
            Organization(code=f"B{i}", name=f"支部{i}", level=Level.GRASSROOTS, parent=world.shounan)
            for i in range(30)
        ]
    )
    assert kept() == counted() and counted()[Level.STREET] == 4


def test_a_change_of_level_moves_one_from_a_level_to_the_other(world):
    before = counted()
    Organization.objects.filter(pk=world.zhonghe_branch.pk).update(level=Level.STREET)
    assert kept() == counted() == {**before, Level.STREET: before[Level.STREET] + 1,
                                   Level.GRASSROOTS: before[Level.GRASSROOTS] - 1}  # fmt: skip
    Organization.objects.filter(pk=world.zhonghe.pk).update(name="改名", level=Level.STREET)  # the same level
    assert kept() == counted()


def test_moving_a_subtree_changes_no_count(world):
    before = counted()
    world.zhonghe.parent = world.other_county_org
    world.zhonghe.save()
    assert kept() == counted() == before


def test_deleted(world):
    world.zhonghe_branch.delete()
    Organization.objects.filter(pk=world.shounan_branch.pk).delete()
    assert kept() == counted() and Level.GRASSROOTS not in counted()


def test_a_rolled_back_write_leaves_the_counts(world):
    before = kept()
    with pytest.raises(RuntimeError), transaction.atomic():
        OrganizationFactory(parent=world.zhonghe)
        world.shounan_branch.delete()
        raise RuntimeError
    assert kept() == before == counted()


@pytest.mark.parametrize("path", ["/", "/orgs/", "/orgs/?q=街道"])
def test_the_admin_reads_the_kept_counts_not_every_organization(world, client_for, path):
    Organization.objects.bulk_create(
        [
            Organization(code=f"B{i}", name=f"支部{i}", level=Level.GRASSROOTS, parent=world.shounan)
            for i in range(7)
        ]
    )
    client = client_for("admin")
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    labels = dict(Level.choices)
    assert response.context["level_counts"] == [
        (labels[level], counted().get(level, 0)) for level in Level.values
    ]
    by_level = [q for q in ctx.captured_queries if '"league_organization"."level" AS "level"' in q["sql"]]
    assert by_level == [] and any("league_levelcount" in q["sql"] for q in ctx.captured_queries)


def test_a_province_still_counts_its_subtree(world, client_for):
    OrganizationFactory(code="OTHER", name="团江苏省委", level=Level.PROVINCE, parent=None)
    response = client_for("province").get("/orgs/")
    labels = dict(Level.choices)
    assert dict(response.context["level_counts"])[labels[Level.PROVINCE]] == 1 and kept()[Level.PROVINCE] == 2


def test_the_pages_level_counts_are_the_orms(world):
    """The home and organization pages count a scope's or a subtree's organizations by level in SQL of their
    own (league.views._level_counts): the same figures as the ORM's count over path__startswith, for every
    persona's scope (roots and single organizations) and every organization's subtree less itself."""
    from league import policies
    from league.views import _level_counts

    labels = dict(Level.choices)

    def orm(queryset):
        counts = dict(queryset.order_by().values_list("level").annotate(n=Count("*")))
        return [(labels[level], counts.get(level, 0)) for level in Level.values]

    OrganizationFactory(parent=world.zhonghe_branch)  # a unit under a branch
    for name, user in world.users.items():
        scope = policies.scope_split(user, "view")
        if scope is not None:
            assert _level_counts(*scope) == orm(policies.organizations_for(user)), name
    # Roots and single organizations (an instructor's units) together.
    roots, singles = [world.shounan.path, world.other_county_org.path], [world.zhonghe.path, world.city.path]
    both = Q(path__in=singles) | Q(path__startswith=roots[0]) | Q(path__startswith=roots[1])
    assert _level_counts(roots, singles) == orm(Organization.objects.filter(both))
    for organization in Organization.objects.all():
        expected = orm(organization.descendants())
        assert _level_counts([organization.path], excluding=organization.pk) == expected, organization
    assert _level_counts([], []) == orm(Organization.objects.none())
