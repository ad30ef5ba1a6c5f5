"""The organization page's units under it and platform users, read as SQL written once (league.org_page), are
the rows of the ORM queries they replace: page by page and counted through Paginator, with regions or none,
names or usernames, ties on the role."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from league import org_page
from league.models import Kind, Level, Membership, Region, Role
from league.pagination import first_page_or_paginate
from tests.conftest import PERSONAS
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


def _child(o):
    return (o.pk, o.name, o.kind, o.parent_id, o.child_count, o.region.name if o.region is not None else None)


def test_children_pages_are_the_orms(world):
    first = Region.objects.create(organization=world.zhonghe, name="一片区 & <东>")
    second = Region.objects.create(organization=world.zhonghe, name="二片区", order=1)
    for n in range(7):  # created in another order than their names'
        OrganizationFactory(parent=world.zhonghe, code=f"ZH-C{n}", name=f"中河社区{n * 3 % 7}", kind=Kind.BRANCH,
                            region=(first, second, None)[n % 3])  # fmt: skip
    OrganizationFactory(parent=world.shounan, code="SN-C1", name="首南社区")
    for organization in (world.zhonghe, world.shounan, world.county, world.province, world.zhonghe_branch):
        orm = organization.children.select_related("region").only(
            "name", "kind", "parent", "child_count", "region__name"
        ).order_by("name")  # fmt: skip
        for per_page in (3, 50):
            for number in (None, "1", "2", "3", "9", "x", "-1"):
                new = first_page_or_paginate(org_page.children(organization.pk), per_page, number)
                old = first_page_or_paginate(orm, per_page, number)
                assert [_child(o) for o in new] == [_child(o) for o in old], (organization, per_page, number)
                assert (new.number, new.paginator.count, new.paginator.num_pages, new.has_next()) == (
                    old.number, old.paginator.count, old.paginator.num_pages, old.has_next()
                )  # fmt: skip
        assert org_page.children(organization.pk).count() == organization.children.count()
    rows = [_child(o) for o in Paginator(org_page.children(world.zhonghe.pk), 50).page(1)]
    assert {r[5] for r in rows} == {"一片区 & <东>", "二片区", None} and len(
        rows
    ) == 8  # with its first branch
    assert world.zhonghe_branch.level == Level.GRASSROOTS


def test_a_short_list_is_one_query_and_its_regions_cost_none(world):
    region = Region.objects.create(organization=world.zhonghe, name="一片区")
    OrganizationFactory(parent=world.zhonghe, code="ZH-R1", region=region)
    with CaptureQueriesContext(connection) as ctx:
        page = first_page_or_paginate(org_page.children(world.zhonghe.pk), 50, None)
        names = [o.region.name for o in page if o.region is not None]
        assert page.paginator.count == 2 and not page.has_next()
    assert names == ["一片区"] and len(ctx.captured_queries) == 1


def test_bad_slices_are_refused(world):
    rows = org_page.children(world.zhonghe.pk)
    for bad in (0, slice(0, None), slice(0, 4, 2)):
        with pytest.raises(TypeError):
            rows[bad]
    assert rows[3:3] == []


def test_platform_users_are_the_orms_memberships(world):
    named = UserFactory(username="named", first_name="晓明", last_name="王")
    MembershipFactory(user=named, organization=world.zhonghe, role=Role.STAFF, title="书记 & <副>")
    MembershipFactory(user=UserFactory(username="first-only", first_name="Ann"), organization=world.zhonghe,
                      role=Role.STAFF)  # fmt: skip
    MembershipFactory(user=UserFactory(username="z-admin"), organization=world.zhonghe, role=Role.ADMIN)
    for organization in (world.zhonghe, world.county, world.province, world.zhonghe_branch):
        orm = Membership.objects.filter(organization=organization).select_related("user")
        old = [
            (m.user.get_full_name() or m.user.username, m.get_role_display(), m.title)
            for m in orm.order_by("organization__path", "role", "id")
        ]
        assert [
            (name, str(role), title) for name, role, title in org_page.platform_users(organization.pk)
        ] == [(name, str(role), title) for name, role, title in old]
    shown = org_page.platform_users(world.zhonghe.pk)
    assert [s[0] for s in shown][:1] == ["z-admin"] and ("晓明 王", "书记 & <副>") in {
        (s[0], s[2]) for s in shown
    }
    assert "Ann" in {s[0] for s in shown} and org_page.platform_users(world.zhonghe_branch.pk) == []


def _found(o):
    return (
        o.pk,
        o.name,
        o.level,
        o.parent_id,
        o.child_count,
        o.parent.name if o.parent is not None else None,
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_tree_search_is_the_orms(world, persona):
    """org_page.search (SQL written once) reads the rows of OrganizationFilter(...).qs of the user's organizations
    with their parents' names by path, and counts them up to CappedPaginator's limit, for the filters and bad input
    the page takes; a text with a case is left to the ORM (None)."""
    from league import policies
    from league.filters import OrganizationFilter
    from league.pagination import CappedPaginator

    for n in range(7):
        OrganizationFactory(
            parent=world.zhonghe, code=f"ZH-S{n}", name=f"中河社区{n * 3 % 7}_%", kind=Kind.BRANCH
        )
    user = world.users[persona]
    asked = [
        {"q": "社区"}, {"q": " 街道 "}, {"q": "3302-99"}, {"q": "_%"}, {"q": "无此组织"}, {"level": Level.STREET},
        {"q": "社区", "level": Level.GRASSROOTS, "kind": Kind.BRANCH}, {"level": "bogus"}, {"domain": "nope", "q": "中"},
        {"kind": Kind.BRANCH}, {"q": "浙江"},
    ]  # fmt: skip
    seen = 0
    for data in asked:
        filters = OrganizationFilter(data, queryset=policies.organizations_for(user))
        orm = (
            filters.qs.select_related("parent")
            .only("name", "level", "child_count", "parent__name")
            .order_by("path")
        )
        filters.errors  # noqa: B018
        new = org_page.search(user, filters.form.cleaned_data)
        for per_page, number in ((3, None), (3, "2"), (3, "99"), (50, "x"), (2, "1")):
            a = CappedPaginator(new, per_page, page=number, ahead=1, count_rows=new).get_page(number)
            b = CappedPaginator(orm, per_page, page=number, ahead=1, count_rows=orm).get_page(number)
            assert [_found(o) for o in a] == [_found(o) for o in b], (data, per_page, number)
            assert (a.number, a.paginator.count, a.paginator.capped) == (
                b.number,
                b.paginator.count,
                b.paginator.capped,
            )
        assert new.count() == orm.count()
        seen += orm.count()
    assert seen > 0 or persona in (
        "instructor",
        "outsider",
    )  # no subtree; the instructor's units are no streets
    filters = OrganizationFilter({"q": "Zh-社区"}, queryset=policies.organizations_for(user))
    filters.errors  # noqa: B018
    assert org_page.search(user, filters.form.cleaned_data) is None
