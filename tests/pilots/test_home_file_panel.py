"""The home page's "Reports to file" panel for a platform admin: the eight most urgent slots of the country, read
within the deadlines up to the eighth slot's (the same rows as the unbounded query, one more query)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilots import panels
from pilots.demo import _month_end
from pilots.selectors import outstanding_slots_for
from tests.pilots.conftest import month_start
from tests.pilots.factories import filed_report, monthly_program

BOUND_SQL = 'SELECT "pilots_reportslot"."deadline" AS "deadline" FROM "pilots_reportslot"'


def _program(world):
    """Seven open months for three streets: deadlines tie in threes, so the eighth slot is decided by path."""
    nxt = month_start(1)
    return monthly_program(world.county, [world.zhonghe, world.shounan, world.zhuangqiao],
                           starts_on=month_start(-6), ends_on=_month_end(nxt.year, nxt.month))  # fmt: skip


def _ids(queryset):
    return list(queryset.values_list("pk", flat=True)[: panels.HOME_SLOT_COUNT])


def test_the_bound_keeps_the_same_eight_slots(world):
    program = _program(world)
    # Filed slots drop out of the list: the first month of 中河, the second of 首南.
    filed_report(
        program.slots.get(organization=world.zhonghe, period_start=month_start(-6)), world.users["street"]
    )
    filed_report(program.slots.get(organization=world.shounan, period_start=month_start(-5)),
                 world.users["street_sibling"])  # fmt: skip
    outstanding = outstanding_slots_for(world.users["admin"])
    expected = _ids(outstanding)
    assert len(expected) == panels.HOME_SLOT_COUNT and outstanding.count() > panels.HOME_SLOT_COUNT
    assert _ids(panels._before_eighth_deadline(outstanding)) == expected
    eighth = outstanding[panels.HOME_SLOT_COUNT - 1].deadline
    assert panels._before_eighth_deadline(outstanding).filter(deadline__gt=eighth).count() == 0


def test_fewer_than_eight_slots_are_all_kept(world):
    program = _program(world)
    outstanding = outstanding_slots_for(world.users["admin"]).filter(
        organization=world.zhonghe, program=program
    )
    assert panels._before_eighth_deadline(outstanding).count() == outstanding.count() == 7


def test_the_admin_home_lists_the_eight_most_urgent_slots_in_one_more_query(world, client_for):
    _program(world)
    client = client_for("admin")
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    shown = [
        slot.pk
        for slot in next(p for p in response.context["panels"] if "slots" in p.context).context["slots"]
    ]
    assert shown == _ids(outstanding_slots_for(world.users["admin"]))
    bound = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(BOUND_SQL)]
    assert len(bound) == 1 and bound[0].endswith("LIMIT 8")


def test_a_secretary_home_has_no_bound_query(world, client_for, recent_program):
    client = client_for("street")
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert ctx.captured_queries and not any(q["sql"].startswith(BOUND_SQL) for q in ctx.captured_queries)
