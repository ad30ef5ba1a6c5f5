"""The home page's "Reports to file" panel for a platform admin: the eight most urgent slots of the country, read
within the deadlines up to the eighth slot's (the same rows as the ORM's unbounded query), as SQL written once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilots import panels
from pilots.demo import _month_end
from pilots.models import Report, ReportState
from pilots.selectors import outstanding_slots_for
from tests.pilots.conftest import month_start
from tests.pilots.factories import filed_report, monthly_program

SLOT_SQL = 'FROM "pilots_reportslot"'
BOUND_SQL = 'SELECT s."deadline" FROM "pilots_reportslot"'  # the deadlines up to the eighth slot's


def _program(world):
    """Seven open months for three streets: deadlines tie in threes, so the eighth slot is decided by path."""
    nxt = month_start(1)
    return monthly_program(world.county, [world.zhonghe, world.shounan, world.zhuangqiao],
                           starts_on=month_start(-6), ends_on=_month_end(nxt.year, nxt.month))  # fmt: skip


def _shown(slots):
    """What pilots/_file_list.html shows of each slot, and what its status reads."""
    on = month_start(0)
    return [(slot.pk, slot.period_start, slot.period_end, slot.deadline, slot.organization.name,
             slot.program.name, slot.status(on), getattr(slot, "report", None) and
             (slot.report.pk, slot.report.state, slot.report.return_reason, slot.report.return_comment))
            for slot in slots]  # fmt: skip


def _orm(world):
    """The ORM's query the panel's statement replaces."""
    return list(
        outstanding_slots_for(world.users["admin"], on=month_start(0))
        .select_related(None)
        .select_related("organization", "program", "report")
        .only(*panels.HOME_SLOT_FIELDS)[: panels.HOME_SLOT_COUNT]
    )


def test_the_national_slots_are_the_orms_eight_most_urgent(world):
    """Deadlines tie in threes (the eighth slot decided by path), filed slots drop out, drafts and returned
    reports stay with their state and reason."""
    program = _program(world)
    filed_report(
        program.slots.get(organization=world.zhonghe, period_start=month_start(-6)), world.users["street"]
    )
    filed_report(program.slots.get(organization=world.shounan, period_start=month_start(-5)),
                 world.users["street_sibling"])  # fmt: skip
    draft = filed_report(program.slots.get(organization=world.shounan, period_start=month_start(-6)),
                         world.users["street_sibling"], submit=False)  # fmt: skip
    returned = filed_report(program.slots.get(organization=world.shounan, period_start=month_start(-4)),
                            world.users["street_sibling"])  # fmt: skip
    Report.objects.filter(pk=returned.pk).update(state=ReportState.RETURNED, return_reason="vague",
                                                 return_comment="再具体些")  # fmt: skip
    expected = _shown(_orm(world))
    assert len(expected) == panels.HOME_SLOT_COUNT
    assert outstanding_slots_for(world.users["admin"]).count() > panels.HOME_SLOT_COUNT
    assert {draft.pk, returned.pk} <= {row[-1][0] for row in expected if row[-1]}
    assert _shown(panels.national_slots(month_start(0))) == expected


def test_fewer_than_eight_slots_are_all_kept(world, recent_program):
    filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-3)),
                 world.users["street"])  # fmt: skip
    expected = _shown(_orm(world))
    assert 0 < len(expected) < panels.HOME_SLOT_COUNT
    assert _shown(panels.national_slots(month_start(0))) == expected


def test_nothing_to_file(world):
    assert _orm(world) == panels.national_slots(month_start(0)) == []


def test_the_admin_home_lists_the_eight_most_urgent_slots_in_two_queries(world, client_for):
    _program(world)
    client = client_for("admin")
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    shown = next(p for p in response.context["panels"] if "slots" in p.context).context["slots"]
    assert [slot.pk for slot in shown] == [slot.pk for slot in _orm(world)]
    slot_queries = [q["sql"] for q in ctx.captured_queries if SLOT_SQL in q["sql"]]
    assert len(slot_queries) == 2 and slot_queries[0].startswith(BOUND_SQL), slot_queries


def test_a_secretary_home_has_no_bound_query(world, client_for, recent_program):
    client = client_for("street")
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert ctx.captured_queries and not any(q["sql"].startswith(BOUND_SQL) for q in ctx.captured_queries)
