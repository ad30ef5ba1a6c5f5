"""The lineup pages' statements written once give the rows of the ORM queries they replace, on the same data: a
committee's lineup page (league.views_lineups: lineup_terms, lineup_seats, lineup_changes), the statistics'
group names (league.lineups.group_rows) and a page of its committees (league.lineup_snapshots.KeptUnits)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from league import services
from league.lineup_snapshots import KeptUnits, completion_summary
from league.models import (
    Assignment,
    AssignmentKind,
    Kind,
    Level,
    LineupRule,
    MemberCategory,
    Organization,
    Region,
    Seat,
    Term,
)
from league.views_lineups import (
    PERSON_SHOWN,
    lineup_changes,
    lineup_regions,
    lineup_seats,
    lineup_terms,
    lineup_work,
    stats_children,
)
from tests.factories import OrganizationFactory, TermFactory, full_lineup


@pytest.fixture
def lineups(world, lineup_rules):
    """Two terms of 中河 (the second with its own rule), seats with and without a category, one vacated by a
    user with a name; a term of its sibling 首南, whose changes are not 中河's."""
    county = world.users["county"]
    county.first_name, county.last_name = "小", "王"
    county.save()
    first = TermFactory(
        organization=world.zhonghe, number=1, start=dt.date(2019, 1, 1), end=dt.date(2024, 1, 1)
    )
    second = TermFactory(organization=world.zhonghe, number=2, start=dt.date(2024, 1, 1),
                         rule=LineupRule.objects.get(name="1+2+N"))  # fmt: skip
    full_lineup(first)
    seats = full_lineup(second)
    category = MemberCategory.objects.create(name="青年企业家<测试>", order=99)
    Seat.objects.filter(pk=seats[-1].pk).update(category=category)
    services.seat_vacate(by=county, seat=seats[1], on=dt.date(2024, 6, 1))
    services.seat_vacate(by=None, seat=seats[2], on=dt.date(2024, 7, 1))
    regions = [Region.objects.create(organization=world.zhonghe, name=name, order=order)
               for name, order in (("二片区", 1), ("一片区", 1), ("零片区", 0))]  # fmt: skip
    for seat, region in zip(seats[3:6], regions, strict=True):
        services.assignment_add(by=county, seat=seat, kind=AssignmentKind.REGION, region=region)
    services.assignment_add(by=county, seat=seats[3], kind=AssignmentKind.SECTOR, label="宣传")
    services.assignment_add(by=county, seat=seats[3], kind=AssignmentKind.REGION, region=regions[2])
    full_lineup(TermFactory(organization=world.shounan, number=1))
    return world


def _fields(instance) -> tuple:
    return tuple(getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields)


def test_terms_are_the_organizations_terms_with_their_rules(lineups):
    for organization in (lineups.zhonghe, lineups.shounan, lineups.county):
        orm = list(organization.terms.select_related("rule").order_by("-start"))
        with CaptureQueriesContext(connection) as ctx:
            terms = lineup_terms(organization)
            # each term with its organization and rule, without a query
            shown = [(_fields(t), t.organization.path, t.rule and _fields(t.rule)) for t in terms]
        assert len(ctx.captured_queries) == 1
        assert shown == [(_fields(t), t.organization.path, t.rule and _fields(t.rule)) for t in orm]
    assert any(t.rule is not None for t in lineup_terms(lineups.zhonghe))  # both kinds compared


@pytest.mark.parametrize(
    "on", [dt.date(2019, 6, 1), dt.date(2024, 6, 15), dt.date(2030, 1, 1), dt.date(2018, 1, 1)]
)
def test_seats_are_the_terms_seats_started_by_the_date(lineups, on):
    for term in Term.objects.filter(organization=lineups.zhonghe):
        orm = list(
            term.seats.filter(start__lte=on).select_related("person", "category").order_by("start", "id")
        )
        with CaptureQueriesContext(connection) as ctx:
            seats = lineup_seats(term, on)
            shown = [
                (_fields(s), s.term.pk, s.person.name, s.category and _fields(s.category)) for s in seats
            ]
        assert len(ctx.captured_queries) == 1
        assert shown == [
            (_fields(s), s.term.pk, s.person.name, s.category and _fields(s.category)) for s in orm
        ]
        assert all(s.person.get_deferred_fields() == {f.attname for f in s.person._meta.concrete_fields} -
                   set(PERSON_SHOWN) for s in seats)  # fmt: skip


def test_work_and_regions_are_the_seats_assignments_and_the_organizations_regions(lineups):
    seats = list(Seat.objects.filter(term__organization=lineups.zhonghe))
    orm = (
        Assignment.objects.filter(seat__in=[s.pk for s in seats])
        .select_related("region")
        .order_by("kind", "id")
    )
    with CaptureQueriesContext(connection) as ctx:
        work = lineup_work(seats)
        shown = {i: [(_fields(a), a.region and _fields(a.region), str(a)) for a in work[i]] for i in work}
    assert len(ctx.captured_queries) == 1
    expected = {}
    for a in orm:
        expected.setdefault(a.seat_id, []).append((_fields(a), a.region and _fields(a.region), str(a)))
    assert shown == expected and any(len(v) == 3 for v in shown.values())  # a seat with a sector and regions
    assert lineup_work([]) == {}
    for organization in (lineups.zhonghe, lineups.shounan):
        with CaptureQueriesContext(connection) as ctx:
            regions = [(_fields(r), r.organization.pk) for r in lineup_regions(organization)]
        assert len(ctx.captured_queries) == 1
        assert regions == [
            (_fields(r), r.organization.pk) for r in organization.regions.order_by("order", "name")
        ]
    assert [r.name for r in lineup_regions(lineups.zhonghe)][0] == "零片区"  # by order, then name


@pytest.mark.parametrize("limit", [20, 5])
def test_changes_are_the_organizations_newest_seat_records(lineups, limit):
    for organization in (lineups.zhonghe, lineups.shounan, lineups.county):
        orm = list(
            Seat.history.filter(term__organization=organization)
            .order_by("-history_date")
            .values_list(
                "history_date",
                "history_type",
                "role",
                "end",
                "person__name",
                "history_user__username",
                "history_user__first_name",
                "history_user__last_name",
            )[:limit]  # fmt: skip
        )
        assert lineup_changes(lineup_terms(organization), limit) == orm
    changes = lineup_changes(lineup_terms(lineups.zhonghe), limit)
    assert len(changes) == limit and changes[0][0].tzinfo is not None
    assert any(row[5] == lineups.users["county"].username for row in changes)  # a change by a user
    assert any(row[5] is None and row[1] == "~" for row in changes)  # and one without
    with CaptureQueriesContext(connection) as ctx:
        assert lineup_changes([]) == []  # no term: no change, no query
    assert not ctx.captured_queries


def test_group_rows_are_the_groups_organizations_in_tree_order(lineups):
    from league.lineups import Tally, group_rows

    ids = [
        lineups.shounan.pk,
        lineups.county.pk,
        lineups.zhonghe.pk,
        lineups.province.pk,
        10**9,
    ]  # one unknown
    orm = Organization.objects.only("name", "path").in_bulk(ids)
    with CaptureQueriesContext(connection) as ctx:
        rows = group_rows({i: Tally(units=i) for i in ids})
        shown = [(g.organization.pk, g.organization.name, g.organization.path, g.tally.units) for g in rows]
    assert len(ctx.captured_queries) == 1
    assert shown == sorted(((o.pk, o.name, o.path, o.pk) for o in orm.values()), key=lambda r: r[2])
    assert group_rows({}) == []


@pytest.mark.parametrize("complete", [None, True, False])
def test_a_page_of_kept_committees_is_the_querysets_page(lineups, complete):
    """A page of KeptUnits.named() of a subtree (SQL with LIMIT and OFFSET) is that page of its queryset."""
    for i in range(7):
        unit = OrganizationFactory(parent=lineups.county, level=Level.STREET, kind=Kind.WORKING_COMMITTEE,
                                   code=f"PG-{i}")  # fmt: skip
        if i % 3:
            full_lineup(TermFactory(organization=unit, number=1), deputies=2 + i % 2)
    on = dt.date(2024, 8, 1)
    for root in (lineups.province, lineups.county, lineups.zhonghe):
        units = completion_summary(root, on=on).units.named()
        units = units if complete is None else units.where(complete=complete)
        by_queryset = KeptUnits(units._verdicts, units._streets, units._counts, complete, True)  # no SQL
        every = list(by_queryset)
        assert len(every) == len(units) and (root == lineups.zhonghe or len(every) > 2)
        for start, stop in [(0, 3), (3, 6), (6, 9), (0, 50), (2, 2), (len(every), len(every) + 3)]:
            with CaptureQueriesContext(connection) as ctx:
                page = units[start:stop]
            assert page == every[start:stop] == list(by_queryset[start:stop])
            assert len(ctx.captured_queries) == (1 if stop > start else 0)


@pytest.mark.parametrize("limit", [200, 1])
def test_children_are_the_roots_children_but_grassroots_by_name(lineups, limit):
    for i in range(3):
        OrganizationFactory(
            parent=lineups.county, level=Level.STREET, kind=Kind.WORKING_COMMITTEE, code=f"CH-{i}"
        )
    for root in (lineups.province, lineups.county, lineups.zhonghe, lineups.zhonghe_branch):
        orm = root.children.exclude(level=Level.GRASSROOTS).order_by("name").values_list("pk", "name")[:limit]
        assert stats_children(root, limit) == list(orm)
    assert (
        len(stats_children(lineups.county)) > 3 and stats_children(lineups.zhonghe) == []
    )  # its branch: none


def test_categories_are_the_member_categories(lineups):
    from league.lineups import CompletionStats, Tally

    MemberCategory.objects.create(name="甲", order=0)
    stats = CompletionStats(on=dt.date(2024, 6, 1), total=Tally(), groups=[], statuses={})
    expected = list(MemberCategory.objects.values_list("id", "name"))
    with CaptureQueriesContext(connection) as ctx:
        assert list(stats.categories.items()) == expected
        assert stats.categories  # kept: asked once
    assert len(ctx.captured_queries) == 1 and len(expected) > 1
