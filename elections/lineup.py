"""The appointment step's bridge to committee lineups (league: Person, Term, Seat; issue 3).

`fill_term` fills the seats of the election's term from the result in one call to league's `seats_fill`
(all or none): each elected candidate becomes (or is matched to) a league Person of the organization,
and takes a seat with the post they were elected to, how_obtained = election, their pledge attached.
`appointed_committee` lists the elected by post, each group by surname strokes (姓氏笔画).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from league import services_lineups
from league.models import HowObtained, Person, Term

from .models import Candidate, Election, Post
from .strokes import by_surname_strokes

POST_ORDER = {Post.SECRETARY: 0, Post.DEPUTY: 1, Post.MEMBER: 2}


def _person_for(candidate: Candidate, organization, by) -> Person:
    if candidate.person_id:
        return candidate.person
    person = Person.objects.filter(
        organization=organization, name=candidate.name, birth_date=candidate.birth_date
    ).first()
    if person is None:
        person = services_lineups.person_create(
            by=by, organization=organization, name=candidate.name, gender=candidate.gender,
            birth_date=candidate.birth_date, employer=candidate.unit, youth_group=candidate.sector[:60],
        )  # fmt: skip
    candidate.person = person
    candidate.save(update_fields=["person"])
    return person


def fill_term(*, election: Election, term: Term, committee: list[Candidate], by, on: datetime.date) -> list:
    """Fill the lineup seats of `term` from the elected committee; raises ValidationError naming the entry."""
    entries = []
    for candidate in committee:
        person = _person_for(candidate, election.organization, by)
        entries.append(
            services_lineups.SeatEntry(
                person=person,
                role=candidate.post,
                start=on,
                how_obtained=HowObtained.ELECTION,
                source=election.title[:120],
                pledge=candidate.pledge,
            )  # fmt: skip
        )
    return services_lineups.seats_fill(by=by, term=term, entries=entries)


def appointed_committee(election: Election) -> list[Candidate]:
    """The committee as elected: secretary, deputies, then members, each group by surname strokes."""
    people = list(election.candidates.filter(elected=True).exclude(post=""))
    ordered: list[Candidate] = []
    for post in (Post.SECRETARY, Post.DEPUTY, Post.MEMBER):
        ordered += by_surname_strokes([c for c in people if c.post == post], lambda c: c.name)
    return ordered


__all__ = ["ValidationError", "appointed_committee", "fill_term"]
