"""Pure rules of assessment and rating: no database, so tests give worked examples."""

from __future__ import annotations

import math
from decimal import Decimal

# Star thresholds (对标定级): score at least → stars; below the last, or a veto item: weak (软弱涣散, 0).
STAR_THRESHOLDS: list[tuple[int, int]] = [(90, 5), (80, 4), (70, 3), (60, 2)]
WEAK = 0

FIVE_GOODS = [
    ("team", "支部班子好"),
    ("members", "团员管理好"),
    ("activities", "活动开展好"),
    ("rules", "制度落实好"),
    ("role", "作用发挥好"),
]
GOOD_MAX = 20  # five goods × 20 = 100 points

DEFAULT_CRITERIA = [
    # (key, name, max points, description)
    ("leadership", "领导重视", 20, "党委（党工委）重视，领导小组健全，定期研究试点工作。"),
    ("plan", "方案优化", 20, "试点方案切合实际，目标明确、措施具体、可操作。"),
    ("projects", "项目推进", 25, "试点项目按计划推进，取得阶段性成效。"),
    ("schedule", "工作进度", 20, "各阶段任务按时完成，里程碑按期达成。"),
    ("reporting", "信息报送", 15, "按时报送工作进展，报送率由系统按按时报送率提出建议分。"),
]
REPORTING_KEY = "reporting"


def stars_for(score: Decimal | int | float | None, *, vetoed: bool = False) -> int | None:
    """Stars for a final score: ≥90 five, 80–89 four, 70–79 three, 60–69 two, else weak (0)."""
    if score is None:
        return None
    if vetoed:
        return WEAK
    for threshold, stars in STAR_THRESHOLDS:
        if Decimal(str(score)) >= threshold:
            return stars
    return WEAK


def quota_limit(count: int, percent: int) -> int:
    """How many branches of `count` may hold a grade capped at `percent` % (rounded down)."""
    return (count * percent) // 100


def bottom_count(count: int, percent: int = 20) -> int:
    """How many branches the bottom `percent` % holds: rounded up, at least one when there are any."""
    return 0 if count <= 0 else max(1, math.ceil(count * percent / 100))


def proposed_reporting_points(max_points: Decimal | int, on_time: int, expected: int) -> Decimal:
    """The information-reporting score proposed from the on-time rate, to one decimal."""
    if expected <= 0:
        return Decimal(0)
    return (Decimal(max_points) * on_time / expected).quantize(Decimal("0.1"))


def competition_ranks(values: list[Decimal]) -> list[int]:
    """Ranks for values already sorted high to low: equal values share a rank (1, 2, 2, 4)."""
    ranks, previous = [], None
    for i, value in enumerate(values, start=1):
        ranks.append(ranks[-1] if value == previous else i)
        previous = value
    return ranks
