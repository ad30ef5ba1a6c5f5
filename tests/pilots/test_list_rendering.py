"""The fast per-row helpers of the pilot lists render exactly what the templates they replaced rendered."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import translation

from league.models import Breach, LineupStatus, Organization
from pilots.dashboard import Cell
from pilots.forms import ReturnForm
from pilots.models import PilotProgram, Report, ReportSlot
from pilots.templatetags.pilots_tags import (
    _review_values,
    end_cells,
    matrix_cell,
    matrix_cells,
    row_url,
    status_badge,
)
from tests.pilots.conftest import month_start
from tests.pilots.factories import filed_report

# The templates as they were before the helpers (pilots/_status.html and the dashboard's matrix cell).
OLD_STATUS = (
    '{% load i18n %}{% if status == "accepted" %}<span class="badge text-bg-success">{% translate "Accepted" '
    'context "report status" %}</span>{% elif status == "submitted" %}<span class="badge text-bg-primary">'
    '{% translate "Submitted" %}</span>{% elif status == "late" %}<span class="badge text-bg-warning">'
    '{% translate "Late" %}</span>{% elif status == "returned" %}<span class="badge text-bg-danger">'
    '{% translate "Returned" %}</span>{% elif status == "overdue" or status == "missing" %}<span class="badge '
    'text-bg-dark">{% translate "Overdue" %}</span>{% elif status == "draft" %}<span class="badge '
    'text-bg-secondary">{% translate "Draft" %}</span>{% elif status == "due" or status == "pending" %}<span '
    'class="badge text-bg-light border">{% translate "Due" %}</span>{% else %}<span class="badge '
    'text-bg-light border">{% translate "Upcoming" %}</span>{% endif %}'
)
OLD_CELL = (
    '{% if cell %}{% if cell.report_id and cell.status != "pending" and cell.status != "missing" and '
    'cell.status != "draft" %}<a class="cell cell-{{ cell.status }}" href="{% url \'pilots:report_detail\' '
    'cell.report_id %}" data-status="{{ cell.status }}">{% else %}<span class="cell cell-{{ cell.status }}" '
    'data-status="{{ cell.status }}">{% endif %}{% if cell.status == "accepted" %}✓{% elif cell.status == '
    '"submitted" %}↑{% elif cell.status == "late" %}!{% elif cell.status == "returned" %}↺{% elif cell.status '
    '== "draft" %}…{% elif cell.status == "missing" %}✗{% else %}·{% endif %}{% if cell.report_id and '
    'cell.status != "pending" and cell.status != "missing" and cell.status != "draft" %}</a>{% else %}</span>'
    "{% endif %}{% endif %}"
)
STATUSES = ["accepted", "submitted", "late", "returned", "overdue", "missing", "draft", "due", "pending",
            "upcoming", ""]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_status_badge_renders_what_the_status_template_rendered(language):
    with translation.override(language):
        for status in STATUSES:
            assert status_badge(status) == Template(OLD_STATUS).render(Context({"status": status}))


def test_matrix_cell_renders_what_the_template_rendered():
    cells = [None] + [Cell(s, r) for s in STATUSES[:-1] for r in (None, 42)]
    for cell in cells:
        assert matrix_cell(cell) == Template(OLD_CELL).render(Context({"cell": cell}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_row_url_is_reverse(language):
    with translation.override(language):
        for name in (
            "pilots:report_detail",
            "pilots:report_review",
            "pilots:unit_detail",
            "pilots:slot_file",
            "pilots:rating_round",
        ):
            for pk in (1, 42, 987654321, 10**12):
                assert row_url(name, pk) == reverse(name, args=[pk])


def test_review_queue_reads_the_row_columns_of_the_reports_it_lists(recent_program, client_for, world):
    """The queue's values_list rows are the reports' own values (the progress cut to its head), in
    REVIEW_ROW_COLUMNS' order."""
    report = filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)),
                          world.users["street"], progress="x" * 200)  # fmt: skip
    rows = list(client_for("county").get("/pilots/reports/review/").context["page"].object_list)
    report.progress = "x" * 161
    assert rows == [_review_values(report)]


def test_review_queue_shows_the_head_of_a_long_progress_text(recent_program, client_for, world):
    progress = "进展" * 150 + "结尾"
    report = filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)),
                          world.users["street"], progress=progress)  # fmt: skip
    body = client_for("county").get("/pilots/reports/review/").content.decode()
    assert f'id="review-{report.pk}"' in body
    assert f'text-truncate-2">{truncatechars(progress, 160)}</div>' in body and "结尾" not in body


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_end_cells_render_what_the_cell_loop_rendered(language):
    old = Template('{% for c in cells %}<td class="text-end">{{ c }}</td>{% endfor %}')
    cells = [0, 7, 1234567, 2.5, None, "<b>"]
    with translation.override(language):
        assert end_cells(cells) == old.render(Context({"cells": cells}))


def test_matrix_cells_render_the_row_the_cell_loop_rendered():
    cells = [None] + [Cell(s, r) for s in STATUSES[:-1] for r in (None, 42)]
    old = Template("{% for cell in cells %}<td>" + OLD_CELL + "</td>{% endfor %}")
    assert matrix_cells(cells) == old.render(Context({"cells": cells}))


# The program page's and report list's row loops as they were before unit_rows and report_rows.
OLD_UNIT_ROWS = """{% load i18n pilots_tags %}{% translate "Complete" as complete_label %}{% translate "Incomplete" as incomplete_label %}{% for unit, ms, rs, lineup in rows %}
  <tr><td><a href="{% url 'pilots:unit_detail' unit.pk %}">{{ unit.organization.name }}</a></td>
    <td class="small">{% if lineup is None %}—{% elif lineup.complete %}<span class="badge text-bg-success">{{ complete_label }}</span>{% else %}<span class="badge text-bg-warning" title="{% for b in lineup.breaches %}{{ b.message }} {% endfor %}">{{ incomplete_label }}</span>{% endif %}</td>
    <td class="text-end">{{ ms.done|default:0 }}/{{ ms.total|default:0 }}</td><td class="text-end">{{ ms.late|default:0 }}</td>
    <td class="text-end">{{ rs.filed|default:0 }}/{{ rs.expected|default:0 }}</td><td class="text-end">{{ rs.on_time|default:0 }}</td><td class="text-end">{{ rs.late|default:0 }}</td><td class="text-end">{{ rs.missing|default:0 }}</td></tr>
  {% endfor %}"""
OLD_REPORT_ROWS = """{% load i18n pilots_tags %}{% translate "Late" as late_label %}{% for r in page %}
  <tr><td><a href="{% url 'pilots:report_detail' r.pk %}">{{ r.slot.organization.name }}</a></td><td>{{ r.slot.period_label }}</td><td class="small">{{ r.slot.program.name }}</td>
    <td>{{ r.state|status_badge }}{% if r.late %} <span class="badge text-bg-warning">{{ late_label }}</span>{% endif %}</td><td class="small">{{ r.submitted_at|date:"Y-m-d H:i"|default:"—" }}</td></tr>
  {% endfor %}"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_unit_rows_render_what_the_unit_loop_rendered(language):
    def unit(pk, name):
        return SimpleNamespace(pk=pk, organization=SimpleNamespace(name=name))

    breaches = [Breach("no_term", 'No term <b>"届"</b> & more'), Breach("size", "Too small")]
    counts = {"done": 3, "total": 12, "late": 0, "filed": 1234567, "expected": 2000000, "on_time": 7,
              "late_": 1, "missing": None}  # fmt: skip
    rows = [
        (unit(1, "中和街道"), {}, {}, None),
        (unit(42, "<script>&amp;"), counts, {"filed": 2, "expected": 2, "on_time": 1, "late": 1, "missing": 0},
         LineupStatus(organization_id=42, on=dt.date(2026, 5, 1), rule=None, breaches=[])),
        (unit(10**9, "Ward 'A'"), {"done": 0}, counts, LineupStatus(organization_id=9, on=dt.date(2026, 5, 1), rule=None,
                                                                    breaches=breaches)),
        (unit(7, "x"), {"done": 2.5}, {"missing": "n/a"}, LineupStatus(organization_id=7, on=dt.date(2026, 5, 1), rule=None)),
    ]  # fmt: skip
    # The view reads each unit's pk and organization name as a tuple (values_list), not as instances.
    pairs = [((u.pk, u.organization.name), ms, rs, lineup) for u, ms, rs, lineup in rows]
    with translation.override(language):
        new = Template("{% load pilots_tags %}{% unit_rows rows %}").render(Context({"rows": pairs}))
        assert new == Template(OLD_UNIT_ROWS).render(Context({"rows": rows}))
        assert "&lt;script&gt;" in new and "text-bg-success" in new and "&lt;b&gt;" in new


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_report_rows_render_what_the_report_loop_rendered(language, settings):
    settings.USE_TZ = True
    reports = []
    for i, (state, late, submitted_at) in enumerate([
        ("submitted", True, dt.datetime(2026, 5, 31, 17, 30, tzinfo=dt.UTC)),  # 01:30 next day in Shanghai
        ("accepted", False, dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)),
        ("draft", False, None),
        ("returned", True, None),
    ]):  # fmt: skip
        organization = Organization(name=["中和街道", "<i>A&B</i>", "Ward 'A'", '"q"'][i])
        program = PilotProgram(name=["试点 <1>", "P&Q", "p", "中文"][i])
        start = dt.date(2026, 1 + i, 1)
        end = start + dt.timedelta(days=6 if i % 2 else 27)
        slot = ReportSlot(organization=organization, program=program, period_start=start, period_end=end)
        reports.append(Report(pk=10**i, slot=slot, state=state, late=late, submitted_at=submitted_at))
    # The view reads REPORT_ROW_COLUMNS with values_list: the same values, as tuples.
    rows = [(r.pk, r.state, r.late, r.submitted_at, r.slot.period_start, r.slot.period_end, r.slot.organization.name,
             r.slot.program.name) for r in reports]  # fmt: skip
    with translation.override(language):
        new = Template("{% load pilots_tags %}{% report_rows page %}").render(Context({"page": rows}))
        assert new == Template(OLD_REPORT_ROWS).render(Context({"page": reports}))
        assert "2026-06-01 01:30" in new and "&lt;i&gt;A&amp;B&lt;/i&gt;" in new and "—" in new
        assert "<td>2026-01</td>" in new and "<td>02-01–02-07</td>" in new


def test_report_list_reads_the_row_columns_of_the_reports_it_lists(world, recent_program, client_for):
    """The list's values_list rows are the reports' own values, in REPORT_ROW_COLUMNS' order."""
    from pilots.templatetags.pilots_tags import REPORT_ROW_COLUMNS

    report = filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)),
                          world.users["street"])  # fmt: skip
    response = client_for("county").get("/pilots/reports/")
    rows = list(response.context["page"].object_list)
    slot = report.slot
    assert (report.pk, report.state, report.late, report.submitted_at, slot.period_start, slot.period_end,
            slot.organization.name, slot.program.name) in rows  # fmt: skip
    assert all(len(row) == len(REPORT_ROW_COLUMNS) for row in rows)
    assert (
        f'href="/pilots/reports/{report.pk}/">{world.zhonghe.name}</a></td><td>{slot.period_label}</td>'
        in (response.content.decode())
    )


# The review queue's row as pilots/_review_row.html wrote it, included once per row, before review_rows.
OLD_REVIEW_ROW = """{% load pilots_tags %}{% if not review_text %}{% review_row_text return_form as review_text %}{% endif %}{% row_url 'pilots:report_review' report.pk as review_url %}<div class="list-group-item" id="review-{{ report.pk }}" data-testid="review-row">
  <div class="d-flex flex-wrap justify-content-between gap-2">
    <div><a class="fw-semibold" href="{% row_url 'pilots:report_detail' report.pk %}">{{ report.slot.organization.name }} · {{ report.slot.period_label }}</a>
      <div class="small text-muted">{{ report.slot.program.name }} · {{ review_text.submitted }} {{ report.submitted_at|date:"Y-m-d H:i" }} · v{{ report.version }} {% if report.late %}<span class="badge text-bg-warning">{{ review_text.late }}</span>{% endif %}</div>
      <div class="small text-truncate-2">{{ report.progress|truncatechars:160 }}</div>
    </div>
    <div>{{ report.state|status_badge }}</div>
  </div>
  {% if error %}<div class="alert alert-danger py-1 my-2 small" role="alert">{{ error }}</div>{% endif %}
  {% if done %}<div class="alert alert-success py-1 my-2 small" role="status">{{ done }}</div>{% endif %}
  {% if report.state == "submitted" %}
  <div class="d-flex flex-wrap gap-2 mt-2">
    <form method="post" action="{{ review_url }}" hx-post="{{ review_url }}" hx-target="#review-{{ report.pk }}" hx-swap="outerHTML">{% csrf_token %}
      <button class="btn btn-sm btn-success" name="decision" value="accept" data-testid="accept-{{ report.pk }}">{{ review_text.accept }}</button>
    </form>
    <form method="post" class="d-flex flex-wrap gap-1 align-items-center" action="{{ review_url }}" hx-post="{{ review_url }}" hx-target="#review-{{ report.pk }}" hx-swap="outerHTML">{% csrf_token %}
      <input type="hidden" name="decision" value="return">
      <select name="reason" class="form-select form-select-sm w-auto" aria-label="{{ review_text.reason }}" required>{{ review_text.reason_options }}</select>
      <input name="comment" class="form-control form-control-sm w-auto" placeholder="{{ review_text.what }}" aria-label="{{ review_text.what }}" required>
      <button class="btn btn-sm btn-outline-danger" type="submit">{{ review_text.return }}</button>
    </form>
  </div>
  {% endif %}
</div>
"""


def _review_reports():
    reports = []
    progress = ["", "进展" * 80, "进展" * 80 + "尾", "<b>A&B</b> 'x' \"y\"", "e\u0301" * 100 + "x" * 70,
                "Cafe\u0301 short", "x" * 161]  # fmt: skip
    states = ["submitted", "submitted", "accepted", "returned", "submitted", "submitted", "submitted"]
    for i, text in enumerate(progress):
        organization = Organization(name=["中和街道", "<i>A&B</i>", "Ward 'A'", '"q"', "o", "p", "r"][i])
        program = PilotProgram(name=["试点 <1>", "P&Q", "p", "中文", "x", "y", "z"][i])
        start = dt.date(2026, 1 + i, 1)
        end = start + dt.timedelta(days=6 if i % 2 else 27)
        slot = ReportSlot(organization=organization, program=program, period_start=start, period_end=end)
        submitted_at = None if i == 3 else dt.datetime(2026, 5, 31, 17, 30 + i, tzinfo=dt.UTC)
        reports.append(Report(pk=10**i, slot=slot, state=states[i], late=i % 2 == 1, submitted_at=submitted_at,
                              version=i * 600, progress=text))  # fmt: skip
    return reports


# Django's own {% csrf_token %} (the templates these tests compare against) warns on "NOTPROVIDED" (an empty
# format_html(), deprecated for Django 6.0); the tags under test write nothing there without calling it.
OLD_CSRF_TAG_WARNS = pytest.mark.filterwarnings(
    "ignore:Calling format_html\\(\\) without passing args:django.utils.deprecation.RemovedInDjango60Warning"
)


@OLD_CSRF_TAG_WARNS
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("csrf_token", ["tok<&>en", "NOTPROVIDED", None])
def test_review_rows_render_what_the_row_include_rendered(language, csrf_token, settings):
    settings.USE_TZ = True
    reports = _review_reports()
    context = {"page": reports, "return_form": ReturnForm(), "csrf_token": csrf_token}
    old = Template("{% load pilots_tags %}{% review_row_text return_form as review_text %}{% for report in page %}"
                   + OLD_REVIEW_ROW.replace("{% load pilots_tags %}", "") + "{% endfor %}")  # fmt: skip
    rows = [_review_values(r) for r in reports]  # the view reads REVIEW_ROW_COLUMNS with values_list
    with translation.override(language):
        new = Template("{% load pilots_tags %}{% review_rows page return_form %}").render(
            Context({**context, "page": rows})
        )
        assert new == old.render(Context(context))
    assert new.count('data-testid="review-row"') == len(reports) and "2026-06-01 01:30" in new
    assert "&lt;i&gt;A&amp;B&lt;/i&gt;" in new and "进展" * 79 + "进" in new and "进展" * 80 + "尾" not in new
    assert ("tok&lt;&amp;&gt;en" in new) == (csrf_token == "tok<&>en")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_review_row_with_a_message_renders_what_the_row_template_rendered(language, settings):
    settings.USE_TZ = True
    for report in _review_reports():
        for error, done in [(None, None), ("Refused <b>", None), (None, "Accepted: a & b")]:
            context = {"report": report, "return_form": ReturnForm(), "csrf_token": "t", "error": error,
                       "done": done}  # fmt: skip
            with translation.override(language):
                new = Template("{% load pilots_tags %}{% review_row report return_form error done %}")
                assert new.render(Context(context)) == Template(OLD_REVIEW_ROW).render(Context(context))


# pilots/_file_list.html's loop before file_rows.
OLD_FILE_LIST = """{% load i18n pilots_tags %}<ul class="list-group list-group-flush" data-testid="file-list">
{% for slot in slots %}{% slot_status slot on as status %}
  <li class="list-group-item px-0 d-flex flex-wrap align-items-center gap-2">
    <div class="flex-grow-1">
      <div class="fw-semibold">{{ slot.organization.name }} · {{ slot.period_label }}</div>
      <div class="small text-muted">{{ slot.program.name }} · {% translate "deadline" %} {{ slot.deadline|date:"Y-m-d" }}</div>
      {% if status == "returned" %}<div class="small text-danger">{{ slot.report.get_return_reason_display }}：{{ slot.report.return_comment }}</div>{% endif %}
    </div>
    {{ status|status_badge }}
    <form method="post" action="{% row_url 'pilots:slot_file' slot.pk %}">{% csrf_token %}
      <button class="btn btn-sm {% if status == 'overdue' or status == 'returned' %}btn-danger{% else %}btn-primary{% endif %}" type="submit" data-testid="file-{{ slot.pk }}">{% if slot.report %}{% translate "Continue" context "report action" %}{% else %}{% translate "File" context "report action" %}{% endif %}</button>
    </form>
  </li>
{% empty %}
  <li class="list-group-item px-0 text-muted">{% translate "Nothing to file right now." %}</li>
{% endfor %}
</ul>
"""


@OLD_CSRF_TAG_WARNS
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_file_rows_render_what_the_file_list_loop_rendered(language, recent_program, world):
    from pilots import services
    from pilots.models import ReturnReason, today
    from pilots.selectors import outstanding_slots_for

    street = world.users["street"]
    returned = filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-2)),
                            street)  # fmt: skip
    services.report_return(report=returned, by=world.users["county"], reason=ReturnReason.VAGUE,
                           comment='写具体些 <b>&</b>')  # fmt: skip
    filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)), street,
                 submit=False)  # a draft  # fmt: skip
    slots = list(
        outstanding_slots_for(street, on=today()).select_related("organization", "program", "report")
    )
    statuses = {slot.status(today()) for slot in slots}
    assert {"returned", "due"} <= statuses or {"returned", "overdue"} <= statuses
    new = Template('{% load pilots_tags %}<ul class="list-group list-group-flush" data-testid="file-list">\n'
                   "{% file_rows slots on %}\n</ul>\n")  # fmt: skip
    with translation.override(language):
        for context in ({"slots": slots, "on": today(), "csrf_token": "tok<en>"}, {"slots": slots},
                        {"slots": [], "csrf_token": "NOTPROVIDED"}):  # fmt: skip
            rendered = new.render(Context(context))
            assert rendered == Template(OLD_FILE_LIST).render(Context(context))
    assert "写具体些 &lt;b&gt;&amp;&lt;/b&gt;" in Template(OLD_FILE_LIST).render(Context({"slots": slots}))


def test_the_lists_count_their_rows_without_the_rows_columns(recent_program, client_for, world):
    """The report list and the review queue read their rows as tuples of joined columns; the capped count of
    the rows in scope joins none of them (the queue's is the partial index report_queue alone, the list's the
    index report_path) unless a filter is on the slot or organization, and then not the program."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    filed_report(recent_program.slots.get(organization=world.zhonghe, period_start=month_start(-1)),
                 world.users["street"])  # fmt: skip
    client = client_for("county")
    for url, joins in (("/pilots/reports/", set()), ("/pilots/reports/?state=submitted&late=false", set()),
                       ("/pilots/reports/?level=street", {"pilots_reportslot", "league_organization"}),
                       ("/pilots/reports/review/", set())):  # fmt: skip
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        (count,) = [
            q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*) FROM (SELECT")
        ]
        assert "pilots_pilotprogram" not in count and "SUBSTR" not in count.upper()
        assert {t for t in ("pilots_reportslot", "league_organization") if f'JOIN "{t}"' in count} == joins
