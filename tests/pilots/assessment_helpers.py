"""Builders for assessment tests (and the URL walk's samples)."""

import datetime as dt

from league.models import Kind, Level
from pilots.assessment import services
from tests.factories import OrganizationFactory

FULL = {"leadership": 18, "plan": 17, "projects": 22, "schedule": 16}


def scored_review(program, user, scores_by_org: dict, *, title="中期评审", reason="按实际报送情况调整"):
    """A review of `program` with each unit scored: scores_by_org maps an org to {criterion key: points}."""
    scheme = getattr(program, "assessment_scheme", None) or services.scheme_create(
        by=user, program=program, veto_items=["发生重大负面舆情"]
    )
    review = services.review_create(
        by=user, scheme=scheme, title=title, members="张三 区团委书记\n李四 组织部长"
    )
    for unit in program.units.select_related("organization"):
        points = scores_by_org.get(unit.organization)
        if points is not None:
            services.unit_score(by=user, review=review, unit=unit, points=points, adjust_reason=reason)
    return review


def branches(county, n: int, prefix: str = "B"):
    """n branches under a street of `county`."""
    street = OrganizationFactory(code=f"{county.code}-{prefix}ST", name=f"{county.name}{prefix}街道",
                                 level=Level.STREET, kind=Kind.WORKING_COMMITTEE, parent=county)  # fmt: skip
    return [OrganizationFactory(code=f"{county.code}-{prefix}{i:03d}", name=f"{prefix}第{i}团支部", parent=street)
            for i in range(1, n + 1)]  # fmt: skip


def goods(total: int) -> dict:
    """Five goods summing to `total` (spread as evenly as possible, each ≤ 20)."""
    base, extra = divmod(total, 5)
    return {
        k: base + (1 if i < extra else 0)
        for i, k in enumerate(["team", "members", "activities", "rules", "role"])
    }


def rated_round(county, user, totals: list[int], year: int = 2025, vetoed: set[int] = frozenset()):
    """A round of `county` with its branches self-rated and reviewed at `totals` (in order)."""
    rnd = services.round_open(by=user, county=county, year=year)
    for i, (rating, total) in enumerate(zip(rnd.ratings.order_by("branch__path"), totals, strict=False)):
        services.self_rate(by=user, rating=rating, scores=goods(total))
        services.rating_review(by=user, rating=rating, scores=goods(total), vetoed=i in vetoed,
                               comment="违反一票否决事项" if i in vetoed else "")  # fmt: skip
    return rnd


def review_date():
    return dt.date(2026, 7, 1)
