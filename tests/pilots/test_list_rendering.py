"""The fast per-row helpers of the pilot lists render exactly what the templates they replaced rendered."""

import pytest
from django.template import Context, Template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import translation

from pilots.dashboard import Cell
from pilots.templatetags.pilots_tags import end_cells, matrix_cell, matrix_cells, row_url, status_badge
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
