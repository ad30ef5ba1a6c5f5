"""Rows of the lineup lists rendered in one pass (issue 10): the same HTML as their {% for %} loops wrote, with
one translation per page instead of a dozen template lookups and filters per row (as pilots_tags does)."""

from __future__ import annotations

import html

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()


def _esc(value) -> str:
    """{{ value }} of a text: conditional_escape() without its lazy-string wrapper."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def unit_cells(status) -> tuple[str, str]:
    """The vacancies and rules-broken cells of a committee row."""
    vacancies = []
    for v in status.vacancies:
        text = _esc(v.role_label)
        if v.since:
            days = v.age_days()
            text += " (" + _esc(ngettext("%(days)s day", "%(days)s days", days) % {"days": days}) + ")"
        vacancies.append(text)
    breaches = [_esc(b.message) for b in status.breaches]
    return "、".join(vacancies) or "—", "<br>".join(breaches) or "—"


@register.simple_tag
def stats_unit_rows(rows):
    """The lineup statistics' committee rows — (name, status, lineup URL) each — as the page's loop wrote them."""
    complete = format_html('<span class="badge text-bg-success">{}</span>', gettext("Complete"))
    incomplete = format_html('<span class="badge text-bg-danger">{}</span>', gettext("Incomplete"))
    out = []
    for name, status, url in rows:
        name = _esc(name)
        counts = status.counts
        vacancies, breaches = unit_cells(status)
        out.append(
            f'\n    <tr data-unit="{name}"><td><a href="{_esc(url)}">{name}</a></td>\n'
            f"      <td>{complete if status.complete else incomplete}</td>\n"
            f'      <td class="text-end">{counts.secretaries}/{counts.deputies}/{counts.members}</td>\n'
            f"      <td>{vacancies}</td>\n"
            f'      <td class="small">{breaches}</td></tr>\n  '
        )
    return mark_safe("".join(out))
