"""The appointment step's view of committee lineups (issue 3 builds Person, Committee/Term and Seat).

`fill_term` is the one call the appointment makes: it receives the election and the posts to fill, each
(post, candidate). Until the league app has lineup models on main, the elected committee is kept here
(Candidate.post, Election.appointed_on) and shown by `appointed_committee`, which the organization page
panel uses as the lineup. When lineups land, this module maps candidates to league Person records and
calls league's seat-filling service; nothing else in elections needs to change.
"""

from __future__ import annotations

import datetime

from .models import Candidate, Election, Post
from .strokes import by_surname_strokes

POST_ORDER = {Post.SECRETARY: 0, Post.DEPUTY: 1, Post.MEMBER: 2}


def fill_term(*, election: Election, assignments: list[tuple[str, Candidate]], by, on: datetime.date) -> None:
    """Fill the term's lineup seats from the result (no league lineup models yet: nothing more to do)."""
    return None


def appointed_committee(election: Election) -> list[Candidate]:
    """The committee as elected: secretary, deputies, then members, each group by surname strokes."""
    people = list(election.candidates.filter(elected=True).exclude(post=""))
    ordered: list[Candidate] = []
    for post in (Post.SECRETARY, Post.DEPUTY, Post.MEMBER):
        ordered += by_surname_strokes([c for c in people if c.post == post], lambda c: c.name)
    return ordered
