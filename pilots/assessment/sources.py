"""Where a criterion's proposed score comes from: a registry of sources by key.

A criterion with a source (`Criterion.source`, or the key `reporting` for the information-reporting
criterion of the default scheme) is proposed a score from the unit's records; the review group may change
it, giving a reason (services.unit_score). Sources:

    reporting    max × reports on time / reports due (this module)
    theme_days   max × theme days held / (branches × months of the review)   (grassroots app)
    funding      max × youth fund per young person / the minimum, at most max (grassroots app)

Another app registers its own with `register(key, label)` from its AppConfig.ready().
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import today
from . import rules


@dataclass(frozen=True)
class Proposal:
    points: Decimal
    explanation: str


@dataclass(frozen=True)
class Source:
    key: str
    label: Any
    propose: Callable[..., Proposal]  # (review, unit, criterion) -> Proposal


SOURCES: dict[str, Source] = {}


def register(key: str, label):
    def decorator(func):
        SOURCES[key] = Source(key, label, func)
        return func

    return decorator


def choices() -> list[tuple[str, Any]]:
    return [("", gettext_lazy("Entered by the review group"))] + [(s.key, s.label) for s in SOURCES.values()]


def source_of(criterion) -> Source | None:
    key = criterion.source or (rules.REPORTING_KEY if criterion.key == rules.REPORTING_KEY else "")
    return SOURCES.get(key)


def propose(review, unit, criterion) -> Proposal | None:
    """The proposed score of `criterion` for `unit` in `review`, or None when it has no source."""
    source = source_of(criterion)
    return None if source is None else source.propose(review, unit, criterion)


def review_window(review) -> tuple[dt.date, dt.date]:
    """The days a review covers: its phase, or the program from its start; never past today."""
    if review.phase_id:
        start, end = review.phase.starts_on, review.phase.ends_on
    else:
        start, end = review.scheme.program.starts_on, today()
    end = min(end, today())
    return min(start, end), end


def points_of(max_points, part, whole) -> Decimal:
    """max × part / whole to one decimal, never above max (0 when there is nothing to measure)."""
    if not whole:
        return Decimal(0)
    return min(Decimal(max_points), Decimal(max_points) * Decimal(part) / Decimal(whole)).quantize(
        Decimal("0.1")
    )


@register(rules.REPORTING_KEY, gettext_lazy("On-time reporting rate"))
def _reporting(review, unit, criterion) -> Proposal:
    from .services import reporting_rate

    on_time, expected = reporting_rate(review, unit)
    points = rules.proposed_reporting_points(criterion.max_points, on_time, expected)
    return Proposal(points, _("Proposed from on-time reporting: %(proposal)s (%(on_time)s of %(expected)s reports "
                              "on time).") % {"proposal": points, "on_time": on_time, "expected": expected})  # fmt: skip
