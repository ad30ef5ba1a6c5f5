"""The program page's page of units, read with its capped count in one statement written once
(pilots.selectors.program_units_page), is the page the ORM's CappedPaginator gave: same rows in the same order,
same count, page number and "N+" label, for every persona and any page asked for."""

import pytest

from league import policies
from league.models import Level
from league.pagination import CappedPaginator
from pilots.models import PilotUnit
from pilots.selectors import UNIT_ROW, program_units_page, units_for
from tests.factories import OrganizationFactory
from tests.pilots.factories import PilotProgramFactory, assign_instructor

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "province", "city", "county", "street", "street_sibling", "instructor", "other_county",
            "outsider"]  # fmt: skip
ASKED = [None, "", "1", "2", "3", "7", "0", "-1", "x", "2.5", " 2", "999"]


def _orm_page(user, program, per_page, number):
    """What the program page read before program_units_page."""
    units = units_for(user).filter(program=program).order_by("organization__path").values_list(*UNIT_ROW)
    count_rows = policies.scoped(PilotUnit.objects.filter(program=program), user, path_field="path")
    return CappedPaginator(units, per_page, page=number, count_rows=count_rows).get_page(number)


def _shown(page):
    paginator = page.paginator
    return (page.number, paginator.count, paginator.capped, paginator.num_pages_label, page.has_previous(),
            page.has_next(), page.start_index(), page.end_index(), [tuple(row) for row in page.object_list])  # fmt: skip


@pytest.fixture
def crowded_program(world):
    """A county program with a unit at every organization of the world, and at 13 more streets of the county
    (more units than the count reads for a first page of one: "11+")."""
    program = PilotProgramFactory(organization=world.county)
    streets = [OrganizationFactory(code=f"ZJ-NB-YZ-X{n:02d}", name=f"街道<{n}>", level=Level.STREET,
                                   parent=world.county) for n in range(13)]  # fmt: skip
    organizations = [world.province, world.city, world.county, world.zhonghe, world.zhonghe_branch, world.shounan,
                     world.shounan_branch, world.other_county_org, world.zhuangqiao, *streets]  # fmt: skip
    for organization in organizations:
        PilotUnit.objects.create(program=program, organization=organization, joined_on=program.starts_on)
    assign_instructor(world, PilotUnit.objects.get(program=program, organization=world.zhonghe))
    PilotUnit.objects.create(
        program=PilotProgramFactory(organization=world.county), organization=world.zhonghe
    )
    return program


@pytest.mark.parametrize("persona", PERSONAS)
def test_program_units_page_is_the_orms(crowded_program, world, persona, django_assert_max_num_queries):
    user = world.users[persona]
    policies.scope_split(user, "view")  # the memberships, read once per request before the page
    for per_page in (1, 2, 5, 50):
        for number in ASKED:
            with django_assert_max_num_queries(2):
                page = program_units_page(user, crowded_program.pk, per_page, number)
            assert _shown(page) == _shown(_orm_page(user, crowded_program, per_page, number)), (
                per_page,
                number,
            )
    seen = _shown(program_units_page(user, crowded_program.pk, 50, None))
    expected_rows = {"admin": 22, "province": 22, "city": 21, "county": 18, "street": 2, "street_sibling": 2,
                     "instructor": 1, "other_county": 2, "outsider": 0}  # fmt: skip
    assert len(seen[-1]) == seen[1] == expected_rows[persona]


def test_a_page_in_range_is_one_statement(crowded_program, world, django_assert_num_queries):
    user, outsider = world.users["county"], world.users["outsider"]
    policies.scope_split(user, "view"), policies.scope_split(outsider, "view")
    with django_assert_num_queries(1):
        page = program_units_page(user, crowded_program.pk, 2, "3")
    assert page.number == 3 and page.paginator.count == 18 and len(page.object_list) == 2
    with django_assert_num_queries(1):  # the count read stops at 11 pages of one: "11+"
        page = program_units_page(user, crowded_program.pk, 1, None)
    assert page.paginator.num_pages_label == "11+"
    with django_assert_num_queries(2):  # out of range: the count (no rows), then the last page
        page = program_units_page(user, crowded_program.pk, 5, "9")
    assert page.number == 4 and len(page.object_list) == 3
    with django_assert_num_queries(0):  # no scope: no rows, as the ORM's empty condition
        page = program_units_page(outsider, crowded_program.pk, 5, "2")
    assert page.number == 1 and page.paginator.count == 0 and list(page.object_list) == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_program_choices_are_the_orms(crowded_program, world, persona):
    """pilots.selectors.program_choices gives programs_for(user)'s ids and names in its order (newest start
    first, then name): programs run in the scope, or with a unit in it; and briefings_for(user) with those ids
    gives the rows briefings_for(user) gives."""
    import datetime as dt

    from pilots.selectors import briefings_for, program_choices, programs_for

    for organization, name, starts_on in [(world.province, "乙", dt.date(2026, 3, 1)),
                                          (world.city, "甲", dt.date(2026, 3, 1)),
                                          (world.other_county_org, "丙", dt.date(2025, 1, 1)),
                                          (world.zhuangqiao, "丁", dt.date(2027, 1, 1))]:  # fmt: skip
        PilotProgramFactory(
            organization=organization,
            name=name,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=30),
        )
    from django.utils import timezone

    from pilots.models import Briefing, PilotProgram

    for n, program in enumerate(PilotProgram.objects.order_by("pk")):  # a published issue and a draft of each
        Briefing.objects.create(program=program, organization=program.organization, title=f"简报{n}", year=2026,
                                number=1, total_number=n + 1, published_at=timezone.now())  # fmt: skip
        Briefing.objects.create(program=program, organization=world.county, title=f"草稿{n}")
    user = world.users[persona]
    expected = list(programs_for(user).values_list("pk", "name"))
    assert program_choices(user) == expected
    assert len(expected) == {"admin": 6, "province": 6, "city": 5, "county": 2, "street": 2, "street_sibling": 1,
                             "instructor": 2, "other_county": 3, "outsider": 0}[persona]  # fmt: skip
    ids = [pk for pk, _ in program_choices(user)]
    briefings = list(briefings_for(user))
    assert list(briefings_for(user, program_ids=ids)) == briefings
    assert len(briefings) == len(ids) + (6 if persona in ("admin", "province", "city", "county") else 0)
