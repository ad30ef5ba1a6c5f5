"""What `{{ value }}` writes for a list row's cell, without the template engine's lazy wrappers: long lists
render their rows in one pass in Python (league's and pilots' row tags), with the same bytes as the template
loop they replace."""

from __future__ import annotations

import html

from django.conf import settings
from django.utils import formats
from django.utils.timezone import template_localtime


def esc(value) -> str:
    """{{ value }} of a text: conditional_escape() without its lazy-string wrapper (several calls per row)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def number(value) -> str:
    """{{ value }} of a figure: an int as the template writes it (no thousand separator configured), anything
    else localized and escaped as the template would."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return esc(formats.localize(value))


def minute(value, empty: str = "—") -> str:
    """{{ value|date:"Y-m-d H:i" }} of a datetime, in the current time zone as the filter shows it; `empty`
    for none."""
    if value is None:
        return empty
    v = template_localtime(value)
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}"
