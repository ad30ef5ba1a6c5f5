"""The home panel of fund applications waiting for a decision: asked by the funds the user manages, the same
applications as applications_for(user) restricted to those funds, and only for whoever manages the fund."""

import pytest

from league import policies
from pilots.funds import services as funds
from pilots.funds.models import ApplicationStatus
from pilots.funds.selectors import applications_for, pending_applications_managed_by
from tests.conftest import PERSONAS


@pytest.fixture
def two_funds(application, world):
    """The county's fund (中河's application waiting) and one of the other county, with 庄桥's application."""
    other = funds.fund_create(by=world.users["other_county"], organization=world.other_county_org,
                              name="江北基金")  # fmt: skip
    funds.entry_add(by=world.users["other_county"], fund=other, kind="source", amount="5000",
                    entry_date=application.applied_at.date(), source="工作经费")  # fmt: skip
    mine = funds.application_submit(by=world.users["admin"], fund=other, organization=world.zhuangqiao,
                                    title="庄桥青年夜校", plan="每周一次。", amount="1000",
                                    budget_lines=[{"item": "讲师", "amount": "1000"}])  # fmt: skip
    return application, mine


def _old_pending(user):
    """What the panel asked before: every application the user sees, submitted, to a fund the user manages."""
    pending = applications_for(user).filter(status=ApplicationStatus.SUBMITTED)
    manage = policies.scope_q(user, "manage", "fund__organization__path")
    return pending if manage is None else pending.filter(manage)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_same_applications_as_the_scoped_query_it_replaces(two_funds, world, persona):
    user = world.users[persona]
    assert sorted(pending_applications_managed_by(user).values_list("pk", flat=True)) == sorted(
        _old_pending(user).values_list("pk", flat=True)
    )


def test_each_county_sees_only_its_funds_applications(two_funds, client_for):
    county_app, other_app = two_funds
    county = client_for("county").get("/").content.decode()
    assert 'data-testid="home-fund-applications"' in county
    assert county_app.title in county and other_app.title not in county
    other = client_for("other_county").get("/").content.decode()
    assert other_app.title in other and county_app.title not in other
    both = client_for("admin").get("/").content.decode()
    assert county_app.title in both and other_app.title in both


def test_the_applicant_secretary_has_no_panel(two_funds, client_for):
    assert 'data-testid="home-fund-applications"' not in client_for("street").get("/").content.decode()


def _pending_panel(client):
    response = client.get("/")
    return next(
        (p.context for p in response.context["panels"] if p.template.endswith("_home_pending.html")), None
    )


def test_the_panel_counts_every_pending_application_and_lists_the_five_oldest(two_funds, world, client_for):
    """Fewer than five read are all of them (no count asked); five or more are counted."""
    county_app, other_app = two_funds
    admin = client_for("admin")
    panel = _pending_panel(admin)
    assert panel["count"] == 2 and {a.pk for a in panel["oldest"]} == {county_app.pk, other_app.pk}
    for n in range(5):
        funds.application_submit(by=world.users["admin"], fund=other_app.fund, organization=world.zhuangqiao,
                                 title=f"夜校{n}", plan="每周一次。", amount="10",
                                 budget_lines=[{"item": "讲师", "amount": "10"}])  # fmt: skip
    panel = _pending_panel(admin)
    assert panel["count"] == 7 == pending_applications_managed_by(world.users["admin"]).count()
    assert len(panel["oldest"]) == 5 and panel["oldest"][0].pk == county_app.pk
    assert _pending_panel(client_for("county"))["count"] == 1
    assert _pending_panel(client_for("province"))["count"] == 7  # both counties are in its province
    assert _pending_panel(client_for("street")) is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_panel_reads_the_orms_applications_and_count(two_funds, world, persona):
    """pending_applications (SQL written once) gives the rows, order and count of the ORM's queries it replaces:
    oldest first, ties on the time by id, only the funds the user manages, a count past the five listed."""
    from pilots.funds.models import ProjectApplication
    from pilots.guidance.panels import PENDING_SHOWN, pending_applications

    county_app, other_app = two_funds
    for n in range(5):
        funds.application_submit(by=world.users["admin"], fund=other_app.fund, organization=world.zhuangqiao,
                                 title=f"夜校<{n}>", plan="每周一次。", amount="10",
                                 budget_lines=[{"item": "讲师", "amount": "10"}])  # fmt: skip
    ProjectApplication.objects.exclude(pk=county_app.pk).update(applied_at=other_app.applied_at)  # ties
    user = world.users[persona]
    pending = pending_applications_managed_by(user)
    orm = list(pending.select_related(None).select_related("organization").only("title", "organization__name")
               .order_by("applied_at", "pk")[:PENDING_SHOWN])  # fmt: skip
    count, oldest = pending_applications(user)
    assert [(a.pk, a.title, a.organization_id, a.organization.name) for a in oldest] == [
        (a.pk, a.title, a.organization_id, a.organization.name) for a in orm
    ]
    assert (
        count
        == pending.count()
        == {"admin": 7, "province": 7, "city": 7, "county": 1, "other_county": 6}.get(persona, 0)
    )
