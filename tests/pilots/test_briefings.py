"""Briefings: good practice from accepted reports, numbered issues (第N期, 总第M期), publishing, search."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from league.models import Notice
from pilots import services
from pilots.models import Briefing
from pilots.selectors import briefings_for, programs_for
from tests.pilots.factories import filed_report, monthly_program

NOW = timezone.make_aware(dt.datetime(2026, 3, 2, 9))


@pytest.fixture
def accepted(program, world):
    reports = []
    for org, user in ((world.zhonghe, "street"), (world.shounan, "street_sibling")):
        slot = program.slots.get(organization=org, period_start=dt.date(2026, 1, 1))
        report = filed_report(slot, world.users[user])
        reports.append(services.report_accept(report=report, by=world.users["county"]))
    return reports


def _excerpt(report, world, title="片区联系"):
    return services.excerpt_mark(
        report=report, by=world.users["county"], title=title, text="副书记分片联系。"
    )


def _publish(program, world, excerpts, now=NOW, title="试点工作简报"):
    county = world.users["county"]
    briefing = services.briefing_create(by=county, program=program, title=title, excerpts=excerpts)
    return services.briefing_publish(briefing=briefing, by=county, now=now)


def test_numbers_count_per_program_and_year_and_overall_per_publisher(program, accepted, world):
    a, b = accepted
    first = _publish(program, world, [_excerpt(a, world)])
    second = _publish(program, world, [_excerpt(b, world)])
    assert (first.number, first.total_number, second.number, second.total_number) == (1, 1, 2, 2)
    next_year = _publish(program, world, [_excerpt(a, world, "新年")], now=NOW.replace(year=2027))
    assert (next_year.year, next_year.number, next_year.total_number) == (2027, 1, 3)
    other = monthly_program(world.county, [world.zhonghe], name="另一个试点")
    slot = other.slots.get(organization=world.zhonghe, period_start=dt.date(2026, 1, 1))
    report = services.report_accept(
        report=filed_report(slot, world.users["street"]), by=world.users["county"]
    )
    other_issue = _publish(other, world, [_excerpt(report, world)])
    assert (other_issue.number, other_issue.total_number) == (1, 4)  # 第1期, 总第4期 of 团鄞州区委


def test_publishing_notifies_the_units(program, accepted, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        briefing = _publish(program, world, [_excerpt(accepted[0], world)])
    for name in ("street", "street_sibling"):
        notice = Notice.objects.get(recipient=world.users[name], kind="briefing")
        assert notice.url == f"/pilots/briefings/{briefing.pk}/"


def test_bad_briefing_input_changes_nothing(program, accepted, world):
    county = world.users["county"]
    with pytest.raises(services.PilotError):  # only accepted reports give excerpts
        submitted = filed_report(program.slots.get(organization=world.zhonghe, period_start=dt.date(2026, 2, 1)),
                                 world.users["street"])  # fmt: skip
        _excerpt(submitted, world)
    empty = services.briefing_create(by=county, program=program, title="空简报")
    with pytest.raises(services.PilotError):
        services.briefing_publish(briefing=empty, by=county)
    empty.refresh_from_db()
    assert empty.number is None and empty.published_at is None
    published = _publish(program, world, [_excerpt(accepted[0], world)])
    with pytest.raises(services.PilotError):
        services.briefing_publish(briefing=published, by=county, now=NOW)
    with pytest.raises(services.PilotError):  # an excerpt goes in one briefing only
        services.briefing_create(
            by=county, program=program, title="重复", excerpts=list(published.excerpts.all())
        )
    with pytest.raises(PermissionDenied):
        services.briefing_create(by=world.users["street"], program=program, title="越权")
    assert Briefing.objects.count() == 2


def test_compose_publish_read_print_and_search_through_the_pages(program, accepted, world, client_for):
    excerpt = _excerpt(accepted[0], world, "中河街道分片联系")
    county = client_for("county")
    response = county.post(f"/pilots/programs/{program.pk}/briefings/new/",
                           {"title": "试点工作简报", "foreword": "摘编如下。", "excerpts": [excerpt.pk]})  # fmt: skip
    briefing = Briefing.objects.get()
    assert response["Location"] == f"/pilots/briefings/{briefing.pk}/"
    assert (
        client_for("street").get(f"/pilots/briefings/{briefing.pk}/").status_code == 404
    )  # drafts stay in-house
    county.post(f"/pilots/briefings/{briefing.pk}/publish/")
    briefing.refresh_from_db()
    assert briefing.number == 1
    body = client_for("street").get(f"/pilots/briefings/{briefing.pk}/").content.decode()
    assert "第1期（总第1期）" in body and "中河街道分片联系" in body
    printed = client_for("street").get(f"/pilots/briefings/{briefing.pk}/print/").content.decode()
    assert "navbar" not in printed and "中河街道分片联系" in printed
    found = client_for("street_sibling").get("/pilots/briefings/?q=分片").context["page"]
    assert [b.pk for b in found] == [briefing.pk]
    assert (
        client_for("street_sibling").get("/pilots/briefings/?q=不存在").context["page"].paginator.count == 0
    )
    assert client_for("other_county").get(f"/pilots/briefings/{briefing.pk}/").status_code == 404


def test_street_cannot_publish(program, accepted, world, client_for):
    briefing = services.briefing_create(by=world.users["county"], program=program, title="简报",
                                        excerpts=[_excerpt(accepted[0], world)])  # fmt: skip
    services.briefing_publish(briefing=briefing, by=world.users["county"], now=NOW)
    assert client_for("street").post(f"/pilots/briefings/{briefing.pk}/publish/").status_code == 403


@pytest.mark.parametrize("persona", ["admin", "province", "county", "street", "street_sibling", "instructor",
                                     "other_county"])  # fmt: skip
def test_program_page_lists_the_briefings_the_briefing_list_shows(
    program, accepted, world, client_for, persona
):
    """A published issue and a draft: the program page shows what briefings_for gives for the program (the
    draft to those who manage the publisher), with the issue number, and nothing to another county."""
    published = _publish(program, world, [_excerpt(accepted[0], world)])
    draft = services.briefing_create(by=world.users["county"], program=program, title="草稿<简报>",
                                     excerpts=[_excerpt(accepted[1], world)])  # fmt: skip
    user = world.users[persona]
    expected = list(briefings_for(user).filter(program=program)[:5])
    response = client_for(persona).get(f"/pilots/programs/{program.pk}/")
    if not programs_for(user).filter(pk=program.pk).exists():  # another county's staffer, an instructor
        assert response.status_code == 404 and expected == []
        return
    assert list(briefings_for(user, program)[:5]) == expected
    assert response.context["briefings"] == expected
    body = response.content.decode()
    assert (f'/pilots/briefings/{published.pk}/"' in body) == (published in expected)
    assert (f"/pilots/briefings/{draft.pk}/" in body) == (draft in expected) and published in expected
    if draft in expected:
        assert "草稿&lt;简报&gt;" in body


@pytest.mark.parametrize("persona", ["admin", "province", "county", "street", "street_sibling", "outsider"])
def test_latest_briefings_are_the_orms(program, accepted, world, persona):
    """pilots.selectors.latest_briefings (SQL written once, the scope written from its paths) gives the rows,
    values and order of the ORM's query it replaces: published issues newest first (ties by id), drafts only to
    those who manage the publisher, at most `limit`."""
    from pilots.selectors import latest_briefings

    for day in (1, 3, 3, 2):
        _publish(
            program, world, [_excerpt(accepted[0], world, title=f"第{day}")], now=NOW + dt.timedelta(days=day)
        )
    for title in ("草稿一", "草稿二"):
        services.briefing_create(by=world.users["county"], program=program, title=title,
                                 excerpts=[_excerpt(accepted[1], world, title=title)])  # fmt: skip
    user = world.users[persona]
    orm = (
        briefings_for(user, program)
        .select_related(None)
        .only("title", "published_at", "number", "total_number")
    )
    for limit in (5, 20):
        rows = [(b.pk, b.title, b.number, b.total_number, b.published_at) for b in latest_briefings(user, program.pk,
                                                                                                    limit)]  # fmt: skip
        assert rows == [(b.pk, b.title, b.number, b.total_number, b.published_at) for b in orm[:limit]]
    assert len(latest_briefings(user, program.pk, 20)) == (
        6 if persona in ("admin", "province", "county") else 4
    )


@pytest.mark.parametrize("persona", ["province", "county", "street"])
def test_briefing_list_query_count(program, accepted, world, client_for, persona, django_assert_num_queries):
    """Session, user, memberships; the programs the user sees (the filter's select, and whose issues are listed);
    a first page no longer than a page in one query (no COUNT); the unread notices. The same with more issues,
    and the program select shows the programs in scope."""
    client = client_for(persona)
    for issues in (1, 3):
        while Briefing.objects.count() < issues:
            _publish(program, world, [_excerpt(accepted[0], world, title=f"第{issues}")])
        client.get("/pilots/briefings/")
        with django_assert_num_queries(6):
            response = client.get("/pilots/briefings/")
        assert len(response.context["page"].object_list) == issues
        assert f'<option value="{program.pk}">{program.name}</option>' in response.content.decode()
