"""Kept lineup verdicts (league.lineup_snapshots): the same figures as evaluating every committee, on every
date, right after every kind of change, in a constant number of queries once kept."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext

from league import lineup_snapshots as kept
from league import services
from league.lineups import Tally, completion_stats
from league.models import (
    Employment,
    Establishment,
    Kind,
    Level,
    LineupRule,
    LineupSnapshot,
    MemberCategory,
    Organization,
    Seat,
    SeatRole,
    Term,
)
from tests.factories import OrganizationFactory, PersonFactory, SeatFactory, TermFactory, full_lineup

D = dt.date(2024, 6, 1)


def figures(tally):
    return (tally.units, tally.complete, tally.with_term, tally.secretary_vacant,
            {k: v for k, v in tally.vacant_seats.items() if v})  # fmt: skip


def evaluated(root, on, rule=None):
    return figures(completion_stats(root.subtree(), on=on, rule=rule).total)


def totals(root, on, rule=None):
    return figures(kept.completion_totals(root.subtree(), on=on, rule=rule))


def street(world, code):
    return OrganizationFactory(
        parent=world.county, level=Level.STREET, kind=Kind.WORKING_COMMITTEE, code=code
    )


def test_same_figures_as_evaluating_every_committee(world, lineup_rules):
    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=4, members=6, outside_deputies=2)
    for i in range(4):
        full_lineup(
            TermFactory(organization=street(world, f"K-{i}"), number=1), deputies=2 + i % 2, members=6
        )
    expected = evaluated(world.county, D)
    assert expected[:2] == (6, 3)  # 中河 and two of the four complete; 首南 has no term
    assert totals(world.county, D) == expected  # worked out and kept
    assert LineupSnapshot.objects.count() == 6
    assert totals(world.county, D) == expected  # read back
    assert totals(world.province, D) == evaluated(world.province, D)
    assert LineupSnapshot.objects.count() == evaluated(world.province, D)[0]  # one per committee, no more


def test_every_date_gives_the_evaluated_figures(world, lineup_rules):
    """Random terms and seats starting and ending on random dates: reading the kept verdicts on each date
    of two years, in random order, always equals evaluating from scratch (the validity intervals are exact)."""
    rnd = random.Random(7)
    base = dt.date(2024, 1, 1)
    for i in range(6):
        org = street(world, f"R-{i}")
        for number in (1, 2):
            start = base + dt.timedelta(days=rnd.randrange(0, 400) + (number - 1) * 300)
            term = TermFactory(organization=org, number=number, start=start,
                               end=start + dt.timedelta(days=rnd.randrange(200, 500)))  # fmt: skip
            for role, n in ((SeatRole.SECRETARY, 1), (SeatRole.DEPUTY, 3), (SeatRole.MEMBER, 6)):
                for _ in range(n):
                    seat_start = start + dt.timedelta(days=rnd.randrange(0, 60))
                    end = (
                        seat_start + dt.timedelta(days=rnd.randrange(30, 400)) if rnd.random() < 0.4 else None
                    )
                    SeatFactory(term=term, role=role, start=seat_start, end=end,
                                establishment=rnd.choice([Establishment.INSIDE, Establishment.OUTSIDE]))  # fmt: skip
    days = [base + dt.timedelta(days=n) for n in range(0, 730, 9)]
    rnd.shuffle(days)
    seen = set()
    for day in days:
        seen.add(str(evaluated(world.county, day)))
        assert totals(world.county, day) == evaluated(world.county, day), day
    assert len(seen) > 5  # the figures really move over the two years
    # Far fewer verdicts kept than committees × dates read: one per interval.
    assert LineupSnapshot.objects.count() < 8 * len(days) / 2


def test_every_kind_of_change_is_seen_at_once(world, lineup_rules):
    county_staff = world.users["county"]
    term = TermFactory(organization=world.zhonghe, number=1)
    seats = full_lineup(term, deputies=3, members=6)
    assert totals(world.county, D)[:2] == (2, 1)

    # A service vacating the secretary seat.
    secretary = next(s for s in seats if s.role == SeatRole.SECRETARY)
    services.seat_vacate(by=county_staff, seat=secretary, on=D - dt.timedelta(days=1))
    assert totals(world.county, D) == evaluated(world.county, D)
    assert totals(world.county, D)[3] == 1  # a secretary seat vacant

    # A service filling it again.
    services.seat_fill(by=county_staff, term=term, person=PersonFactory(organization=world.zhonghe),
                       role=SeatRole.SECRETARY, start=D - dt.timedelta(days=1),
                       establishment=Establishment.INSIDE)  # fmt: skip
    assert totals(world.county, D) == evaluated(world.county, D)
    assert totals(world.county, D)[1] == 1

    # An edit saved straight on the model (as the admin does), and a delete.
    member = Seat.objects.filter(term=term, role=SeatRole.MEMBER).first()
    member.delete()
    Seat.objects.filter(term=term, role=SeatRole.MEMBER).first().delete()
    assert totals(world.county, D) == evaluated(world.county, D)
    term.refresh_from_db()
    term.end = D
    term.save()  # expired on D
    assert totals(world.county, D) == evaluated(world.county, D)
    assert totals(world.county, D)[1] == 0

    # A term for 首南 through the service.
    services.term_create(
        by=county_staff, organization=world.shounan, number=1, start=D, end=D.replace(year=2029)
    )
    assert totals(world.county, D) == evaluated(world.county, D)
    assert totals(world.county, D)[2] == 2  # both have a term now


def test_a_rule_change_reaches_the_kept_verdicts(world, lineup_rules):
    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=3, members=6)
    assert totals(world.county, D)[1] == 1
    rule = LineupRule.objects.get(is_default=True)
    rule.size_min = 15
    rule.save()
    assert totals(world.county, D) == evaluated(world.county, D)
    assert totals(world.county, D)[1] == 0
    # A county's own rule, and a program's rule (kept apart from the committee's own rule).
    strict = LineupRule.objects.create(name="strict", organization=world.county, deputies_min=5, size_min=5)
    assert totals(world.county, D) == evaluated(world.county, D)
    strict.deputies_min = 3
    strict.save()
    assert totals(world.county, D) == evaluated(world.county, D)
    program_rule = LineupRule.objects.create(name="program", deputies_min=1, size_min=3)
    assert totals(world.county, D, program_rule) == evaluated(world.county, D, program_rule)
    assert totals(world.county, D, program_rule)[1] == 1
    program_rule.size_min = 20
    program_rule.save()
    assert totals(world.county, D, program_rule) == evaluated(world.county, D, program_rule)


def test_a_move_reaches_the_kept_verdicts(world, lineup_rules):
    """Rules follow the path: a committee moved under a county with a strict rule gets that rule at once."""
    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=3, members=6)
    other = OrganizationFactory(parent=world.city, level=Level.COUNTY, code="OTHER-COUNTY")
    LineupRule.objects.create(name="strict", organization=other, deputies_min=5, size_min=5)
    assert totals(world.city, D)[1] == 1
    zhonghe = Organization.objects.get(pk=world.zhonghe.pk)
    zhonghe.parent = other
    zhonghe.save()
    assert totals(world.city, D) == evaluated(world.city, D)
    assert totals(world.city, D)[1] == 0


def test_a_verdict_worked_out_before_a_change_commits_is_not_used(world, lineup_rules):
    """The reader reads the versions before the rows: a change in between leaves its verdict unused."""
    term = TermFactory(organization=world.zhonghe, number=1)
    full_lineup(term, deputies=3, members=6)
    version_before = (
        kept.LineupMark.objects.filter(pk=world.zhonghe.pk).values_list("version", flat=True).first()
    )
    Seat.objects.filter(term=term, role=SeatRole.SECRETARY).delete()  # the change commits
    # A reader that read `version_before` and then the new rows stores under the old version:
    status = completion_stats(Organization.objects.filter(pk=world.zhonghe.pk), on=D).statuses[
        world.zhonghe.pk
    ]
    LineupSnapshot.objects.all().delete()
    kept._snapshot(status, 0, version_before or 0, (kept.FAR_PAST, kept.FAR_FUTURE)).save()
    # …and one stored with stale rows under the old version is not used either: the figures are evaluated.
    assert totals(world.county, D) == evaluated(world.county, D)
    assert LineupSnapshot.objects.filter(organization=world.zhonghe).count() == 2  # old one unused, new kept
    assert kept.prune() == 1


@pytest.mark.parametrize("root", ["province", "county"])
def test_two_queries_once_kept_whatever_the_size(world, lineup_rules, root):
    for i in range(3):
        full_lineup(TermFactory(organization=street(world, f"Q-{i}"), number=1))
    org = getattr(world, root)
    totals(org, D)
    with CaptureQueriesContext(connection) as small:
        totals(org, D)
    for i in range(3, 40):
        full_lineup(TermFactory(organization=street(world, f"Q-{i}"), number=1))
    totals(org, D)
    with CaptureQueriesContext(connection) as large:
        figures_large = totals(org, D)
    assert figures_large == evaluated(org, D) and figures_large[0] > 40
    assert len(small.captured_queries) == len(large.captured_queries) == 2


def test_touch_on_bulk_writes(world, lineup_rules):
    """Bulk writes skip the signals; their callers touch the committees they wrote."""
    term = TermFactory(organization=world.zhonghe, number=1)
    assert totals(world.county, D)[1] == 0
    Seat.objects.bulk_create([SeatFactory.build(term=term, role=SeatRole.MEMBER, person=PersonFactory(
        organization=world.zhonghe)) for _ in range(6)])  # fmt: skip
    for role, n in ((SeatRole.SECRETARY, 1), (SeatRole.DEPUTY, 3)):
        Seat.objects.bulk_create([SeatFactory.build(term=term, role=role, person=PersonFactory(
            organization=world.zhonghe), establishment=Establishment.OUTSIDE if i == 0 else Establishment.INSIDE)
            for i in range(n)])  # fmt: skip
    assert totals(world.county, D)[1] == 0  # not touched: the old verdict is still kept
    kept.touch(Term.objects.filter(pk=term.pk).values_list("organization_id", flat=True))
    assert totals(world.county, D) == evaluated(world.county, D)
    assert totals(world.county, D)[1] == 1


def test_summary_has_every_breakdown_of_the_evaluated_stats(world, lineup_rules):
    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=4, members=6, outside_deputies=2)
    for i in range(5):
        full_lineup(
            TermFactory(organization=street(world, f"S-{i}"), number=1), deputies=2 + i % 2, members=5 + i
        )
    for root, group_by in (
        (world.province, world.province),
        (world.county, world.city),
        (world.county, None),
    ):
        live = completion_stats(root.subtree(), on=D, group_by=group_by)
        summary = kept.completion_summary(root.subtree(), on=D, group_by=group_by)
        assert summary.total == live.total
        assert [(g.organization, figures(g.tally)) for g in summary.groups] == [
            (g.organization, figures(g.tally)) for g in live.groups
        ]
        assert sorted(summary.units) == sorted((i, s.complete) for i, s in live.statuses.items())
        assert summary.category_rows() == live.category_rows()
        for part in ("vacant_seats", "by_establishment", "by_employment", "by_category", "by_breach"):
            # the page lists them in this order: the kept verdicts, summed alike first, keep it
            assert list(getattr(summary.total, part).items()) == list(getattr(live.total, part).items()), part
    with CaptureQueriesContext(connection) as ctx:
        kept.completion_summary(world.province.subtree(), on=D, group_by=world.province)
    assert (
        len(ctx.captured_queries) == 2
    )  # the kept rows summed alike with the committees' count, the group names


def random_lineups(world, n=14, seed=11):
    """`n` streets in two counties with random seats (roles, establishment, employment, categories, ends)."""
    rnd = random.Random(seed)
    categories = [None, *MemberCategory.objects.values_list("pk", flat=True)]
    other = OrganizationFactory(parent=world.city, level=Level.COUNTY, kind=Kind.COMMITTEE, code="SQ-K2")
    base = dt.date(2024, 1, 1)
    for i in range(n):
        org = OrganizationFactory(parent=rnd.choice([world.county, other]), level=Level.STREET,
                                  kind=Kind.WORKING_COMMITTEE, code=f"SQ-{i}")  # fmt: skip
        if i % 7 == 6:
            continue  # no term
        start = base + dt.timedelta(days=rnd.randrange(0, 200))
        term = TermFactory(organization=org, number=1, start=start, end=start + dt.timedelta(days=1000))
        for role, n_seats in ((SeatRole.SECRETARY, rnd.choice([0, 1, 1])), (SeatRole.DEPUTY, rnd.randrange(1, 5)),
                              (SeatRole.MEMBER, rnd.randrange(3, 9))):  # fmt: skip
            for _ in range(n_seats):
                seat_start = start + dt.timedelta(days=rnd.randrange(0, 60))
                SeatFactory(term=term, role=role, start=seat_start,
                            end=seat_start + dt.timedelta(days=rnd.randrange(30, 300)) if rnd.random() < 0.2 else None,
                            establishment=rnd.choice(Establishment.values), employment=rnd.choice(Employment.values),
                            category_id=rnd.choice(categories) if role == SeatRole.MEMBER else None)  # fmt: skip


DATES = (dt.date(2024, 3, 1), dt.date(2024, 9, 1), dt.date(2025, 2, 1))


def alike_in_python(verdicts, prefix):
    """How completion_summary summed alike committees before the database did (every kept verdict read, in
    tree order, grouped in a dict in the order of first sight): (group path, breakdowns, secretary/deputy/
    member vacant, committees, complete, with a term, vacant secretary/deputy/member seats, the latest start
    and the earliest end of the verdicts' intervals) each."""
    rows = (
        verdicts.annotate(detail_text=Cast("detail", TextField()))
        .order_by("organization__path")
        .values_list("organization__path", "complete", "with_term", "vacant_secretary", "vacant_deputy",
                     "vacant_member", "detail_text", "valid_from", "valid_until")
    )  # fmt: skip
    alike = {}
    for path, complete, with_term, secretary, deputy, member, detail, valid_from, valid_until in rows:
        sums = alike.setdefault(
            (path[:prefix], detail, secretary > 0, deputy > 0, member > 0),
            [0] * 6 + [valid_from, valid_until],
        )
        for i, value in enumerate((1, complete, with_term, secretary, deputy, member)):
            sums[i] += value
        sums[6], sums[7] = max(sums[6], valid_from), min(sums[7], valid_until)
    return [(*key, *sums) for key, sums in alike.items()]


def test_committees_summed_alike_in_sql_as_in_python(world, lineup_rules):
    """_alike_sql gives the rows the Python grouping of every kept verdict gave, in the same order (that of
    each group's first committee in the tree), whatever the subtree, grouping depth and date."""
    random_lineups(world)
    for on in DATES:
        kept.refresh(Organization.objects.all(), on=on)
        for root in (world.province, world.city, world.county):
            for selected in (root, root.subtree()):
                units, verdicts, streets = kept._selection(selected, 0, on)
                for prefix in (0, 9 * (root.depth + 2), 9 * (root.depth + 3)):
                    sql, params = kept._alike_sql(streets, key=0, on=on, prefix=prefix)
                    with connection.cursor() as cursor:
                        cursor.execute(sql, params)
                        rows = cursor.fetchall()
                    expected = alike_in_python(verdicts(), prefix)
                    assert len(expected) > 2 and {row[0] for row in rows} == {units.count()}
                    assert [
                        (
                            row[1],
                            row[2],
                            *map(bool, row[3:6]),
                            *map(int, row[6:12]),
                            *map(kept._date, row[12:]),
                        )
                        for row in rows
                    ] == expected


def test_summed_alike_in_sql_gives_the_figures_of_evaluating_each_committee(world, lineup_rules):
    """Random lineups in two counties give, on several dates and for every grouping, the figures of evaluating
    each committee: the total with every breakdown, each group's counts, and the committees in tree order with
    their verdicts (all, complete or incomplete, a slice at a time)."""
    random_lineups(world)
    parts = ("vacant_seats", "by_establishment", "by_employment", "by_category", "by_breach")
    for on in DATES:
        for root, group_by in (
            (world.province, world.province),
            (world.city, world.city),
            (world.county, None),
        ):
            live = completion_stats(root.subtree(), on=on, group_by=group_by)
            in_tree_order = sorted(live.statuses, key=lambda i: Organization.objects.get(pk=i).path)
            for summary in (kept.completion_summary(root, on=on, group_by=group_by),
                            kept.completion_summary(root.subtree(), on=on, group_by=group_by)):  # fmt: skip
                assert summary.total == live.total
                if (
                    connection.vendor == "sqlite"
                ):  # PostgreSQL's jsonb keeps a breakdown's keys in its own order
                    for part in parts:
                        assert list(getattr(summary.total, part).items()) == list(
                            getattr(live.total, part).items()
                        )
                assert [(g.organization, g.tally) for g in summary.groups] == [
                    (g.organization, Tally(units=g.tally.units, complete=g.tally.complete,
                                           with_term=g.tally.with_term, secretary_vacant=g.tally.secretary_vacant,
                                           vacant_seats=g.tally.vacant_seats))  # per group only the counts
                    for g in live.groups
                ]  # fmt: skip
                assert list(summary.units) == [(i, live.statuses[i].complete) for i in in_tree_order]
                assert (
                    len(summary.units) == len(in_tree_order)
                    and summary.units[1:3] == list(summary.units)[1:3]
                )
                for complete in (True, False):
                    listed = [(i, complete) for i in in_tree_order if live.statuses[i].complete == complete]
                    assert list(summary.units.where(complete=complete)) == listed
                    assert len(summary.units.where(complete=complete)) == len(listed)
                assert summary.units.named()[:] == list(
                    Organization.objects.filter(pk__in=in_tree_order)
                    .order_by("path")
                    .values_list("pk", "path", "name")
                )


def test_a_rule_change_queues_the_refresh_and_the_task_keeps_every_verdict(
    world, lineup_rules, django_capture_on_commit_callbacks
):
    from league.tasks import lineup_verdicts_refresh

    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=3, members=6)
    totals(world.province, D)
    rule = LineupRule.objects.get(is_default=True)
    with django_capture_on_commit_callbacks() as callbacks:
        rule.size_min = 15
        rule.save()
    assert [c.__name__ for c in callbacks] == ["_refresh_later"]
    on = dt.date.today()
    streets = Organization.objects.filter(level=Level.STREET).count()
    assert lineup_verdicts_refresh() == streets  # every verdict retired by the change, worked out again
    assert lineup_verdicts_refresh() == 0
    assert not LineupSnapshot.objects.exclude(
        version=F("organization__lineup_mark__version")
    ).exists()  # pruned
    assert kept.completion_totals(world.province.subtree(), on=on).units == evaluated(world.province, on)[0]


def test_summary_of_a_subtree_root_is_the_summary_of_its_subtree(world, lineup_rules):
    """completion_summary(root) reads the subtree's streets as one index range joined to the kept verdicts:
    the same figures, groups and committees (in tree order) as completion_summary(root.subtree())."""
    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=4, members=6, outside_deputies=2)
    other = OrganizationFactory(parent=world.city, level=Level.COUNTY, kind=Kind.COMMITTEE, code="K2")
    for i in range(4):
        unit = OrganizationFactory(parent=world.county if i % 2 else other, level=Level.STREET,
                                   kind=Kind.WORKING_COMMITTEE, code=f"R-{i}")  # fmt: skip
        full_lineup(TermFactory(organization=unit, number=1), deputies=2 + i % 2, members=5 + i)
    for root in (world.province, world.city, world.county, other, world.zhonghe):
        by_queryset = kept.completion_summary(root.subtree(), on=D, group_by=root)
        by_root = kept.completion_summary(root, on=D, group_by=root)
        assert by_root.units == by_queryset.units and by_root.units
        assert by_root.total == by_queryset.total
        assert [(g.organization, g.tally) for g in by_root.groups] == [
            (g.organization, g.tally) for g in by_queryset.groups
        ]
    # A change retires the committee's kept verdict (its mark moves on): the stale row is not read any more.
    seat = Seat.objects.filter(term__organization=world.zhonghe, role=SeatRole.SECRETARY).get()
    services.seat_vacate(by=world.users["county"], seat=seat, on=D - dt.timedelta(days=1))
    stale = LineupSnapshot.objects.filter(organization=world.zhonghe).count()
    by_root = kept.completion_summary(world.county, on=D, group_by=world.county)
    assert LineupSnapshot.objects.filter(organization=world.zhonghe).count() == stale + 1  # worked out again
    assert by_root.total == completion_stats(world.county.subtree(), on=D, group_by=world.county).total
    assert dict(by_root.units)[world.zhonghe.pk] is False
    assert [i for i, _complete in kept.completion_summary(world.county, on=D).units] == list(
        Organization.objects.filter(level=Level.STREET, path__startswith=world.county.path)
        .order_by("path")
        .values_list("pk", flat=True)
    )  # every street of the county, in tree order, none of the other county's
    with CaptureQueriesContext(connection) as first:
        kept.completion_summary(world.province, on=D, group_by=world.province)
    with CaptureQueriesContext(connection) as again:
        kept.completion_summary(world.province, on=D, group_by=world.province)
    # The first: the mark and no kept summary, the kept verdicts summed alike with the committees' count, the
    # summary kept (a savepoint around its upsert), the group names; then: the kept summary, the group names.
    assert len(first.captured_queries) == 6
    assert len(again.captured_queries) == 2


def test_statuses_of_paths_are_the_statuses_of_the_organizations(world, lineup_rules):
    from league.lineups import lineup_statuses, lineup_statuses_of

    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=2, members=6)
    SeatFactory(term=TermFactory(organization=street(world, "P-1"), number=1, start=dt.date(2024, 1, 1)),
                role=SeatRole.SECRETARY, end=dt.date(2024, 3, 1))  # fmt: skip
    units = Organization.objects.filter(level=Level.STREET)
    paths = dict(units.values_list("id", "path"))
    for on in (D, dt.date(2024, 2, 1), dt.date(2020, 1, 1)):
        expected = lineup_statuses(units, on=on)
        with CaptureQueriesContext(connection) as ctx:
            got = lineup_statuses_of(paths, on=on)
        # Terms, rules, seats (none when no committee has a term yet): the organizations are not read again.
        assert len(ctx.captured_queries) == (3 if any(s.term for s in expected.values()) else 2)
        assert got == expected and len(got) == len(paths)
    assert lineup_statuses_of({}, on=D) == {}
