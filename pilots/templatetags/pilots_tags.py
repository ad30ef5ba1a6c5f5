import functools
import unicodedata

from django import template
from django.template.defaultfilters import join
from django.utils import translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext

from league.rowhtml import esc as _esc
from league.rowhtml import minute
from league.rowhtml import number as _number
from league.rowurls import row_url, url_for_id
from league.templatetags.fields import _widget_html

from ..models import period_label

register = template.Library()

PROGRESS_SHOWN = 160  # characters of a report's progress a review queue row shows


@register.simple_tag
def slot_status(slot, on=None):
    return slot.status(on)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def pct(part, whole):
    try:
        return round(100 * int(part) / int(whole), 1) if int(whole) else None
    except (TypeError, ValueError):
        return None


# --- fast per-row rendering of long lists (issue 10) ---------------------------------------------------------
# A list page renders hundreds of rows; a {% url %} (reverse), an {% include %} or a chain of {% if %} per row
# cost more than the page's SQL. These produce the same HTML with one reverse per page and no includes.


@register.simple_tag(name="row_url")
def row_url_tag(name, pk):
    return row_url(name, pk)


_BADGE_CSS = {"accepted": "text-bg-success", "submitted": "text-bg-primary", "late": "text-bg-warning",
              "returned": "text-bg-danger", "overdue": "text-bg-dark", "missing": "text-bg-dark",
              "draft": "text-bg-secondary", "due": "text-bg-light border", "pending": "text-bg-light border"}  # fmt: skip


def _badge_label(status):
    # Literal msgids, so that makemessages keeps them (they were in pilots/_status.html).
    if status == "accepted":
        return pgettext("report status", "Accepted")
    if status == "submitted":
        return gettext("Submitted")
    if status == "late":
        return gettext("Late")
    if status == "returned":
        return gettext("Returned")
    if status in ("overdue", "missing"):
        return gettext("Overdue")
    if status == "draft":
        return gettext("Draft")
    if status in ("due", "pending"):
        return gettext("Due")
    return gettext("Upcoming")


@functools.lru_cache(maxsize=256)
def _badge(status, language) -> str:
    css = _BADGE_CSS.get(status, "text-bg-light border")
    return format_html('<span class="badge {}">{}</span>', css, _badge_label(status))


@register.filter
def status_badge(status):
    """The badge of a report or slot status (what pilots/_status.html shows), built once per language."""
    if not isinstance(status, str):
        return _badge.__wrapped__(status, None)
    return _badge(str(status), translation.get_language())


_CELL_MARKS = {"accepted": "✓", "submitted": "↑", "late": "!", "returned": "↺", "draft": "…", "missing": "✗"}
_CELL_UNLINKED = ("pending", "missing", "draft")


@functools.lru_cache(maxsize=64)
def _cell_parts(status: str) -> tuple[str, str]:
    """(class and data-status attributes, mark) of a status, escaped once."""
    s = conditional_escape(status)
    return f'class="cell cell-{s}"', f' data-status="{s}">{_CELL_MARKS.get(status, "·")}'


def _cell(cell) -> str:
    if not cell:
        return ""
    status = cell.status
    attrs, rest = _cell_parts(status)
    if cell.report_id and status not in _CELL_UNLINKED:
        return f'<a {attrs} href="{row_url("pilots:report_detail", cell.report_id)}"{rest}</a>'
    return f"<span {attrs}{rest}</span>"


@register.filter
def matrix_cell(cell):
    """One cell of the dashboard's units × periods matrix: the mark, linked to the report when there is one."""
    return mark_safe(_cell(cell))


@register.filter
def matrix_cells(cells):
    """A row of the matrix: <td>cell</td> for each period."""
    return mark_safe("".join(f"<td>{_cell(cell)}</td>" for cell in cells))


@register.simple_tag
def review_row_text(return_form):
    """The labels of a review queue row and its reason <option>s, translated once per page, not per row."""
    options = format_html_join(
        "",
        '<option value="{}">{}</option>',
        ((value, label) for value, label in return_form.fields["reason"].choices),
    )
    return {
        "submitted": gettext("submitted"),
        "late": gettext("Late"),
        "accept": gettext("Accept"),
        "reason": gettext("Reason"),
        "what": gettext("What needs to change"),
        "return": gettext("Return"),
        "reason_options": options,
    }


@register.filter
def end_cells(values):
    """<td class="text-end">value</td> for each value (localized and escaped as {{ value }} would be)."""
    return mark_safe("".join(f'<td class="text-end">{_number(v)}</td>' for v in values))


@register.simple_tag
def unit_rows(rows):
    """The program page's unit rows — ((unit pk, organization name), milestone counts, report counts, lineup
    status) each — as its {% for %} loop over units wrote them, with one reverse and one translation per page."""
    url = url_for_id("pilots:unit_detail")
    complete = format_html('<span class="badge text-bg-success">{}</span>', gettext("Complete"))
    incomplete = _esc(gettext("Incomplete"))
    out = []
    for (pk, name), ms, rs, lineup in rows:
        if lineup is None:
            badge = "—"
        elif lineup.complete:
            badge = complete
        else:
            title = "".join(f"{_esc(b.message)} " for b in lineup.breaches)
            badge = f'<span class="badge text-bg-warning" title="{title}">{incomplete}</span>'
        ms, rs = ms or {}, rs or {}
        out.append(
            f'\n  <tr><td><a href="{url(pk)}">{_esc(name)}</a></td>\n'
            f'    <td class="small">{badge}</td>\n'
            f'    <td class="text-end">{_number(ms.get("done") or 0)}/{_number(ms.get("total") or 0)}</td>'
            f'<td class="text-end">{_number(ms.get("late") or 0)}</td>\n'
            f'    <td class="text-end">{_number(rs.get("filed") or 0)}/{_number(rs.get("expected") or 0)}</td>'
            f'<td class="text-end">{_number(rs.get("on_time") or 0)}</td>'
            f'<td class="text-end">{_number(rs.get("late") or 0)}</td>'
            f'<td class="text-end">{_number(rs.get("missing") or 0)}</td></tr>\n  '
        )
    return mark_safe("".join(out))


# What a report list row shows, in report_rows' order: read with values_list, not as four model instances a row.
REPORT_ROW_COLUMNS = ("pk", "state", "late", "submitted_at", "slot__period_start", "slot__period_end",
                      "slot__organization__name", "slot__program__name")  # fmt: skip


@register.simple_tag
def report_rows(rows):
    """The report list's rows, REPORT_ROW_COLUMNS tuples, as its {% for %} loop over reports wrote them: one
    reverse and one translation per page."""
    url = url_for_id("pilots:report_detail")
    late_badge = format_html(' <span class="badge text-bg-warning">{}</span>', gettext("Late"))
    out = []
    for pk, state, late, submitted_at, start, end, organization, program in rows:
        out.append(
            f'\n  <tr><td><a href="{url(pk)}">{_esc(organization)}</a></td>'
            f"<td>{_esc(period_label(start, end))}</td>"
            f'<td class="small">{_esc(program)}</td>\n'
            f"    <td>{status_badge(state)}{late_badge if late else ''}</td>"
            f'<td class="small">{minute(submitted_at)}</td></tr>\n  '
        )
    return mark_safe("".join(out))


@register.simple_tag
def distribution_rows(rows):
    """The star distribution's county rows as its {% for %} loop wrote them (a county's name, the year of its
    latest ratings when it has any, the five counts and the total)."""
    out = []
    for row in rows:
        year = row.get("year")
        cells = "".join(f'<td class="text-end">{_number(v)}</td>' for v in row["cells"])
        out.append(
            f"<tr><td>{_esc(row['county'])}{f' ({_number(year)})' if year else ''}</td>{cells}"
            f'<td class="text-end">{_number(row["total"])}</td></tr>'
        )
    return mark_safe("".join(out))


@register.simple_tag
def organization_options(organizations):
    """<option value="pk">name</option> for each organization (no option selected)."""
    return mark_safe("".join(f'<option value="{int(o.pk)}">{_esc(o)}</option>' for o in organizations))


def _csrf_input(context) -> str:
    """{% csrf_token %}: the hidden input (the request's token is the same for every form of the page)."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_esc(token)}">'


# What a review queue row shows, in _review_row's order (the progress may be its head: see the view).
REVIEW_ROW_COLUMNS = ("pk", "state", "late", "version", "submitted_at", "progress", "slot__period_start",
                      "slot__period_end", "slot__organization__name", "slot__program__name")  # fmt: skip


def _review_values(report) -> tuple:
    """REVIEW_ROW_COLUMNS of a report instance (the htmx answer's one row)."""
    slot = report.slot
    return (report.pk, report.state, report.late, report.version, report.submitted_at, report.progress,
            slot.period_start, slot.period_end, slot.organization.name, slot.program.name)  # fmt: skip


def _review_row(row, text, csrf, detail_url, review_url, error=None, done=None) -> str:
    """One row of the review queue (REVIEW_ROW_COLUMNS values), as pilots/_review_row.html wrote it."""
    pk, state, late, version, submitted_at, progress, start, end, organization, program = row
    pk = int(pk)
    when = minute(submitted_at, empty="")
    late = f'<span class="badge text-bg-warning">{text["late"]}</span>' if late else ""
    if len(progress) > PROGRESS_SHOWN or not unicodedata.is_normalized("NFC", progress):
        progress = Truncator(progress).chars(PROGRESS_SHOWN)  # truncatechars:160 (a short NFC text is itself)
    row = (
        f'<div class="list-group-item" id="review-{pk}" data-testid="review-row">\n'
        f'  <div class="d-flex flex-wrap justify-content-between gap-2">\n'
        f'    <div><a class="fw-semibold" href="{detail_url(pk)}">{_esc(organization)} · '
        f"{_esc(period_label(start, end))}</a>\n"
        f'      <div class="small text-muted">{_esc(program)} · {text["submitted"]} {when} · '
        f"v{_number(version)} {late}</div>\n"
        f'      <div class="small text-truncate-2">{_esc(progress)}</div>\n'
        f"    </div>\n"
        f"    <div>{status_badge(state)}</div>\n"
        f"  </div>\n  "
    )
    if error:
        row += (
            f'<div class="alert alert-danger py-1 my-2 small" role="alert">{conditional_escape(error)}</div>'
        )
    row += "\n  "
    if done:
        row += (
            f'<div class="alert alert-success py-1 my-2 small" role="status">{conditional_escape(done)}</div>'
        )
    row += "\n  "
    if state == "submitted":
        url = review_url(pk)
        form = f'action="{url}" hx-post="{url}" hx-target="#review-{pk}" hx-swap="outerHTML">{csrf}\n'
        row += (
            f'\n  <div class="d-flex flex-wrap gap-2 mt-2">\n'
            f'    <form method="post" {form}'
            f'      <button class="btn btn-sm btn-success" name="decision" value="accept" '
            f'data-testid="accept-{pk}">{text["accept"]}</button>\n'
            f"    </form>\n"
            f'    <form method="post" class="d-flex flex-wrap gap-1 align-items-center" {form}'
            f'      <input type="hidden" name="decision" value="return">\n'
            f'      <select name="reason" class="form-select form-select-sm w-auto" aria-label="{text["reason"]}" '
            f"required>{text['reason_options']}</select>\n"
            f'      <input name="comment" class="form-control form-control-sm w-auto" placeholder="{text["what"]}" '
            f'aria-label="{text["what"]}" required>\n'
            f'      <button class="btn btn-sm btn-outline-danger" type="submit">{text["return"]}</button>\n'
            f"    </form>\n"
            f"  </div>\n  "
        )
    return row + "\n</div>\n"


def _review_text(return_form) -> dict:
    """review_row_text with its labels escaped once (as {{ }} writes them)."""
    return {k: v if k == "reason_options" else _esc(v) for k, v in review_row_text(return_form).items()}


@register.simple_tag(takes_context=True)
def review_rows(context, rows, return_form):
    """The review queue's rows (REVIEW_ROW_COLUMNS tuples) as the {% include "pilots/_review_row.html" %} per
    row wrote them: one reverse per route and one translation per label per page (a province's page of 50 rows
    spent ~10 ms in includes)."""
    text, csrf = _review_text(return_form), _csrf_input(context)
    detail_url, review_url = url_for_id("pilots:report_detail"), url_for_id("pilots:report_review")
    return mark_safe("".join(_review_row(r, text, csrf, detail_url, review_url) for r in rows))


@register.simple_tag(takes_context=True)
def review_row(context, report, return_form, error=None, done=None):
    """One row (the htmx answer to accept or return), with the refusal or the confirmation."""
    text, csrf = _review_text(return_form), _csrf_input(context)
    urls = url_for_id("pilots:report_detail"), url_for_id("pilots:report_review")
    return mark_safe(_review_row(_review_values(report), text, csrf, *urls, error=error, done=done))


@register.simple_tag
def filter_fields(form, column="col-6 col-md-2", errors=True):
    """A list's filter fields as the {% for field in filter.form %} loop of report_list.html wrote them: the
    label, the widget and (unless `errors` is false, as briefing_list.html's loop had none) the field's errors,
    in a `column` each. Text inputs are written by league's `_widget_html` (Django's markup, no widget template
    render each), selects by pilots.widgets.Select."""
    out = []
    for field in form:
        error = ""
        if errors and field.errors:
            error = f'<div class="invalid-feedback d-block">{join(field.errors, " ", autoescape=True)}</div>'
        out.append(
            f'<div class="{column}"><label class="form-label small" for="{_esc(field.id_for_label)}">'
            f"{_esc(field.label)}</label>{_widget_html(field, {})}{error}</div>"
        )
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def file_rows(context, slots, on=None):
    """The slots to file as pilots/_file_list.html's {% for %} loop wrote them (its items, or its empty line):
    one reverse, one translation per label and one CSRF input per list."""
    url = url_for_id("pilots:slot_file")
    csrf = _csrf_input(context)
    deadline_label = _esc(gettext("deadline"))
    labels = (_esc(pgettext("report action", "Continue")), _esc(pgettext("report action", "File")))
    out = []
    for slot in slots:
        status = slot.status(on)
        report = getattr(slot, "report", None)
        returned = ""
        if status == "returned":
            returned = (f'<div class="small text-danger">{_esc(report.get_return_reason_display())}：'
                        f"{_esc(report.return_comment)}</div>")  # fmt: skip
        d = slot.deadline
        deadline = f"{d.year:04d}-{d.month:02d}-{d.day:02d}" if d is not None else ""
        css = "btn-danger" if status in ("overdue", "returned") else "btn-primary"
        out.append(
            f'\n  <li class="list-group-item px-0 d-flex flex-wrap align-items-center gap-2">\n'
            f'    <div class="flex-grow-1">\n'
            f'      <div class="fw-semibold">{_esc(slot.organization.name)} · {_esc(slot.period_label)}</div>\n'
            f'      <div class="small text-muted">{_esc(slot.program.name)} · {deadline_label} {deadline}</div>\n'
            f"      {returned}\n"
            f"    </div>\n"
            f"    {status_badge(status)}\n"
            f'    <form method="post" action="{url(slot.pk)}">{csrf}\n'
            f'      <button class="btn btn-sm {css}" type="submit" data-testid="file-{int(slot.pk)}">'
            f"{labels[0] if report else labels[1]}</button>\n"
            f"    </form>\n"
            f"  </li>\n"
        )
    if not out:
        nothing = _esc(gettext("Nothing to file right now."))
        out.append(f'\n  <li class="list-group-item px-0 text-muted">{nothing}</li>\n')
    return mark_safe("".join(out))


@register.simple_tag
def phase_strip(strip, today_x):
    """The program page's phase strip and legend (views.programs.phase_strip's rows, today's offset or None), as
    the template it replaces wrote them (tests/pilots/test_phase_strip.py compares the bytes): a few phases, but
    the include and its filters cost more than the rest of the page's head."""
    if not strip:
        return mark_safe("\n")
    rects, items = [], []
    for i, s in enumerate(strip):
        phase, current = s["phase"], s["current"]
        start, end, name = phase.starts_on, phase.ends_on, _esc(phase.name)
        rects.append(
            f'<rect x="{_number(s["x"])}" y="1" width="{_number(s["width"])}" height="10"'
            f' class="phase phase-{"b" if i % 2 else "a"}{" phase-current" if current else ""}"><title>{name}'
            f" {start.year:04d}-{start.month:02d}-{start.day:02d} – {end.year:04d}-{end.month:02d}-{end.day:02d}"
            "</title></rect>"
        )
        items.append(
            f'<li class="list-inline-item{" fw-bold" if current else ""}">{i + 1}. {name}'
            f" {start.month}/{start.day}–{end.month}/{end.day}</li>"
        )
    today = ""
    if today_x is not None:
        x = _number(today_x)
        today = f'<line x1="{x}" x2="{x}" y1="0" y2="12" class="phase-today"/>'
    return mark_safe(
        '<svg class="phase-strip" viewBox="0 0 100 12" preserveAspectRatio="none" role="img"'
        f' aria-label="{_esc(gettext("Phases"))}">\n{"".join(rects)}\n{today}\n</svg>\n'
        f'<ol class="phase-legend list-inline small mb-0">{"".join(items)}</ol>\n'
    )
