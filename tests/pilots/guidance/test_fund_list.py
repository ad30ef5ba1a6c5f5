"""The funds list: the create form offers the same programs as before (programs the staffer manages, run by a
committee that may hold a fund), and a short list is read in one query, without a COUNT."""

from decimal import Decimal

import pytest

from league import policies
from pilots.funds import services as funds
from pilots.funds.views import _fund_form
from pilots.selectors import programs_for
from tests.conftest import PERSONAS
from tests.pilots.factories import PilotProgramFactory, monthly_program
from tests.pilots.guidance.conftest import JAN1


@pytest.fixture
def programs(program, world):
    monthly_program(world.province, [world.zhonghe], name="省试点")
    monthly_program(world.other_county_org, [world.shounan], name="江北试点（首南参加）")  # a unit in 鄞州
    PilotProgramFactory(organization=world.zhonghe, name="街道自办")  # run by a street: holds no fund
    PilotProgramFactory(organization=world.city, name="市试点")
    return world


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_create_form_offers_the_programs_it_offered(programs, persona):
    user = programs.users[persona]
    # What the form asked before: programs_for(user, "manage") run by one of the holders the user manages.
    holders = policies.organizations_for(user, "manage").filter(level__in=funds.FUND_HOLDER_LEVELS)
    before = programs_for(user, "manage").filter(organization__in=holders.values("pk"))
    for data in (None, {}):  # shown, and validating a post
        offered = _fund_form(user, data).fields["program"].queryset
        assert list(offered.values_list("pk", flat=True)) == list(before.values_list("pk", flat=True))
    if persona in ("county", "province", "admin"):
        assert before.exists()


def test_a_short_list_is_one_query_without_a_count(fund, client_for, django_assert_num_queries):
    client = client_for("county")
    client.get("/pilots/funds/")
    # session, user, memberships, the funds (with their balances), the bell, the form's two selects
    with django_assert_num_queries(7) as ctx:
        body = client.get("/pilots/funds/").content.decode()
    assert not [q for q in ctx.captured_queries if '"__count"' in q["sql"]]
    assert "试点工作基金" in body and f'href="/pilots/funds/{fund.pk}/"' in body


def test_the_figures_stay_right_list_after_list(funded, world, client_for):
    """The balance and pending subqueries are built once and reused: each list still shows each fund's own."""
    from pilots.funds import stats
    from pilots.funds.models import Fund

    other = funds.fund_create(by=world.users["province"], organization=world.province, name="省基金")
    funds.entry_add(
        by=world.users["province"],
        fund=other,
        kind="source",
        amount="25.50",
        entry_date=JAN1,
        source="省级经费",
    )
    for _ in range(3):
        shown = {f.pk: (f.balance, f.pending_n) for f in stats.with_figures(Fund.objects.all())}
        expected = {
            f.pk: (stats.summary(f)["balance"], stats.summary(f)["pending_n"]) for f in Fund.objects.all()
        }
        assert shown == expected and shown[other.pk][0] == Decimal("25.50") and shown[funded.pk][0] == 10000
        body = client_for("province").get("/pilots/funds/").content.decode()
        assert '<td class="text-end">25.50</td>' in body


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_forms_options_are_the_orms_rows(programs, persona):
    """The create form's options, read as SQL written once (fund_form_options), are the rows of the ORM's
    querysets the form validates a post against: the same ids and names in the same order, and the form shown
    is the bytes the querysets' options wrote."""
    from django.template import Context, Template

    from pilots.funds.forms import FundForm
    from pilots.funds.selectors import fund_form_options
    from pilots.models import PilotProgram

    PilotProgramFactory(organization=programs.city, name="市试点")  # a tie on start and name: by id
    user = programs.users[persona]
    organizations, offered = fund_form_options(user)
    holders = policies.organizations_for(user, "manage").filter(level__in=funds.FUND_HOLDER_LEVELS)
    assert organizations == list(holders.order_by("path").values_list("pk", "name"))
    orm = policies.scoped(
        PilotProgram.objects.filter(organization__level__in=funds.FUND_HOLDER_LEVELS), user, "manage"
    )
    assert offered == list(orm.order_by("-starts_on", "name", "id").values_list("pk", "name"))
    shown = _fund_form(user)
    old = FundForm(None, organizations=holders.order_by("path"), programs=shown.fields["program"].queryset)
    render = Template("{% load crispy_fast %}{{ form|fast_crispy }}").render
    assert render(Context({"form": shown})) == render(Context({"form": old}))
    if persona in ("county", "province", "admin"):
        assert organizations and offered
    if persona in ("province", "admin"):  # the city's two programs of the same start and name
        assert [name for _, name in offered].count("市试点") == 2


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_lists_rows_are_the_orms(application, programs, world, persona):
    """fund_list_rows (SQL written once) reads the rows of with_figures(funds_for(user)) by organization path
    and name: the same funds, organizations, programs, balances (cents included) and pending counts, for every
    persona's scope, a page at a time and counted."""
    from pilots.funds import stats
    from pilots.funds.selectors import fund_list_rows, funds_for

    province, city = world.users["province"], world.users["province"]
    other = funds.fund_create(by=province, organization=world.province, name="省基金")  # no program
    funds.entry_add(
        by=province, fund=other, kind="source", amount="25.51", entry_date=JAN1, source="省级经费"
    )
    funds.entry_add(by=city, fund=other, kind="source", amount="0.02", entry_date=JAN1, source="捐赠")
    funds.fund_create(by=province, organization=world.province, name="空基金")  # no entry: a zero balance
    user = world.users[persona]
    orm = stats.with_figures(funds_for(user)).order_by("organization__path", "name")

    def shown(fund):
        program = None if fund.program is None else (fund.program.pk, fund.program.name)
        where = (fund.organization.pk, fund.organization.name, fund.organization.path)
        return fund.pk, fund.name, where, program, fund.balance, str(fund.balance), fund.pending_n

    rows = fund_list_rows(user)
    assert [shown(f) for f in rows[0:50]] == [shown(f) for f in orm]
    assert [shown(f) for f in rows[1:2]] == [shown(f) for f in orm[1:2]]
    assert rows.count() == orm.count()
    if persona in ("province", "admin"):
        assert {f.name for f in orm} >= {"省基金", "空基金", "试点工作基金"}
        assert any(f.pending_n for f in orm) and Decimal("25.53") in {f.balance for f in orm}
    if persona == "street":  # a unit of the county's program sees the county's fund through its program
        assert [f.name for f in orm] == ["试点工作基金"]
