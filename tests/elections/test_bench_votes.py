"""The phone-vote benchmark (tests/perf/bench_votes.py, `make bench`) at tiny scale, so it cannot rot: an
election at its vote, every delegate voting through the public phone page of a live server, some codes
submitted twice, then the checks (one ballot per delegate, every code once, the tally equal to what was
cast) and its section. In the PostgreSQL pass (`realservices`) the votes go in from many threads and the
doubled codes at the same moment. No time is asserted (targets are met in `make bench`)."""

import pytest
from django.db import connection

from elections.models import Ballot, BallotPaper
from tests.perf import bench_votes, sections


def _assert_counted(results, voters, twice):
    cast, check = results["cast"], results["check"]
    assert check["ok"], (check, cast["refused_samples"])
    assert cast["voters"] == cast["accepted"] == check["ballots"] == check["papers_cast"] == voters
    assert cast["submissions"] == voters + twice and cast["doubled_refused"] == twice
    assert cast["codes_lost"] == cast["codes_twice"] == 0
    assert check["invalid"] == check["expected_invalid"] > 0  # the over-marked ballots were counted invalid
    assert not check["candidates_miscounted"]
    assert results["tally"]["n"] == 2 and len(results["tally"]["queries"]) == 1


@pytest.mark.django_db(transaction=True)
def test_vote_benchmark_through_the_phone_page_counts_each_delegate_once(live_server, tmp_path):
    results = bench_votes.run(30, clients=1, twice=3, base_url=live_server.url, tally_repeats=2)
    _assert_counted(results, 30, 3)
    assert results["cast"]["mode"].startswith("HTTP")
    assert Ballot.objects.filter(source="phone").count() == 30
    assert BallotPaper.objects.filter(cast="").count() == 3  # the counters' and scrutineer's papers

    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\n<!-- bench:begin -->\ngenerated\n<!-- bench:end -->\n")
    for _ in range(2):
        sections.write_section(out, "votes", bench_votes.render(results))
    text = out.read_text()
    assert text.count("## Election: 2,000 phone votes cast concurrently") == 1 and "generated" in text
    assert "Nothing lost, nothing counted twice" in text and "**missed**" not in text.split("Tally")[0]


@pytest.mark.realservices
@pytest.mark.django_db(transaction=True)
def test_phone_votes_from_many_threads_and_doubled_codes_at_once(live_server):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: make test runs this in its PostgreSQL pass")
    over_http = bench_votes.run(120, clients=8, twice=20, base_url=live_server.url, tally_repeats=2)
    _assert_counted(over_http, 120, 20)
    assert over_http["cast"]["together"]
    in_threads = bench_votes.run(120, clients=8, twice=20, tally_repeats=2)
    _assert_counted(in_threads, 120, 20)
    assert in_threads["cast"]["mode"] == "services.phone_vote in threads"
