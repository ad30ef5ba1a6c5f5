"""Instructors: assignment-based scope, logging visits (bad input included), the five ones on a fixed clock."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from league import uploads
from pilots.guidance import services as guidance
from pilots.guidance import stats
from pilots.guidance.models import FiveOnesTarget, Period, Problem, Visit
from pilots.guidance.policies import assigned_units, guidance_units_for
from pilots.models import PilotUnit
from pilots.services import PilotError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
MAR2 = dt.date(2026, 3, 2)  # a Monday


def log(world, unit, day=MAR2, **kw):
    kw.setdefault("kind", "guidance")
    kw.setdefault("summary", "实地指导")
    return guidance.visit_log(by=world.users["instructor"], unit=unit, visited_on=day, **kw)


@pytest.fixture
def branch_unit(program, world):
    """A second unit inside the instructor's subtree (中河's community branch), not assigned to them."""
    return PilotUnit.objects.create(
        program=program, organization=world.zhonghe_branch, joined_on=program.starts_on
    )


def test_instructor_sees_only_assigned_units(assignment, unit, branch_unit, sibling_unit, world):
    instructor = world.users["instructor"]
    assert list(guidance_units_for(instructor)) == [unit]
    assert set(guidance_units_for(world.users["county"])) == {unit, branch_unit, sibling_unit}
    assert set(guidance_units_for(world.users["street"])) == {unit, branch_unit}
    assert not guidance_units_for(world.users["street_sibling"]).filter(pk=unit.pk).exists()
    assert list(assigned_units(instructor, on=dt.date(2025, 12, 31))) == []


def test_instructor_cannot_log_for_an_unassigned_unit(assignment, branch_unit, world):
    with pytest.raises(PilotError, match="not assigned") as exc:
        log(world, branch_unit)
    assert exc.value.field == "unit"
    assert not Visit.objects.exists()


def test_pages_follow_the_assignment(assignment, unit, branch_unit, client_for):
    client = client_for("instructor")
    assert client.get(f"/pilots/guidance/units/{unit.pk}/").status_code == 200
    assert client.get(f"/pilots/guidance/units/{branch_unit.pk}/").status_code == 404
    assert client.get(f"/pilots/guidance/units/{branch_unit.pk}/visits/new/").status_code == 404
    assert client_for("street").get(f"/pilots/guidance/units/{unit.pk}/visits/new/").status_code == 403


def test_visit_outside_the_assignment_dates(unit, world):
    guidance.assignment_add(by=world.users["county"], unit=unit, instructor=world.users["instructor"],
                            starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 4, 30))  # fmt: skip
    with pytest.raises(PilotError, match="outside your assignment") as exc:
        log(world, unit, day=dt.date(2026, 5, 4))
    assert exc.value.field == "visited_on"
    assert not Visit.objects.exists()


def test_visit_in_the_future_is_refused(assignment, unit, world):
    with pytest.raises(PilotError, match="in the future") as exc:
        log(world, unit, day=dt.date.today() + dt.timedelta(days=3))
    assert exc.value.field == "visited_on"


@pytest.mark.parametrize("amount", ["-100", "12.345", "四千", "nan"])
def test_bad_funds_amount(assignment, unit, world, amount):
    with pytest.raises(PilotError) as exc:
        log(world, unit, funds_amount=amount, funds_source="街道")
    assert exc.value.field == "funds_amount"
    assert not Visit.objects.exists() and not Problem.objects.exists()


def test_funds_need_a_source(assignment, unit, world):
    with pytest.raises(PilotError) as exc:
        log(world, unit, funds_amount="800")
    assert exc.value.field == "funds_source"


def test_a_bad_file_stores_nothing(assignment, unit, world):
    with pytest.raises(PilotError) as exc:
        log(world, unit, problems=[guidance.ProblemItem("场地", solved=True)],
            files=[uploads.in_memory(b"MZ\x90\x00 not a picture", "virus.png")])  # fmt: skip
    assert exc.value.field == "files"
    assert not Visit.objects.exists() and not Problem.objects.exists()


def test_staff_only_assign_instructors_with_the_role(unit, world):
    with pytest.raises(PilotError, match="no instructor role") as exc:
        guidance.assignment_add(by=world.users["county"], unit=unit, instructor=world.users["street"],
                                starts_on=MAR2)  # fmt: skip
    assert exc.value.field == "instructor"
    with pytest.raises(PermissionDenied):
        guidance.assignment_add(by=world.users["street"], unit=unit, instructor=world.users["instructor"],
                                starts_on=MAR2)  # fmt: skip


def test_problems_raised_then_solved_later(assignment, unit, world):
    first = log(world, unit, problems=[guidance.ProblemItem("缺少活动经费", kind="funding")])
    problem = first.problems_raised.get()
    assert problem.status == "open"
    second = log(world, unit, day=MAR2 + dt.timedelta(days=7), funds_amount="800", funds_source="镇政府",
                 solve=[problem.pk])  # fmt: skip
    problem.refresh_from_db()
    assert (problem.status, problem.solved_in, problem.solved_on) == ("solved", second, second.visited_on)
    with pytest.raises(PilotError) as exc:
        log(world, unit, day=MAR2 + dt.timedelta(days=8), solve=[problem.pk])
    assert exc.value.field == "solve"


def test_five_ones_on_a_fixed_clock(program, assignment, unit, world):
    """Program from 2026-01-01; judged on Sunday 2026-03-15: eleven weeks, visits in only the last two."""
    log(world, unit, day=MAR2, kind="survey", summary="调研并制定实施方案")
    log(world, unit, day=dt.date(2026, 3, 10), kind="activity", activity_designed="青春集市",
        funds_amount="500", funds_source="镇团委", problems=[guidance.ProblemItem("场地", solved=True)])  # fmt: skip
    on = dt.date(2026, 3, 15)
    items = {i.key: i for i in stats.five_ones(program, [unit], on=on)[unit.pk]}
    assert all(items[k].done for k in ("plan", "activity", "funding", "difficulty"))
    visits = items["visits"]
    assert not visits.done and len(visits.missed) == 9  # the nine weeks from Dec 29 to Feb 23 had no visit
    assert visits.missed[0] == (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert dt.date(2026, 3, 2) not in [first for first, _last in visits.missed]
    # Targets are data: a county asking for 3 visits a month sees January and February missed too.
    FiveOnesTarget.objects.create(program=program, visits=3, visit_period=Period.MONTH)
    program.refresh_from_db()
    items = {i.key: i for i in stats.five_ones(program, [unit], on=dt.date(2026, 3, 31))[unit.pk]}
    assert [first.month for first, _last in items["visits"].missed] == [1, 2, 3]


def test_totals_per_instructor_unit_and_program(program, assignment, unit, world):
    log(world, unit, kind="activity", activity_designed="青年讲堂", funds_amount="1000", funds_source="教育局",
        problems=[guidance.ProblemItem("a", solved=True), guidance.ProblemItem("b", solved=True)])  # fmt: skip
    log(world, unit, day=MAR2 + dt.timedelta(days=1), problems=[guidance.ProblemItem("c")])
    totals = stats.program_totals(program, Visit.objects.all())
    t = totals["by_instructor"][world.users["instructor"].pk]
    assert (t.visits, t.activities, t.solved, t.funds) == (2, 1, 2, Decimal("1000.00"))
    assert totals["total"] == t and totals["instructors"] == 1


def test_visit_form_logs_a_solved_problem(assignment, unit, client_for):
    client = client_for("instructor")
    response = client.post(f"/pilots/guidance/units/{unit.pk}/visits/new/", {
        "visited_on": "2026-03-02", "kind": "guidance", "summary": "指导换届", "solved_now": "团员名册不全",
        "problem_kind": "difficulty", "funds_amount": "", "files": [uploads.in_memory(PNG, "照片.png")],
    })  # fmt: skip
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.problems_solved.get().description == "团员名册不全" and visit.attachments.count() == 1
    page = client.get(response["Location"])
    assert "团员名册不全" in page.content.decode()


def test_visit_form_names_the_bad_field(assignment, unit, client_for):
    response = client_for("instructor").post(f"/pilots/guidance/units/{unit.pk}/visits/new/", {
        "visited_on": "2026-03-02", "kind": "guidance", "summary": "x", "problem_kind": "difficulty",
        "funds_amount": "-5", "funds_source": "x",
    })  # fmt: skip
    assert response.status_code == 200
    assert "funds_amount" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_program_guidance_page_query_count_is_flat(program, assignment, unit, world, client_for,
                                                   django_assert_max_num_queries):  # fmt: skip
    client = client_for("county")
    url = f"/pilots/programs/{program.pk}/guidance/"
    log(world, unit)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    for i in range(12):
        log(
            world,
            unit,
            day=MAR2 + dt.timedelta(days=i + 1),
            problems=[guidance.ProblemItem(f"p{i}", solved=True)],
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
