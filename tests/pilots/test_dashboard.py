"""The dashboard's numbers against a hand-built fixture, its liveness, scope, and its query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from league import policies
from league.models import Level
from pilots import services
from pilots.models import ReturnReason
from tests.factories import OrganizationFactory
from tests.pilots.conftest import month_start
from tests.pilots.factories import filed_report


def _slot(program, org, months):
    return program.slots.get(organization=org, period_start=month_start(months))


def _at(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def built(recent_program, world):
    """中河: m-3 accepted on time, m-2 late, m-1 returned. 首南: m-3 missing, m-2 on time, m-1 draft."""
    p, street, sibling, county = (
        recent_program,
        world.users["street"],
        world.users["street_sibling"],
        world.users["county"],
    )
    r = filed_report(_slot(p, world.zhonghe, -3), street, now=_at(month_start(-2) - dt.timedelta(days=2)))
    services.report_accept(report=r, by=county)
    filed_report(_slot(p, world.zhonghe, -2), street, now=_at(month_start(-1) + dt.timedelta(days=3)))
    r = filed_report(_slot(p, world.zhonghe, -1), street, now=_at(month_start(0) - dt.timedelta(days=1)))
    services.report_return(report=r, by=county, reason=ReturnReason.VAGUE, comment="请具体")
    filed_report(_slot(p, world.shounan, -2), sibling, now=_at(month_start(-1) - dt.timedelta(days=1)))
    filed_report(_slot(p, world.shounan, -1), sibling, submit=False)
    return p


def _context(client, program, **params):
    query = "&".join(f"{k}={v}" for k, v in {"program": program.pk, **params}.items())
    response = client.get(f"/pilots/dashboard/?{query}")
    assert response.status_code == 200
    return response.context


def test_dashboard_numbers_match_the_fixture(built, client_for):
    ctx = _context(client_for("county"), built)
    t = ctx["totals"]
    # four opened months × two streets; the current month is still ahead of its deadline
    assert (t.expected, t.filed, t.on_time, t.late) == (8, 3, 2, 1)
    assert t.missing == 2  # 首南 m-3 (nothing) and m-1 (a draft past its deadline)
    assert t.pending == 3  # 中河 m-1 returned (deadline reopened) and both current months
    assert t.returned == 1
    rows = {r.period_start: r for r in ctx["rows"]}
    assert rows[month_start(-3)].completion == 50.0 and rows[month_start(-2)].completion == 100.0
    assert ctx["chart"]["completion"] == [50.0, 100.0, 0.0, 0.0]
    statuses = {org.code: [c.status for c in cells] for org, cells in ctx["matrix"].rows}
    assert statuses["ZJ-NB-YZ-ZH"] == ["accepted", "late", "returned", "pending"]
    assert statuses["ZJ-NB-YZ-SN"] == ["missing", "submitted", "missing", "pending"]
    body = client_for("county").get(f"/pilots/dashboard/?program={built.pk}").content.decode()
    assert 'data-testid="total-expected">8<' in body and 'data-testid="total-late">1<' in body


def test_dashboard_is_live(built, client_for, world):
    client = client_for("county")
    before = _context(client, built)["totals"].filed
    filed_report(_slot(built, world.shounan, 0), world.users["street_sibling"])
    assert _context(client, built)["totals"].filed == before + 1


def test_secretary_sees_only_its_own_row(built, client_for):
    ctx = _context(client_for("street"), built)
    assert [org.code for org, _ in ctx["matrix"].rows] == ["ZJ-NB-YZ-ZH"]
    assert ctx["totals"].expected == 4


def test_subtree_and_level_filters(built, client_for, world):
    ctx = _context(client_for("county"), built, org=world.shounan.pk)
    assert [org.code for org, _ in ctx["matrix"].rows] == ["ZJ-NB-YZ-SN"]
    assert _context(client_for("county"), built, level=Level.CITY)["totals"] is None
    assert (
        client_for("street").get(f"/pilots/dashboard/?program={built.pk}&org={world.shounan.pk}").status_code
        == 404
    )


def test_milestones_and_lineups_on_the_dashboard(built, client_for, world):
    unit = built.units.get(organization=world.zhonghe)
    services.milestone_add(by=world.users["county"], unit=unit, title="副书记配齐", due_on=month_start(-1))
    ctx = _context(client_for("county"), built)
    assert ctx["milestones"]["total"] == 1 and ctx["milestones"]["overdue"] == 1
    assert ctx["lineup_total"].units == 2 and ctx["lineup_total"].complete == 0  # no terms recorded


def grow(program, world, n):
    for i in range(len(list(program.units.all())), len(list(program.units.all())) + n):
        org = OrganizationFactory(code=f"GROW-{i}", level=Level.STREET, parent=world.county)
        services.unit_enroll(by=world.users["county"], program=program, organization=org)
        slot = program.slots.get(organization=org, period_start=month_start(-2))
        filed_report(slot, world.users["admin"])


@pytest.mark.parametrize("persona", ["county", "street"])
@pytest.mark.parametrize(
    "url", ["/pilots/dashboard/?program={p}", "/pilots/programs/{p}/", "/pilots/reports/", "/pilots/my-reports/",
            "/pilots/reports/review/", "/pilots/briefings/", "/"],
)  # fmt: skip
def test_query_counts_do_not_grow(built, client_for, world, persona, url):
    client = client_for(persona)
    target = url.format(p=built.pk)

    def count():
        # Once warm: the first read after new units keeps their lineup verdicts (league.lineup_snapshots,
        # a constant number of queries per 4,000 units; tests/league/test_lineup_snapshots.py).
        client.get(target)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target)
        assert response.status_code in (200, 403), target
        return len(ctx.captured_queries)

    grow(built, world, 2)
    small = count()
    grow(built, world, 10)
    large = count()
    assert small == large, (target, small, large)
    assert large <= 30


@pytest.mark.parametrize(
    "persona", ["admin", "province", "county", "street", "instructor", "other_county", "outsider"]
)
def test_unit_rows_are_the_orm_rows(built, world, persona):
    """numbers.UnitRows (the matrix's organizations as SQL over the scope's path ranges) against the ORM query it
    replaced, for every filter of the dashboard: the same organizations, in the same order, page by page."""
    from league import policies
    from league.models import Organization
    from pilots.dashboard import UnitRows
    from pilots.selectors import slots_for

    grow(built, world, 3)
    user = world.users[persona]
    schedule = built.schedules.first()
    filters = [
        {},
        {"schedule_id": schedule.pk},
        {"root_path": world.county.path},
        {"root_path": world.zhonghe.path},
        {"level": Level.STREET},
        {"level": Level.COUNTY},
        {"start": month_start(-2)},
        {"end": month_start(-2)},
        {"schedule_id": schedule.pk, "root_path": world.county.path, "level": Level.STREET,
         "start": month_start(-3), "end": month_start(-1)},
    ]  # fmt: skip
    for given in filters:
        slots = slots_for(user).filter(program=built)
        if "schedule_id" in given:
            slots = slots.filter(schedule_id=given["schedule_id"])
        if "root_path" in given:
            slots = slots.filter(organization__path__startswith=given["root_path"])
        if "level" in given:
            slots = slots.filter(organization__level=given["level"])
        if "start" in given:
            slots = slots.filter(period_start__gte=given["start"])
        if "end" in given:
            slots = slots.filter(period_start__lte=given["end"])
        orm = (
            Organization.objects.filter(pk__in=slots.values("organization_id")).order_by("path").only("name")
        )
        expected = [(o.pk, o.name) for o in orm]
        rows = UnitRows(policies.scope_split(user), program_id=built.pk, **given)
        assert rows.count_upto(100) == len(expected), given
        assert rows.count_upto(1) == min(1, len(expected)), given
        for bottom, top in ((0, 100), (0, 2), (1, 3), (2, 4), (len(expected), len(expected) + 2)):
            got = [(o.pk, o.name) for o in rows[bottom:top]]
            assert got == expected[bottom:top], (given, bottom, top)
        for number in (1, 2, 3, 9):  # the page read with the count (one statement while it has rows)
            for cap, slice_top in ((100, 2), (3, 2), (100, 1)):
                told = UnitRows(policies.scope_split(user), program_id=built.pk, **given)
                told.count_with_page(number, 2)
                with CaptureQueriesContext(connection) as ctx:
                    assert told.count_upto(cap) == min(cap, len(expected)), (given, number, cap)
                    got = [(o.pk, o.name) for o in told[(number - 1) * 2 : (number - 1) * 2 + slice_top]]
                assert got == expected[(number - 1) * 2 : (number - 1) * 2 + slice_top], (given, number)
                assert len(ctx.captured_queries) == (1 if len(expected) > (number - 1) * 2 else 2), (
                    given,
                    number,
                )
            other = [(o.pk, o.name) for o in told[0:2]]  # a page other than the one told: read alone
            assert other == expected[0:2], given
    if persona in ("admin", "province", "county"):
        assert (
            UnitRows(policies.scope_split(user), program_id=built.pk).count_upto(100) >= 5
        )  # the grown ones too


@pytest.mark.parametrize("persona", ["province", "county", "street", "instructor", "outsider"])
def test_milestones_by_the_units_kept_path(built, world, persona):
    """The dashboard's milestones and units read by the path each unit keeps: the rows of its organization's."""
    from league import policies
    from pilots.dashboard import milestone_summary
    from pilots.models import Milestone, PilotUnit

    unit = PilotUnit.objects.get(program=built, organization=world.zhonghe)
    Milestone.objects.create(unit=unit, title="立项", due_on=month_start(-1))
    Milestone.objects.create(unit=unit, title="验收", due_on=month_start(1), done_on=month_start(0))
    user = world.users[persona]
    base = Milestone.objects.filter(unit__program=built)
    for root in (None, world.county.path, world.shounan.path):
        kept = policies.scoped(base, user, path_field="unit__path")
        joined = policies.scoped(base, user, path_field="unit__organization__path")
        units = policies.scoped(built.units.all(), user, path_field="path")
        units_joined = policies.scoped(built.units.all(), user)
        if root:
            kept, joined = (
                kept.filter(unit__path__startswith=root),
                joined.filter(unit__organization__path__startswith=root),
            )
        assert milestone_summary(kept) == milestone_summary(joined), (persona, root)
        assert sorted(units.values_list("pk", flat=True)) == sorted(units_joined.values_list("pk", flat=True))


def test_same_query_count_for_a_province_as_for_the_country(built, client_for, world):
    """Issue 10: the dashboard's query count is identical at both scales (a province's staff reads the scope's
    ranges through UnitRows, a platform admin's country the ORM's walk of the path index)."""
    grow(built, world, 3)

    def count(persona):
        client = client_for(persona)
        target = f"/pilots/dashboard/?program={built.pk}"
        client.get(target)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(target).status_code == 200
        return len(ctx.captured_queries)

    assert policies.scope_split(world.users["admin"]) is None  # the country's branch
    assert count("province") == count("county") == count("admin")
