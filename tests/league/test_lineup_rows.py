"""The lineup pages' rows rendered in one pass (league/templatetags/lineup_tags.py) are the bytes their
{% for %} loops wrote: each page is compared with the loops it replaced, rendered on the same data."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from league import services
from league.models import AssignmentKind, MemberCategory, Region, Seat
from tests.factories import TermFactory, full_lineup

SEAT_LOOP = """{% load i18n %}<tbody>{% for seat in seats %}
      <tr><td>{{ seat.role_text }}</td><td><a href="{{ seat.detail_url }}">{{ seat.person.name }}</a></td><td>{{ seat.establishment_text }}</td><td>{{ seat.employment_text }}</td><td>{{ seat.category.name|default:"—" }}</td><td>{{ seat.start|date:"Y-m-d" }} · {{ seat.how_obtained_text }}</td>
        <td>{% for a in seat.assignments.all %}<span class="badge text-bg-light border">{{ a }}</span> {% empty %}—{% endfor %}</td></tr>
    {% empty %}<tr><td colspan="7" class="text-muted">{% translate "No seat is held on this date." %}</td></tr>{% endfor %}</tbody>"""

CHANGE_LOOP = """{% load i18n %}<ul class="small" data-testid="lineup-changes">{% for h in changes %}
  <li>{{ h.history_date|date:"Y-m-d H:i" }} · {% if h.history_user %}{{ h.history_user.get_full_name|default:h.history_user.username }}{% else %}{% translate "system" %}{% endif %} · {% if h.history_type == "+" %}{% translate "filled" %}{% elif h.history_type == "-" %}{% translate "deleted" %}{% else %}{% translate "changed" %}{% endif %} · {{ h.get_role_display }} {{ h.person.name }}{% if h.end %} · {% translate "ended" %} {{ h.end|date:"Y-m-d" }}{% endif %}</li>
{% empty %}<li class="text-muted">{% translate "None." %}</li>{% endfor %}</ul>"""


def _old_changes(organization):
    return (
        Seat.history.filter(term__organization=organization)
        .select_related("history_user", "person")
        .order_by("-history_date")[:20]
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_lineup_page_rows_are_the_loops_bytes(world, client_for, lineup_rules, language):
    county = world.users["county"]
    county.first_name, county.last_name = "", "王"
    county.save()
    seats = full_lineup(TermFactory(organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1)))
    category = MemberCategory.objects.create(name="青年<企业家>", order=99)
    Seat.objects.filter(pk=seats[-1].pk).update(category=category)
    services.seat_vacate(by=county, seat=seats[1], on=dt.date(2024, 6, 1))
    region = Region.objects.create(organization=world.zhonghe, name="一片区 & 二片区")
    services.assignment_add(by=county, seat=seats[2], kind=AssignmentKind.REGION, region=region)
    services.assignment_add(by=None, seat=seats[2], kind=AssignmentKind.SECTOR, label="宣传<部>")
    client = client_for("county")
    client.cookies["django_language"] = language
    bodies = {}
    for on in ("", "?on=2024-03-01", "?on=2020-01-01"):  # today, a past date, before any term (no seats)
        response = client.get(f"/orgs/{world.zhonghe.pk}/lineup/{on}", HTTP_ACCEPT_LANGUAGE=language)
        body = bodies[on] = response.content.decode()
        with translation.override(language):
            if response.context["term"]:
                old_seats = Template(SEAT_LOOP).render(Context({"seats": response.context["seats"]}))
                assert old_seats in body
            old_changes = Template(CHANGE_LOOP).render(Context({"changes": _old_changes(world.zhonghe)}))
        assert old_changes in body
    today = bodies[""]
    assert "青年&lt;企业家&gt;" in today and "宣传&lt;部&gt;" in today and "一片区 &amp; 二片区" in today
    assert " · 王 · " in today and "2024-06-01" in today  # the vacated seat's change, by a user with a name


TERM_LOOP = """{% load i18n %}{% translate "Overdue" as overdue %}{% translate "Due" context "term expiry" as due %}<tbody>{% for t in page %}<tr><td><a href="{{ t.lineup_url }}">{{ t.organization.name }}</a></td><td>{{ t.number }}</td><td>{{ t.start.isoformat }}</td><td>{{ t.end.isoformat }}</td><td>{% if t.end <= on %}<span class="badge text-bg-danger">{{ overdue }}</span>{% else %}<span class="badge text-bg-warning">{{ due }}</span>{% endif %}</td></tr>
  {% empty %}<tr><td colspan="5" class="text-muted">{% translate "No term ends within 6 months." %}</td></tr>{% endfor %}</tbody>"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_terms_ending_rows_are_the_loops_bytes(world, client_for, lineup_rules, language):
    from django.utils import timezone

    world.zhonghe.name = "中河<街道> & 团工委"
    world.zhonghe.save()
    today = timezone.localdate()
    TermFactory(
        organization=world.zhonghe, number=7, start=dt.date(2020, 1, 1), end=today - dt.timedelta(days=3)
    )
    TermFactory(
        organization=world.shounan, number=2, start=dt.date(2021, 1, 1), end=today + dt.timedelta(days=9)
    )
    client = client_for("county")
    client.cookies["django_language"] = language
    for on in ("", f"?on={today + dt.timedelta(days=400)}", "?on=2019-01-01"):  # due and overdue, none
        response = client.get(f"/lineups/expiring/{on}", HTTP_ACCEPT_LANGUAGE=language)
        context = response.context
        with translation.override(language):
            old = Template(TERM_LOOP).render(Context({"page": context["page"], "on": context["on"]}))
        assert old in response.content.decode()
    assert "中河&lt;街道&gt; &amp; 团工委" in client.get("/lineups/expiring/").content.decode()


@pytest.mark.parametrize("query", ["", "?on=2024-05-01&status=complete", "?on=nonsense"])
def test_statistics_filter_is_the_forms_own_markup(world, client_for, lineup_rules, query):
    full_lineup(TermFactory(organization=world.zhonghe, number=1, start=dt.date(2024, 1, 1)))
    response = client_for("county").get(f"/lineups/stats/{query}")
    form = response.context["form"]
    body = response.content.decode()
    assert str(form["on"]) in body and str(form["status"]) in body  # as {{ form.on }} wrote it
