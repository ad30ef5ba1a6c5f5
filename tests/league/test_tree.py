import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from league.models import Level, Organization
from tests.factories import OrganizationFactory


def test_paths_reflect_ancestry(world):
    assert world.zhonghe.path == world.county.path + f"{world.zhonghe.pk:08d}."
    assert world.zhonghe.depth == 3
    assert [o.pk for o in world.zhonghe_branch.ancestors()] == [
        world.province.pk, world.city.pk, world.county.pk, world.zhonghe.pk,
    ]  # fmt: skip


def test_subtree_excludes_siblings(world):
    names = set(world.zhonghe.subtree().values_list("name", flat=True))
    assert names == {"鄞州区中河街道团工委", "中河街道划船社区团支部"}
    assert world.shounan_branch not in world.zhonghe.subtree()


@pytest.mark.parametrize("extra", [3, 60])
def test_subtree_and_ancestors_cost_one_query_each(world, extra):
    parent = world.zhonghe_branch
    for i in range(extra):
        parent = (
            OrganizationFactory(parent=parent, code=f"DEEP-{i}")
            if i % 2
            else OrganizationFactory(parent=world.zhonghe, code=f"WIDE-{i}")
        )
    deepest = Organization.objects.order_by("-depth").first()
    total = Organization.objects.filter(path__startswith=world.province.path).count()
    with CaptureQueriesContext(connection) as ctx:
        assert len(list(world.province.subtree())) == total
        assert len(list(deepest.ancestors())) == deepest.depth
    assert len(ctx.captured_queries) == 2


def test_moving_an_organization_rewrites_its_subtree(world):
    street = world.zhonghe
    street.parent = world.other_county_org
    street.save()
    world.zhonghe_branch.refresh_from_db()
    assert world.zhonghe_branch.path.startswith(world.other_county_org.path)
    assert world.zhonghe_branch in world.other_county_org.subtree()
    assert world.zhonghe_branch not in world.county.subtree()
    assert world.zhonghe_branch.depth == 4


def test_cannot_place_under_own_descendant(world):
    world.zhonghe.parent = world.zhonghe_branch
    with pytest.raises(ValidationError) as exc:
        world.zhonghe.full_clean()
    assert "parent" in exc.value.message_dict


def test_level_must_be_below_parent(world):
    org = Organization(code="X1", name="错误的县", level=Level.COUNTY, parent=world.zhonghe)
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "level" in exc.value.message_dict
    assert not Organization.objects.filter(code="X1").exists()


def test_grassroots_may_nest_under_grassroots(world):
    org = Organization(
        code="X2", name="团总支下的团支部", level=Level.GRASSROOTS, parent=world.zhonghe_branch
    )
    org.full_clean()


def test_subtree_end_bounds_the_same_rows_as_a_path_prefix(world):
    """[path, subtree_end(path)) is the subtree as path__startswith finds it, for every organization (the
    range SQLite's index can read): siblings whose ids share leading digits included."""
    from league.models import subtree_end

    for pk in (9, 90, 91, 10):  # 9 and 90's paths share the digits "0000009"
        OrganizationFactory(pk=1000 + pk, parent=world.zhonghe, code=f"SE-{pk}")
    for org in Organization.objects.all():
        ranged = Organization.objects.filter(path__gte=org.path, path__lt=subtree_end(org.path))
        assert set(ranged) == set(Organization.objects.filter(path__startswith=org.path)), org
    assert (
        Organization.objects.filter(
            path__gte=world.county.path, path__lt=subtree_end(world.county.path)
        ).count()
        > 3
    )
