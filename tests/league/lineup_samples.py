"""URL samples of the lineup pages: objects of 中河街道's lineup (hidden from its sibling street)."""

import datetime as dt

from league import services
from league.models import AssignmentKind, SeatRole, TalkOutcome
from tests.factories import PersonFactory, SeatFactory, TermFactory
from tests.urlwalk import Sample


def _seat(w):
    if not hasattr(w, "_zh_seat"):
        term = TermFactory(
            organization=w.zhonghe, number=1, start=dt.date(2024, 1, 1), end=dt.date(2029, 1, 1)
        )
        w._zh_seat = SeatFactory(term=term, role=SeatRole.DEPUTY)
    return w._zh_seat


def _assignment(w):
    return services.assignment_add(by=None, seat=_seat(w), kind=AssignmentKind.SECTOR, label="电子商务")


def _talk(w):
    return services.talk_record(by=None, seat=_seat(w), held_on=dt.date(2024, 6, 1), talked_by="陈鄞青",
                                content="未兑现承诺", outcome=TalkOutcome.PENDING)  # fmt: skip


def _recommendation(w):
    return services.recommendation_record(
        by=None, seat=_seat(w), target="社区干部", proposed_on=dt.date(2024, 6, 1)
    )


def _review(w):
    return services.review_record(by=None, seat=_seat(w), held_on=dt.date(2024, 6, 1), period="2024年上半年",
                                  scores=[("李明", 90, "")])  # fmt: skip


LINEUP_SAMPLES = {
    "term_id": lambda w: Sample(_seat(w).term_id),
    "seat_id": lambda w: Sample(_seat(w).pk),
    "person_id": lambda w: Sample(PersonFactory(organization=w.zhonghe).pk),
    "assignment_id": lambda w: Sample(_assignment(w).pk),
    "talk_id": lambda w: Sample(_talk(w).pk),
    "recommendation_id": lambda w: Sample(_recommendation(w).pk),
    "review_id": lambda w: Sample(_review(w).pk),
}
