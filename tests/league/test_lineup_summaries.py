"""Kept lineup summaries (league.lineup_snapshots.completion_summary of an Organization): the figures of a
subtree read from one kept row while nothing under it changed, and right again at once after every kind of
write that can move them — seats and terms (services, model saves, deletes, bulk writes with touch), rules,
organizations created, edited, moved and deleted (one by one and by import) — on every date."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from league import lineup_snapshots as kept
from league import services
from league.lineups import completion_stats
from league.models import (
    Establishment,
    Kind,
    Level,
    LineupMark,
    LineupRule,
    LineupSummary,
    Organization,
    Seat,
    SeatRole,
    Term,
)
from tests.factories import OrganizationFactory, PersonFactory, SeatFactory, TermFactory, full_lineup
from tests.league.test_org_import import workbook

D = dt.date(2024, 6, 1)


def street(parent, code):
    return OrganizationFactory(parent=parent, level=Level.STREET, kind=Kind.WORKING_COMMITTEE, code=code)


def groups(stats):
    return [(g.organization.pk, g.tally.units, g.tally.complete, g.tally.with_term, g.tally.secretary_vacant,
             {k: n for k, n in g.tally.vacant_seats.items() if n}) for g in stats.groups]  # fmt: skip


def figures(stats):
    """What the statistics page shows: the total with every breakdown, each group's counts, the committees."""
    return stats.total, groups(stats), [(i, bool(c)) for i, c in stats.units]


def evaluated(root, on=D):
    stats = completion_stats(root.subtree(), on=on, group_by=root)
    units = sorted(stats.statuses.items(), key=lambda item: Organization.objects.get(pk=item[0]).path)
    return stats.total, groups(stats), [(i, s.complete) for i, s in units]


def summary(root, on=D):
    return figures(kept.completion_summary(Organization.objects.get(pk=root.pk), on=on, group_by=root))


def roots(world):
    return [Organization.objects.get(pk=o.pk) for o in (world.province, world.city, world.county)]


def kept_current(root) -> bool:
    """Whether a summary of `root` is kept under its mark's current version."""
    version = LineupMark.objects.filter(pk=root.pk).values_list("version", flat=True).first()
    return LineupSummary.objects.filter(organization=root, version=version).exists()


def assert_right_and_kept(world, on=D):
    for root in roots(world):
        assert summary(root, on) == evaluated(root, on), root.name
        assert kept_current(root), root.name
        assert summary(root, on) == evaluated(root, on), root.name  # read back from the kept row


@pytest.fixture
def lineups(world, lineup_rules):
    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=3, members=6)
    full_lineup(TermFactory(organization=world.zhuangqiao, number=1), deputies=2, members=5)
    assert_right_and_kept(world)
    return world


def total(root, on=D):
    return summary(root, on)[0]


def test_kept_and_read_back_in_one_query_whatever_the_size(lineups):
    world = lineups
    for root in roots(world):
        kept.completion_summary(root, on=D)
        with CaptureQueriesContext(connection) as small:
            kept.completion_summary(root, on=D)  # without groups: nothing but the kept row
        assert len(small.captured_queries) == 1
    for i in range(30):
        full_lineup(
            TermFactory(organization=street(world.county, f"KS-{i}"), number=1), deputies=3, members=6
        )
    for root in roots(world):
        kept.completion_summary(root, on=D)
        with CaptureQueriesContext(connection) as large:
            stats = kept.completion_summary(root, on=D)
        assert len(large.captured_queries) == 1
        assert stats.total.units > 30 and stats.total == evaluated(root)[0]


def test_seats_and_terms_through_the_services(lineups):
    world = lineups
    staff = world.users["county"]
    term = Term.objects.get(organization=world.zhonghe)
    secretary = Seat.objects.get(term=term, role=SeatRole.SECRETARY)
    complete_before = total(world.province).complete
    services.seat_vacate(by=staff, seat=secretary, on=D - dt.timedelta(days=1))
    assert total(world.province).complete == complete_before - 1
    assert_right_and_kept(world)
    services.seat_fill(by=staff, term=term, person=PersonFactory(organization=world.zhonghe),
                       role=SeatRole.SECRETARY, start=D - dt.timedelta(days=1),
                       establishment=Establishment.OUTSIDE)  # fmt: skip
    assert total(world.province).complete == complete_before
    assert_right_and_kept(world)
    with_term_before = total(world.county).with_term
    services.term_create(by=staff, organization=world.shounan, number=1, start=D, end=D.replace(year=2029))
    assert total(world.county).with_term == with_term_before + 1
    assert_right_and_kept(world)


def test_seats_and_terms_saved_and_deleted_on_the_models(lineups):
    """As the admin does: saves and deletes straight on the models."""
    world = lineups
    term = Term.objects.get(organization=world.zhuangqiao)
    Seat.objects.filter(term=term, role=SeatRole.MEMBER).first().delete()
    assert_right_and_kept(world)
    seat = Seat.objects.filter(term=term, role=SeatRole.DEPUTY).first()
    seat.establishment = Establishment.OUTSIDE
    seat.save()
    assert_right_and_kept(world)
    term.end = D
    term.save()  # expired on D
    assert total(world.city).by_breach["term_expired"] == 1
    assert_right_and_kept(world)
    term.delete()
    assert_right_and_kept(world)


def test_bulk_writes_are_seen_once_touched(lineups):
    world = lineups
    term = TermFactory(organization=world.shounan, number=1)
    assert_right_and_kept(world)
    Seat.objects.bulk_create([SeatFactory.build(term=term, role=role, person=PersonFactory(organization=world.shounan))
                              for role, n in ((SeatRole.SECRETARY, 1), (SeatRole.DEPUTY, 3), (SeatRole.MEMBER, 6))
                              for _ in range(n)])  # fmt: skip
    stale = summary(world.county)
    assert stale != evaluated(world.county)  # bulk writes skip the signals: not seen until touched...
    kept.touch([world.shounan.pk])
    assert summary(world.county) == evaluated(world.county)  # ...and seen at once after
    assert_right_and_kept(world)


def test_a_rule_change(lineups):
    world = lineups
    complete_before = total(world.province).complete
    rule = LineupRule.objects.get(is_default=True)
    rule.size_min = 15
    rule.save()
    assert total(world.province).complete < complete_before
    assert_right_and_kept(world)
    LineupRule.objects.create(name="strict", organization=world.other_county_org, deputies_min=5, size_min=5)
    assert_right_and_kept(world)


def test_organizations_created_edited_moved_and_deleted(lineups):
    world = lineups
    units = total(world.province).units
    new = street(world.county, "NEW-STREET")
    assert total(world.province).units == units + 1
    assert_right_and_kept(world)
    OrganizationFactory(parent=new, code="NEW-BRANCH")  # a grassroots unit: no figure moves
    assert total(world.province).units == units + 1
    assert_right_and_kept(world)

    # Moved to the other county: the counties' and the city's groups change, the province's total does not.
    new = Organization.objects.get(pk=new.pk)
    full_lineup(TermFactory(organization=new, number=1), deputies=3, members=6)
    county_units = total(world.county).units
    new.parent = world.other_county_org
    new.save()
    assert total(world.county).units == county_units - 1
    assert_right_and_kept(world)

    # Its level edited: no longer a street/township committee, no longer counted.
    moved = Organization.objects.get(pk=world.shounan.pk)
    moved.level = Level.GRASSROOTS
    moved.save()
    assert total(world.county).units == county_units - 2
    assert_right_and_kept(world)

    # Deleted (a committee without terms).
    gone = street(world.other_county_org, "GONE")
    assert_right_and_kept(world)
    gone.delete()
    assert total(world.province).units == units + 1 - 1
    assert_right_and_kept(world)


def test_organizations_created_by_import(lineups):
    world = lineups
    units = total(world.province).units
    with translation.override("zh-hans"):
        level, kind = str(Level.STREET.label), str(Kind.WORKING_COMMITTEE.label)
        result = services.organizations_import(
            by=world.users["admin"],
            upload=workbook([["IMP-1", "导入街道团工委", world.county.code, level, kind, "城市街道", ""]]),
        )
    assert not result.errors and result.created == 1
    assert total(world.province).units == units + 1
    assert_right_and_kept(world)


def test_every_date_within_and_outside_the_kept_interval(lineups):
    """A term starting later changes the figures on its start date: the summary kept for D is not used then."""
    world = lineups
    later = D + dt.timedelta(days=40)
    full_lineup(TermFactory(organization=world.shounan, number=1, start=later, end=later.replace(year=2029)),
                deputies=3, members=6)  # fmt: skip
    assert_right_and_kept(world)
    row = LineupSummary.objects.get(organization=world.county, rule_key=0, prefix__gt=0)
    assert row.valid_until == later
    for day in (D, later - dt.timedelta(days=1), later, later + dt.timedelta(days=100), D):
        for root in roots(world):
            assert summary(root, day) == evaluated(root, day), (root.name, day)
    assert total(world.county, later).with_term == total(world.county, D).with_term + 1


def test_a_summary_worked_out_before_a_change_commits_is_not_used(lineups):
    """The reader reads the mark before the verdicts: a change in between leaves its summary unused."""
    world = lineups
    version_before = LineupMark.objects.get(pk=world.county.pk).version
    Seat.objects.filter(
        term__organization=world.zhonghe, role=SeatRole.SECRETARY
    ).delete()  # the change commits
    LineupSummary.objects.filter(organization=world.county).update(
        version=version_before
    )  # stale rows, old version
    assert summary(world.county) == evaluated(world.county)
    assert kept_current(world.county)


def test_no_mark_no_summary_kept(lineups):
    """Without a mark (an organization created in bulk elsewhere), the figures are worked out each time."""
    world = lineups
    LineupMark.objects.filter(pk=world.city.pk).delete()
    LineupSummary.objects.filter(organization=world.city).delete()
    assert summary(world.city) == evaluated(world.city)
    assert not LineupSummary.objects.filter(organization=world.city).exists()


def test_statistics_page_shows_a_change_at_once(lineups, client_for):
    world = lineups
    client = client_for("province")
    page = f"/lineups/stats/?on={D:%Y-%m-%d}"
    first = client.get(page)
    assert first.context["total"] == evaluated(world.province)[0] and first.context["total"].complete == 1
    assert kept_current(world.province)
    seat = Seat.objects.get(term__organization=world.zhonghe, role=SeatRole.SECRETARY)
    services.seat_vacate(by=world.users["county"], seat=seat, on=D - dt.timedelta(days=1))
    again = client.get(page)
    assert again.context["total"] == evaluated(world.province)[0] and again.context["total"].complete == 0


def test_a_write_of_many_committees_bumps_the_shared_marks_last(lineups):
    """Inside marks_above_last (the lineup import), touching a committee bumps its own mark at once and the
    marks above it once, on leaving; a rolled-back error leaves them as they were."""
    world = lineups

    def version(org):
        return LineupMark.objects.get(pk=org.pk).version

    before = {
        o.pk: version(o) for o in (world.province, world.city, world.county, world.zhonghe, world.shounan)
    }
    with kept.marks_above_last():
        kept.touch([world.zhonghe.pk])
        kept.touch([world.shounan.pk])
        assert version(world.zhonghe) == before[world.zhonghe.pk] + 1
        assert version(world.shounan) == before[world.shounan.pk] + 1
        assert [version(o) for o in (world.province, world.city, world.county)] == [
            before[o.pk] for o in (world.province, world.city, world.county)
        ]
    assert [version(o) for o in (world.province, world.city, world.county)] == [
        before[o.pk] + 1 for o in (world.province, world.city, world.county)
    ]
    assert_right_and_kept(world)


def test_the_lineup_import_is_seen_at_once(lineups, client_for):
    """A lineup import (many committees in one transaction, the marks above them bumped last) shows in the
    kept summaries at once."""
    from tests.league.test_lineup_import import headers, row, workbook

    world = lineups
    with_term = total(world.county).with_term
    client = client_for("county")
    committee = {"团（工）委编码": "ZJ-NB-YZ-SN"}
    rows = [row(**committee, 职务="书记", 姓名="张书记"), row(**committee, 职务="副书记", 姓名="李副")]
    response = client.post("/lineups/import/", {"file": workbook(headers(client), rows)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert total(world.county).with_term == with_term + 1
    assert_right_and_kept(world)
