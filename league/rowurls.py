"""Row links of long lists without a `reverse()` per row: the URL is reversed once with a placeholder id,
and each row's link is that text with its id put in (the same URL `{% url %}` gives)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_PLACEHOLDER = 918273645


def url_for_id(name: str) -> Callable[[int], str]:
    """`url_for_id("lineup_detail")(7) == reverse("lineup_detail", args=[7])`, for a URL whose one argument
    is an id."""
    head, tail = reverse(name, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    return lambda pk: f"{head}{pk}{tail}"
