"""Figures of grassroots work that a pilot assessment criterion can propose its score from (registered in
pilots.assessment.sources when the app is ready): the unit's theme-day rate over the months of the review
and its youth fund per young person against the minimum."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilots.assessment.sources import Proposal, points_of, register, review_window

from . import rollups


def review_months(review) -> tuple[dt.date, dt.date]:
    """The whole months a review covers: from its first month to the last one that has ended by its end day
    (at least its first month)."""
    start, end = review_window(review)
    first = start.replace(day=1)
    last = end.replace(day=1)
    if end != rollups._next_month(end) - dt.timedelta(days=1):  # the end month is not over yet
        last = (last - dt.timedelta(days=1)).replace(day=1)
    return first, max(first, last)


@register("theme_days", gettext_lazy("Theme-day rate (主题团日)"))
def theme_days(review, unit, criterion) -> Proposal:
    first, last = review_months(review)
    period = rollups.theme_day_period_rate(unit.organization, first, last)
    points = points_of(criterion.max_points, period.held, period.expected)
    values = {"points": points, "held": period.held, "expected": period.expected, "branches": period.branches,
              "months": period.months, "first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"}  # fmt: skip
    return Proposal(points, _("Proposed from the theme-day rate: %(points)s (%(held)s theme days held of %(expected)s "
                              "expected: %(branches)s branches × %(months)s months, %(first)s to %(last)s).") % values)  # fmt: skip


@register("funding", gettext_lazy("Youth fund per young person"))
def funding(review, unit, criterion) -> Proposal:
    _start, end = review_window(review)
    figure = rollups.per_capita_funding(unit.organization, end.year)
    if figure.per_capita is None:
        return Proposal(points_of(criterion.max_points, 0, 0),
                        _("Proposed from youth funding: 0 (no youth fund entered for %(year)s).") % {"year": end.year})  # fmt: skip
    points = points_of(criterion.max_points, figure.per_capita, figure.minimum)
    values = {"points": points, "per_capita": figure.per_capita, "minimum": figure.minimum, "year": end.year,
              "amount": figure.amount, "population": figure.population}  # fmt: skip
    return Proposal(points, _("Proposed from youth funding: %(points)s (%(amount)s yuan for %(population)s young "
                              "people in %(year)s = %(per_capita)s yuan each; the minimum is %(minimum)s).") % values)  # fmt: skip
