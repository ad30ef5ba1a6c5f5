"""National-scale lineups for benchmarks (`manage.py seed_demo --scale N` calls `seed_scale`).

Every synthetic street/township gets its current term (第1届) and a "1+3+X" lineup: a secretary, three
deputies and two to six members, each a Person kept by the street. About one in ten streets has a deputy
seat vacant (the deputy left three months ago), one in twelve a term ending within six months. Ids are
assigned in Python so each table goes in with bulk INSERTs; the data is a deterministic function of the
street's id, so a re-run builds the same rows.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from . import lineup_snapshots
from .models import EndReason, Level, Organization, Person, Seat, SeatRole, Term

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明", "超", "霞", "平"]


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def seed_scale(stdout=None, on: dt.date | None = None) -> int:
    """Terms, people and seats for synthetic streets that have no term yet; returns the seats created."""
    on = on or timezone.localdate()
    streets = list(
        Organization.objects.filter(code__startswith="SYN-", level=Level.STREET, terms__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    created = 0
    for start in range(0, len(streets), 5000):
        with transaction.atomic():
            created += _seed_streets(streets[start : start + 5000], on)
        if stdout:
            stdout.write(f"  lineups: {created} seats so far")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Term, Person, Seat):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
    # Every committee's verdict for today worked out once, as readers would on first sight (the cold cost of
    # a national dashboard, reported on its own line); afterwards changes retire them one at a time.
    t0 = time.monotonic()
    kept = lineup_snapshots.refresh(Organization.objects.filter(level=Level.STREET), on=on)
    if stdout:
        stdout.write(f"  lineups: {kept} verdicts kept")
        stdout.write(f"seed-time lineup-verdicts {time.monotonic() - t0:.2f} s")
    return created


def _seed_streets(streets: list[int], on: dt.date) -> int:
    term_id, person_id = _next_id(Term), _next_id(Person)
    terms, people, seats = [], [], []
    for street in streets:
        expiring = street % 12 == 0
        start = (
            on - dt.timedelta(days=365 * 5 - 90) if expiring else on - dt.timedelta(days=400 + street % 300)
        )
        terms.append(Term(id=term_id, organization_id=street, number=1, start=start,
                          end=start + dt.timedelta(days=365 * 5)))  # fmt: skip
        roles = [SeatRole.SECRETARY] + [SeatRole.DEPUTY] * 3 + [SeatRole.MEMBER] * (2 + street % 5)
        for i, role in enumerate(roles):
            name = SURNAMES[(street + i) % len(SURNAMES)] + GIVEN[(street * 7 + i) % len(GIVEN)]
            birth = dt.date(1990 + (street + i) % 10, 1 + i % 12, 1 + street % 28)
            people.append(Person(id=person_id, organization_id=street, name=name, birth_date=birth,
                                 gender="mf"[i % 2], employer="街道办事处"))  # fmt: skip
            vacated = role == SeatRole.DEPUTY and i == 3 and street % 10 == 0
            seats.append(Seat(
                term_id=term_id, person_id=person_id, role=role, start=start,
                end=on - dt.timedelta(days=90) if vacated else None,
                end_reason=EndReason.TRANSFERRED if vacated else "",
            ))  # fmt: skip
            person_id += 1
        term_id += 1
    Term.objects.bulk_create(terms, batch_size=5000)
    Person.objects.bulk_create(people, batch_size=5000)
    Seat.objects.bulk_create(seats, batch_size=5000)
    lineup_snapshots.touch(streets)  # bulk writes skip the signals that retire kept verdicts
    return len(seats)
