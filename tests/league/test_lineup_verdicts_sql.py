"""The verdicts of a page of committees (league.lineups.lineup_statuses_of), read with SQL written once: the
same terms, rules, counts, breaches (codes and messages, in both languages) and vacancies as the ORM reading of
lineup_statuses and Term.status, in a pinned number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from league import lineups, services
from league.lineups import lineup_statuses, lineup_statuses_of, term_status_of_seats
from league.models import (
    Establishment,
    Kind,
    Level,
    LineupCounts,
    LineupRule,
    Organization,
    SeatRole,
    Term,
)
from league.models.lineups import breach_messages
from league.templatetags.lineup_tags import stats_unit_rows, unit_cells
from tests.factories import OrganizationFactory, SeatFactory, TermFactory, full_lineup

D = dt.date(2024, 6, 1)
DATES = (dt.date(2019, 1, 1), dt.date(2024, 2, 1), D, dt.date(2029, 2, 1))


def street(world, code, parent=None):
    return OrganizationFactory(parent=parent or world.county, level=Level.STREET, kind=Kind.WORKING_COMMITTEE,
                               code=code)  # fmt: skip


def verdict(status):
    """Everything a LineupStatus says, term fields and message texts included."""
    term = status.term
    ended = {role: sorted(dates) for role, dates in status.counts.ended.items()}
    return (
        status.organization_id, status.on, status.rule.pk, status.complete,
        None if term is None else (term.pk, term.organization_id, term.number, term.start, term.end, term.rule_id,
                                   term.note),
        [(b.code, b.message) for b in status.breaches],
        [(v.role, v.since, v.on, v.age_days()) for v in status.vacancies],
        (status.counts.secretaries, status.counts.deputies, status.counts.deputies_inside,
         status.counts.deputies_outside, status.counts.members, ended),
        status.by_establishment, status.by_employment, status.by_category,
    )  # fmt: skip


@pytest.fixture
def rules_world(world, lineup_rules):
    """Committees under a county with its own rule, one with a rule of its own, one whose term has a rule, one
    in the sibling county, one with a vacated seat and an earlier term, one with no term."""
    variant = LineupRule.objects.get(name="1+2+N")
    variant.organization = world.county
    variant.save(update_fields=["organization"])
    own = LineupRule.objects.create(name="own", organization=world.zhonghe, deputies_min=4, size_min=7)
    on_term = LineupRule.objects.create(name="term", deputies_min=1, deputies_inside_min=0, size_min=3,
                                        members_max=4)  # fmt: skip
    elsewhere = OrganizationFactory(parent=world.city, level=Level.COUNTY, code="V-E")
    LineupRule.objects.create(
        name="elsewhere", organization=elsewhere, deputies_min=9
    )  # applies to none here
    w = world
    w.own, w.on_term, w.variant = own, on_term, variant
    w.termed, w.sibling, w.vacated = (
        street(w, "V-T"),
        street(w, "V-S", parent=w.other_county_org),
        street(w, "V-V"),
    )
    full_lineup(
        TermFactory(organization=w.zhonghe, number=1, start=dt.date(2024, 1, 1)), deputies=3, members=5
    )
    full_lineup(TermFactory(organization=w.termed, number=1, start=dt.date(2024, 1, 1), rule=on_term), deputies=2,
                members=6)  # fmt: skip
    full_lineup(
        TermFactory(organization=w.sibling, number=1, start=dt.date(2024, 1, 1)), deputies=3, members=5
    )
    TermFactory(organization=w.vacated, number=1, start=dt.date(2018, 1, 1), end=dt.date(2023, 1, 1))
    seats = full_lineup(TermFactory(organization=w.vacated, number=2, start=dt.date(2023, 1, 1),
                                    end=dt.date(2028, 1, 1)), deputies=3, members=6)  # fmt: skip
    services.seat_vacate(by=w.users["county"], seat=seats[0], on=dt.date(2024, 3, 1))
    services.seat_vacate(by=w.users["county"], seat=seats[2], on=dt.date(2024, 4, 10))
    services.seat_vacate(by=w.users["county"], seat=seats[3], on=dt.date(2024, 4, 10))
    SeatFactory(term=seats[0].term, role=SeatRole.DEPUTY, establishment=Establishment.OUTSIDE,
                start=dt.date(2029, 1, 1))  # fmt: skip
    return w


def test_the_verdicts_of_a_page_are_those_of_the_orm_reading(rules_world):
    w = rules_world
    orgs = [w.zhonghe, w.shounan, w.termed, w.sibling, w.vacated]
    paths = {o.pk: o.path for o in orgs}
    queryset = Organization.objects.filter(pk__in=paths)
    seen = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for on in DATES:
                for rule in (None, w.on_term):
                    mine = lineup_statuses_of(paths, on=on, rule=rule)
                    orm = lineup_statuses(queryset, on=on, rule=rule)
                    assert list(mine) == list(paths)
                    assert {k: verdict(s) for k, s in mine.items()} == {k: verdict(s) for k, s in orm.items()}
                    for status in mine.values():
                        if status.term is not None:  # and Term.status, reading one term through the ORM
                            assert verdict(status) == verdict(status.term.status(on, rule=rule))
                        seen.update((b.code, b.message) for b in status.breaches)
    # The rules resolved: the term's own, the committee's own, the county's, the default in the other county.
    today = lineup_statuses_of(paths, on=D)
    assert [today[o.pk].rule.name for o in orgs] == ["own", "1+2+N", "term", "1+3+X", "1+2+N"]
    codes = {code for code, _ in seen}
    assert {"no_term", "term_expired", "secretary_missing", "deputies_too_few", "members_too_many"} <= codes
    assert any("规则" in m for _, m in seen) and any("rule" in m for _, m in seen)  # both languages seen


def test_three_queries_two_with_the_programs_rule_or_without_terms(rules_world):
    w = rules_world
    paths = {o.pk: o.path for o in (w.zhonghe, w.shounan, w.termed)}
    for kwargs, expected in (({}, 3), ({"rule": w.on_term}, 2), ({"on": dt.date(2019, 1, 1)}, 2)):
        with CaptureQueriesContext(connection) as ctx:
            lineup_statuses_of(paths, **kwargs)
        assert len(ctx.captured_queries) == expected, kwargs
    with CaptureQueriesContext(connection) as ctx:
        assert lineup_statuses_of({}, on=D) == {}
        no_term = lineup_statuses_of({w.shounan.pk: w.shounan.path}, on=D, rule=w.on_term)
    assert [b.code for b in no_term[w.shounan.pk].breaches] == ["no_term"]
    assert len(ctx.captured_queries) == 1  # the terms only


def test_long_lists_are_read_in_pieces(rules_world, monkeypatch):
    w = rules_world
    extra = [street(w, f"V-L{i}") for i in range(5)]
    for i, org in enumerate(extra):
        full_lineup(
            TermFactory(organization=org, number=1, start=dt.date(2024, 1, 1)), deputies=i % 4, members=6
        )
    paths = {o.pk: o.path for o in [w.zhonghe, w.shounan, w.termed, w.sibling, w.vacated, *extra]}
    whole = {k: verdict(s) for k, s in lineup_statuses_of(paths, on=D).items()}
    monkeypatch.setattr(lineups, "IN_CHUNK", 3)
    with CaptureQueriesContext(connection) as ctx:
        pieces = {k: verdict(s) for k, s in lineup_statuses_of(paths, on=D).items()}
    assert pieces == whole and len(whole) == 10
    assert len(ctx.captured_queries) == 4 + 1 + 3  # terms in 4 pieces, rules, seats of 9 terms in 3


def test_the_lineup_page_reads_no_rule_when_the_term_brings_its_own(rules_world):
    w = rules_world
    term = Term.objects.select_related("rule", "organization").get(organization=w.termed)
    seats = list(term.seats.filter(start__lte=D))
    with CaptureQueriesContext(connection) as ctx:
        status = term_status_of_seats(term, seats, on=D)
    assert len(ctx.captured_queries) == 0
    assert verdict(status) == verdict(Term.objects.get(pk=term.pk).status(D)) and status.rule == w.on_term
    other = Term.objects.select_related("rule", "organization").get(organization=w.zhonghe)
    seats = list(other.seats.filter(start__lte=D))
    with CaptureQueriesContext(connection) as ctx:
        status = term_status_of_seats(other, seats, on=D)
    assert len(ctx.captured_queries) == 1 and status.rule == w.own


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_evaluate_with_the_messages_translated_once_says_the_same(lineup_rules, language):
    rules = [*LineupRule.objects.all(), LineupRule(name="bounded", deputies_max=3, members_max=2, size_max=8)]
    with translation.override(language):
        messages = breach_messages()
        for rule in rules:
            for secretaries, deputies, outside, members in (
                (0, 0, 0, 0),
                (1, 3, 1, 6),
                (2, 5, 0, 1),
                (1, 2, 2, 15),
            ):
                counts = LineupCounts(secretaries=secretaries, deputies=deputies, deputies_outside=outside,
                                      deputies_inside=deputies - outside, members=members,
                                      ended={SeatRole.DEPUTY: [dt.date(2024, 1, 1)]})  # fmt: skip
                start = dt.date(2023, 1, 1)
                assert rule.evaluate(counts, term_start=start, messages=messages) == rule.evaluate(
                    counts, term_start=start
                )
    with translation.override("en" if language == "zh-hans" else "zh-hans"):
        assert messages != breach_messages()  # the other language's


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_statistics_rows_write_each_rows_own_vacancies(rules_world, language):
    """The rows reuse the vacancy texts already written on the page: each row still says its own roles and
    ages (rows with the same role vacant for different times, and a never-filled seat)."""
    w = rules_world
    paths = {o.pk: o.path for o in (w.zhonghe, w.shounan, w.termed, w.sibling, w.vacated)}
    with translation.override(language):
        for on in DATES:
            statuses = lineup_statuses_of(paths, on=on)
            rows = [(str(k), s, f"/orgs/{k}/lineup/") for k, s in statuses.items()]
            alone = "".join(stats_unit_rows([row]) for row in rows + rows)  # each row written on its own
            assert stats_unit_rows(rows + rows) == alone
    vacated = unit_cells(lineup_statuses_of(paths, on=D)[w.vacated.pk])[0]
    never_filled = unit_cells(lineup_statuses_of(paths, on=dt.date(2024, 2, 1))[w.shounan.pk])[0]
    assert vacated.count("(") == 2 and vacated.count("、") == 1 and never_filled == "—"  # two ages written
