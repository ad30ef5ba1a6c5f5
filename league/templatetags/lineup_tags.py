"""Rows of the lineup lists rendered in one pass (issue 10): the same HTML as their {% for %} loops wrote, with
one translation per page instead of a dozen template lookups and filters per row (as pilots_tags does)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from league.rowhtml import esc as _esc
from league.rowhtml import minute
from league.rowhtml import number as _number

register = template.Library()


def unit_cells(status, texts: dict | None = None) -> tuple[str, str]:
    """The vacancies and rules-broken cells of a committee row. `texts` keeps the escaped role labels (by role)
    and the vacancies with their "(n days)" already written (by role and days), for the next rows of the same
    page."""
    texts = {} if texts is None else texts
    vacancies = []
    for v in status.vacancies:
        days = v.age_days() if v.since else None
        text = texts.get((v.role, days))
        if text is None:
            text = texts.get(v.role)  # the role's label, escaped once a page
            if text is None:
                text = texts[v.role] = _esc(v.role_label)
            if days is not None:
                text += " (" + _esc(ngettext("%(days)s day", "%(days)s days", days) % {"days": days}) + ")"
            texts[v.role, days] = text
        vacancies.append(text)
    breaches = [_esc(b.message) for b in status.breaches]
    return "、".join(vacancies) or "—", "<br>".join(breaches) or "—"


@register.simple_tag
def stats_unit_rows(rows):
    """The lineup statistics' committee rows — (name, status, lineup URL) each — as the page's loop wrote them."""
    complete = format_html('<span class="badge text-bg-success">{}</span>', gettext("Complete"))
    incomplete = format_html('<span class="badge text-bg-danger">{}</span>', gettext("Incomplete"))
    out, texts = [], {}
    for name, status, url in rows:
        name = _esc(name)
        counts = status.counts
        vacancies, breaches = unit_cells(status, texts)
        out.append(
            f'\n    <tr data-unit="{name}"><td><a href="{_esc(url)}">{name}</a></td>\n'
            f"      <td>{complete if status.complete else incomplete}</td>\n"
            f'      <td class="text-end">{counts.secretaries}/{counts.deputies}/{counts.members}</td>\n'
            f"      <td>{vacancies}</td>\n"
            f'      <td class="small">{breaches}</td></tr>\n  '
        )
    return mark_safe("".join(out))


@register.simple_tag
def lineup_seat_rows(seats):
    """The lineup page's seat rows (seats with role_text, detail_url … and their assignments in `work`, set
    by the view), as the page's loop wrote them."""
    out = []
    for seat in seats:
        category = seat.category.name if seat.category is not None else ""
        start = seat.start.isoformat() if seat.start else ""
        work = "".join(f'<span class="badge text-bg-light border">{_esc(a)}</span> ' for a in seat.work)
        out.append(
            f"\n      <tr><td>{_esc(seat.role_text)}</td>"
            f'<td><a href="{_esc(seat.detail_url)}">{_esc(seat.person.name)}</a></td>'
            f"<td>{_esc(seat.establishment_text)}</td><td>{_esc(seat.employment_text)}</td>"
            f"<td>{_esc(category) if category else '—'}</td>"
            f"<td>{start} · {_esc(seat.how_obtained_text)}</td>\n"
            f"        <td>{work or '—'}</td></tr>\n    "
        )
    return mark_safe("".join(out))


@register.simple_tag
def lineup_change_rows(changes):
    """The lineup page's recent changes — (history_date, history_type, role label, end, person's name, user's
    username, first name, last name) each — as the page's loop wrote them."""
    system, ended = _esc(gettext("system")), _esc(gettext("ended"))
    kinds = {"+": _esc(gettext("filled")), "-": _esc(gettext("deleted"))}
    changed = _esc(gettext("changed"))
    out = []
    for when, kind, role, end, person, username, first, last in changes:
        if username is None:  # no user, or none any more (the template's {% if h.history_user %})
            who = system
        else:
            who = _esc(f"{first} {last}".strip() or username)
        tail = f" · {ended} {end.isoformat()}" if end else ""
        out.append(
            f"\n  <li>{minute(when)} · {who} · {kinds.get(kind, changed)} · {_esc(role)} "
            f"{_esc(person) if person is not None else ''}{tail}</li>\n"
        )
    return mark_safe("".join(out))


@register.simple_tag
def expiring_term_rows(terms, on):
    """The terms-ending list's rows (terms with lineup_url set by the view), as the page's loop wrote them."""
    overdue = format_html('<span class="badge text-bg-danger">{}</span>', gettext("Overdue"))
    due = format_html('<span class="badge text-bg-warning">{}</span>', pgettext("term expiry", "Due"))
    return mark_safe(
        "".join(
            f'<tr><td><a href="{_esc(t.lineup_url)}">{_esc(t.organization.name)}</a></td><td>{t.number}</td>'
            f"<td>{t.start.isoformat()}</td><td>{t.end.isoformat()}</td>"
            f"<td>{overdue if t.end <= on else due}</td></tr>\n  "
            for t in terms
        )
    )


@register.simple_tag
def stats_group_rows(groups):
    """The lineup statistics' per-group rows (lineups.GroupRow each), as the page's loop wrote them."""
    out = []
    for g in groups:
        t = g.tally
        out.append(
            f'<tr><td><a href="?org={g.organization.pk}">{_esc(g.organization.name)}</a></td>'
            f'<td class="text-end">{_number(t.units)}</td><td class="text-end">{_number(t.complete)}</td>'
            f'<td class="text-end">{_number(t.rate)}%</td><td class="text-end">{_number(t.vacant_total)}</td></tr>'
        )
    return mark_safe("".join(out))


@register.simple_tag
def stats_children_links(children):
    """The "go down to" links — (id, name) each — as the page's loop wrote them."""
    return mark_safe(" · ".join(f'<a href="?org={pk}">{_esc(name)}</a>' for pk, name in children))
