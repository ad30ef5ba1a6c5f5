"""Models of the league app: the organization tree (tree.py) and the "1+3+X" lineups (lineups.py).

Everything is re-exported here, so `from league.models import Organization, Seat` works everywhere.
"""

from .audit import HistoryOrigin
from .exports import ExportJob, ExportJobQuerySet, ExportStatus
from .lineups import (
    Assignment,
    AssignmentKind,
    Breach,
    Employment,
    EndReason,
    Establishment,
    Gender,
    HowObtained,
    LineupCounts,
    LineupMark,
    LineupRule,
    LineupSnapshot,
    LineupStatus,
    LineupSummary,
    MemberCategory,
    Person,
    PoliticalStatus,
    Recommendation,
    RecommendationOutcome,
    Review,
    ReviewScore,
    Seat,
    SeatRole,
    Talk,
    TalkOutcome,
    Term,
    Vacancy,
)
from .tree import (
    LEVEL_RANK,
    PATH_SEP,
    PATH_WIDTH,
    Domain,
    Kind,
    Level,
    LevelCount,
    Membership,
    Notice,
    Organization,
    OrganizationQuerySet,
    Region,
    Role,
    WorkerHeartbeat,
    id_join_sql,
    moved_path,
    path_order,
    path_segment,
    subtree_end,
    subtree_sql,
)

__all__ = [
    "HistoryOrigin",
    "LEVEL_RANK", "PATH_SEP", "PATH_WIDTH", "Domain", "Kind", "Level", "LevelCount", "Membership", "Notice", "Organization",
    "OrganizationQuerySet", "Region", "Role", "WorkerHeartbeat", "id_join_sql", "moved_path", "path_order", "path_segment",
    "subtree_end",
    "subtree_sql",
    "Assignment", "AssignmentKind", "Breach", "Employment", "EndReason", "Establishment", "Gender",
    "HowObtained", "LineupCounts", "LineupMark", "LineupRule", "LineupSnapshot", "LineupStatus", "LineupSummary", "MemberCategory", "Person",
    "PoliticalStatus", "Recommendation", "RecommendationOutcome", "Review", "ReviewScore", "Seat", "SeatRole", "Talk", "TalkOutcome",
    "Term", "Vacancy", "ExportJob", "ExportJobQuerySet", "ExportStatus",
]  # fmt: skip
