"""Row links of long lists without a `reverse()` per row: the URL is reversed once (per route, script
prefix, urlconf and language) with a placeholder id, and each row's link is that text with its id put in —
the same URL `{% url %}` gives. Used by league's views and pilots' `{% row_url %}` tag."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

_PLACEHOLDER = 918273645


@functools.lru_cache(maxsize=256)
def _split(name: str, prefix: str, urlconf, language) -> tuple[str, str]:
    head, _sep, tail = reverse(name, args=[_PLACEHOLDER], urlconf=urlconf).partition(str(_PLACEHOLDER))
    return head, tail


def url_for_id(name: str) -> Callable[[int], str]:
    """`url_for_id("lineup_detail")(7) == reverse("lineup_detail", args=[7])`, for a URL whose one argument
    is an id."""
    head, tail = _split(name, get_script_prefix(), get_urlconf(), translation.get_language())
    return lambda pk: f"{head}{int(pk)}{tail}"


def row_url(name: str, pk) -> str:
    """reverse(name, args=[pk]) for a route with one integer argument, without resolving it per row."""
    return url_for_id(name)(pk)


@functools.lru_cache(maxsize=256)
def _fixed(name: str, prefix: str, urlconf, language) -> str:
    return reverse(name, urlconf=urlconf)


def fixed_url(name: str) -> str:
    """`reverse(name)` of a route without arguments, reversed once per script prefix, urlconf and language."""
    return _fixed(name, get_script_prefix(), get_urlconf(), translation.get_language())
