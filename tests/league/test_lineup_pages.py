"""Lineup pages per persona, and query counts that do not grow with data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from league.models import Kind, Level, SeatRole
from tests.factories import OrganizationFactory, PersonFactory, SeatFactory, TermFactory, full_lineup
from tests.pilots.factories import assign_instructor


def grow(world, n, offset=0):
    for i in range(offset, offset + n):
        street = OrganizationFactory(parent=world.county, level=Level.STREET, kind=Kind.WORKING_COMMITTEE,
                                     code=f"LP-{i}")  # fmt: skip
        full_lineup(TermFactory(organization=street, number=1, end=timezone.localdate() + dt.timedelta(days=30)),
                    deputies=2 + i % 2, members=6)  # fmt: skip
        PersonFactory(organization=world.zhonghe)
        SeatFactory(term=TermFactory(organization=world.zhonghe, number=100 + i, start=dt.date(1990 + i, 1, 1),
                                     end=dt.date(1990 + i, 12, 1)))  # fmt: skip


def count(client, url):
    client.get(url)  # warm: lineup verdicts are kept on first sight (league.lineup_snapshots)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["stats", "lineup", "expiring", "people", "panel", "seat"])
def test_query_counts_do_not_grow(world, client_for, lineup_rules, name):
    seat = full_lineup(TermFactory(organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1)))[1]
    urls = {"stats": f"/lineups/stats/?org={world.county.pk}", "lineup": f"/orgs/{world.zhonghe.pk}/lineup/",
            "expiring": "/lineups/expiring/", "people": "/people/", "panel": f"/orgs/{world.county.pk}/lineup/panel/",
            "seat": f"/seats/{seat.pk}/"}  # fmt: skip
    client = client_for("county")
    grow(world, 2)
    small = count(client, urls[name])
    grow(world, 12, offset=2)
    large = count(client, urls[name])
    assert small == large, (name, small, large)
    assert large <= 25


def test_statistics_show_complete_and_incomplete_committees(world, client_for, lineup_rules):
    full_lineup(TermFactory(organization=world.zhonghe, number=1), deputies=4, members=6, outside_deputies=2)
    full_lineup(TermFactory(organization=world.shounan, number=1), deputies=2, members=7)
    body = client_for("county").get(f"/lineups/stats/?org={world.county.pk}").content.decode()
    assert "1/2" in body and "50.0%" in body
    assert "副书记2名，规则要求至少3名" in body
    incomplete = (
        client_for("county").get(f"/lineups/stats/?org={world.county.pk}&status=incomplete").content.decode()
    )
    units = incomplete[incomplete.index('data-testid="stats-units"') :]
    assert "首南" in units and "中河" not in units
    export = client_for("county").get(f"/lineups/stats/export.xlsx?org={world.county.pk}")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_street_secretary_sees_its_own_lineup_and_not_the_county(world, client_for, lineup_rules):
    street = client_for("street")
    assert street.get(f"/orgs/{world.zhonghe.pk}/lineup/").status_code == 200
    assert street.get(f"/lineups/stats/?org={world.county.pk}").status_code == 404
    body = street.get("/lineups/stats/").content.decode()
    assert "鄞州区中河街道团工委" in body and "首南" not in body


def test_lineup_of_a_past_date(world, client_for, lineup_rules):
    term = TermFactory(organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1))
    SeatFactory(term=term, role=SeatRole.SECRETARY, person=PersonFactory(organization=world.zhonghe, name="老书记"),
                end=dt.date(2024, 6, 1))  # fmt: skip
    SeatFactory(term=term, role=SeatRole.SECRETARY, person=PersonFactory(organization=world.zhonghe, name="新书记"),
                start=dt.date(2024, 6, 1))  # fmt: skip
    client = client_for("street")
    past = client.get(f"/orgs/{world.zhonghe.pk}/lineup/?on=2024-03-01").content.decode()
    now = client.get(f"/orgs/{world.zhonghe.pk}/lineup/").content.decode()
    seats_past = past[past.index('data-testid="lineup-seats"') :].split("</table>")[0]
    seats_now = now[now.index('data-testid="lineup-seats"') :].split("</table>")[0]
    assert "老书记" in seats_past and "新书记" not in seats_past
    assert "新书记" in seats_now and "老书记" not in seats_now


def test_age_rule_is_a_warning_not_a_block(world, client_for, lineup_rules):
    client = client_for("street")
    response = client.post("/people/new/", {"org": world.zhonghe.pk, "name": "年长者", "birth_date": "1980-01-01",
                                            "political_status": "league_member"}, follow=True)  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and "超出团员年龄14–28岁" in body
    person = world.zhonghe.people.get(name="年长者")
    term = TermFactory(organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1))
    SeatFactory(term=term, person=person)
    assert person.age_warning() == ""  # holding a league post


def test_person_form_names_the_bad_fields(world, client_for):
    response = client_for("street").post("/people/new/", {"org": world.zhonghe.pk, "name": "某", "phone": "123",
                                                          "id_number": "123456", "political_status": "league_member"})  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and "不是电话号码" in body and "不是有效的18位身份证号" in body
    assert not world.zhonghe.people.exists()


def test_fill_form_refuses_a_second_secretary(world, client_for, lineup_rules):
    term = TermFactory(organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1))
    SeatFactory(
        term=term, role=SeatRole.SECRETARY, person=PersonFactory(organization=world.zhonghe, name="现书记")
    )
    other = PersonFactory(organization=world.zhonghe)
    response = client_for("county").post(f"/terms/{term.pk}/seats/new/", {
        "person": other.pk, "role": "secretary", "establishment": "inside", "employment": "full_time",
        "start": "2024-02-01", "how_obtained": "election"})  # fmt: skip
    assert response.status_code == 200 and "本届已有书记（现书记）" in response.content.decode()
    assert term.seats.count() == 1


def test_sibling_cannot_fill_or_see_seats(world, client_for, lineup_rules):
    term = TermFactory(organization=world.zhonghe, number=1)
    assert client_for("street_sibling").get(f"/terms/{term.pk}/seats/new/").status_code == 404
    assert client_for("instructor").get(f"/terms/{term.pk}/seats/new/").status_code == 404  # no unit there
    assign_instructor(world)  # the instructor now sees 中河, but may not fill its seats
    assert client_for("instructor").get(f"/terms/{term.pk}/seats/new/").status_code == 403


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_seat_rows_show_the_labels_and_links_of_each_seat(world, lineup_rules, language):
    """The lineup page sets each row's link and choice labels once per page: the same text as {% url %} and
    get_FOO_display, in the page's language."""
    from django.urls import reverse
    from django.utils import translation

    from league.views_lineups import _label_rows

    seats = full_lineup(TermFactory(organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1)))
    with translation.override(language):
        _label_rows(seats)
        for seat in seats:
            assert seat.detail_url == reverse("seat_detail", args=[seat.pk])
            assert (seat.role_text, seat.establishment_text, seat.employment_text, seat.how_obtained_text) == (
                seat.get_role_display(), seat.get_establishment_display(), seat.get_employment_display(),
                seat.get_how_obtained_display(),
            )  # fmt: skip


@pytest.mark.parametrize("page", ["lineup", "expiring"])
@pytest.mark.parametrize("bad", ["2020-02-30", "2024-13-01", "soon"])
def test_a_date_that_is_not_one_is_said_and_today_shown(world, client_for, lineup_rules, page, bad):
    url = {"lineup": f"/orgs/{world.zhonghe.pk}/lineup/", "expiring": "/lineups/expiring/"}[page]
    client = client_for("county")
    response = client.get(f"{url}?on={bad}")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"“{bad}”" in body and "日期（on）" in body  # the field named, in the default language
    today = client.get(url).content.decode()
    assert (
        timezone.localdate().strftime("%Y-%m-%d") in body
        and timezone.localdate().strftime("%Y-%m-%d") in today
    )
    assert "日期（on）" not in client.get(f"{url}?on=2024-03-01").content.decode()
