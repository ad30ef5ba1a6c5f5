"""The election pages: the whole workflow through the web, public pages without login, bad input shown."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from elections.models import Candidate, Election, Objection, Round, State, Voter, VoterRole
from league import services_lineups
from tests.elections.factories import election_at


def _post(client, url, data, follow=True):
    response = client.post(url, data, follow=follow)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_whole_workflow_through_the_pages(world, client_for):
    county = client_for("county")
    body = _post(county, "/elections/new/", {"organization": world.zhonghe.pk, "title": "第三届团工委选举",
                                             "term_label": "第三届", "congress_kind": "members"})  # fmt: skip
    e = Election.objects.get()
    assert 'data-testid="election-state"' in body
    rules = {"secretary_seats": 1, "deputy_seats": 2, "member_seats": 6, "recommend_margin_pct": 20,
             "formal_margin_pct": 10, "quorum_numerator": 4, "quorum_denominator": 5, "publicity_working_days": 5,
             "officers_uncontested": "on", "min_committee_size": 9, "max_committee_size": 21, "form": "rules"}  # fmt: skip
    _post(county, f"/elections/{e.pk}/rules/", rules)
    _post(county, f"/elections/{e.pk}/rules/", {"form": "quota", "category": "青年致富带头人", "seats": 2})
    _post(county, f"/elections/{e.pk}/step/", {"step": "open_nomination"})
    for i in range(10):
        _post(
            county,
            f"/elections/{e.pk}/candidates/",
            {"name": f"张{i}", "source": "organization", "sector": "社区"},
        )
    body = _post(county, f"/elections/{e.pk}/step/", {"step": "close_nomination"})
    assert "还需推荐1名" in body
    _post(county, f"/elections/{e.pk}/candidates/", {"name": "李十", "source": "self", "sector": "企业"})
    _post(county, f"/elections/{e.pk}/step/", {"step": "close_nomination"})
    for c in e.candidates.all():
        _post(
            county,
            f"/elections/candidates/{c.pk}/",
            {"written_score": "85", "interview_score": "80", "vetting": "passed"},
        )
    data = {
        "candidates": [c.pk for c in e.candidates.all()],
        "confirmed_by": "中河街道党工委",
        "confirmed_on": "2026-11-20",
    }
    _post(county, f"/elections/{e.pk}/formal/", data)
    lines = "\n".join(f"团员{i}, {'社区' if i % 2 else '企业'}" for i in range(12))
    _post(county, f"/elections/{e.pk}/roll/", {"lines": lines})
    body = _post(county, f"/elections/{e.pk}/step/", {"step": "start_vote"})
    assert Round.objects.count() == 0  # no counters, no quorum yet
    for v in Voter.objects.filter(election=e):
        role = "counter" if v.name in ("团员0", "团员1") else "scrutineer" if v.name == "团员2" else "voter"
        _post(county, f"/elections/voters/{v.pk}/", {"present": "on", "role": role})
    # A candidate as counter is refused on the roll page too
    _post(county, f"/elections/{e.pk}/step/", {"step": "start_vote"})
    rnd = Round.objects.get()
    assert rnd.voters_present == 12
    body = county.get(f"/elections/rounds/{rnd.pk}/print/").content.decode()
    assert "选举票" in body and "赞成" in body and "另选他人" in body and "No.012" in body
    assert "计票单" in county.get(f"/elections/rounds/{rnd.pk}/print/?sheet=1").content.decode()
    counters = list(Voter.objects.filter(election=e, role=VoterRole.COUNTER))
    cands = list(rnd.candidates.order_by("id"))
    for number in range(1, 13):
        yes = cands[:9] if number <= 10 else cands[2:11]
        marks = {f"c{c.pk}": "yes" for c in yes}
        for entry, counter in ((1, counters[0]), (2, counters[1])):
            _post(
                county,
                f"/elections/rounds/{rnd.pk}/",
                {"paper_number": number, "entry": entry, "counter": counter.pk, **marks},
            )
    body = _post(county, f"/elections/rounds/{rnd.pk}/action/", {"action": "certify"})
    e.refresh_from_db()
    assert e.state == State.COMMITTEE
    elected = list(e.candidates.filter(elected=True).order_by("id"))
    assert len(elected) == 9
    _post(
        county,
        f"/elections/{e.pk}/officers/",
        {"post": "secretary", "candidates": [elected[0].pk], "voters_present": 9},
    )
    sec = Round.objects.get(number=2)
    for number in range(1, 10):
        for entry, counter in ((1, counters[0]), (2, counters[1])):
            _post(
                county,
                f"/elections/rounds/{sec.pk}/",
                {"paper_number": number, "entry": entry, "counter": counter.pk, f"c{elected[0].pk}": "yes"},
            )
    _post(county, f"/elections/rounds/{sec.pk}/action/", {"action": "certify"})
    _post(
        county,
        f"/elections/{e.pk}/officers/",
        {"post": "deputy", "candidates": [elected[1].pk, elected[2].pk], "voters_present": 9},
    )
    dep = Round.objects.get(number=3)
    for number in range(1, 10):
        for entry, counter in ((1, counters[0]), (2, counters[1])):
            _post(county, f"/elections/rounds/{dep.pk}/", {"paper_number": number, "entry": entry, "counter": counter.pk,
                                                           f"c{elected[1].pk}": "yes", f"c{elected[2].pk}": "yes"})  # fmt: skip
    _post(county, f"/elections/rounds/{dep.pk}/action/", {"action": "certify"})
    e.refresh_from_db()
    assert e.state == State.REPORT
    body = county.get(f"/elections/{e.pk}/report/").content.decode()
    assert 'data-testid="results-sheet"' in body
    _post(county, f"/elections/{e.pk}/report/", {"approved_by": "街道党工委", "approved_on": "2025-12-01"})
    _post(county, f"/elections/{e.pk}/publicity/", {"form": "start", "start": "2025-12-05"})
    e.refresh_from_db()
    assert e.state == State.PUBLICITY and e.publicity_end == datetime.date(2025, 12, 11)
    # The public sees the notice and may object, without login
    anonymous = Client()
    body = anonymous.get(f"/public/elections/{e.pk}/").content.decode()
    assert elected[0].name in body and "团员0" not in body
    body = _post(anonymous, f"/public/elections/{e.pk}/", {"name": "", "contact": "", "content": "异议"})
    assert Objection.objects.count() == 0
    assert "is-invalid" in body and 'name="contact"' in body
    _post(
        anonymous,
        f"/public/elections/{e.pk}/",
        {"name": "群众甲", "contact": "13800000000", "content": "有异议"},
    )
    objection = Objection.objects.get()
    _post(
        county,
        f"/elections/objections/{objection.pk}/resolve/",
        {"resolution": "经核实不属实", "upheld": "0"},
    )
    term = services_lineups.term_create(by=world.users["county"], organization=world.zhonghe, number=3,
                                        start=datetime.date(2025, 12, 1), end=datetime.date(2030, 11, 30))  # fmt: skip
    _post(county, f"/elections/{e.pk}/publicity/", {"form": "appoint", "on": "2025-12-12", "term": term.pk})
    e.refresh_from_db()
    assert e.state == State.APPOINTED
    body = county.get(f"/orgs/{world.zhonghe.pk}/").content.decode()
    assert 'data-testid="lineup-panel"' in body and elected[0].name in body
    lineup = county.get(f"/orgs/{world.zhonghe.pk}/lineup/").content.decode()
    assert all(c.name in lineup for c in elected)
    timeline = county.get(f"/elections/{e.pk}/").content.decode()
    assert timeline.count('class="border-bottom py-1"') > 40


def test_rules_change_is_staff_only_and_shown_as_an_error(world, client_for):
    e = election_at(State.DESIGN, org=world.zhonghe, by=world.users["county"])
    assert (
        client_for("street")
        .post(f"/elections/{e.pk}/rules/", {"form": "quota", "category": "x", "seats": 1})
        .status_code
        == 403
    )
    body = _post(
        client_for("county"), f"/elections/{e.pk}/rules/", {"form": "quota", "category": "x", "seats": 9}
    )
    assert "is-invalid" in body or "alert-danger" in body
    assert not e.quotas.exists()


def test_phone_vote_without_login(world):
    e = election_at(State.CONGRESS, org=world.zhonghe, by=world.users["county"])
    rnd = e.rounds.get()
    paper = rnd.papers.first()
    c = rnd.candidates.first()
    client = Client()
    response = client.post("/public/elections/vote/", {"code": "WRONG"})
    assert response.status_code == 400 and 'data-testid="vote-error"' in response.content.decode()
    body = client.post("/public/elections/vote/", {"code": paper.code}).content.decode()
    assert c.name in body
    body = client.post(
        "/public/elections/vote/", {"code": paper.code, "cast": "1", f"c{c.pk}": "yes"}
    ).content.decode()
    assert 'data-testid="voted"' in body
    assert rnd.ballots.filter(source="phone").count() == 1
    assert rnd.ballots.get().marks[str(c.pk)] == "yes"
    response = client.post("/public/elections/vote/", {"code": paper.code, "cast": "1", f"c{c.pk}": "yes"})
    assert response.status_code == 400 and rnd.ballots.count() == 1


def test_public_notice_hides_elections_not_in_publicity(world):
    e = election_at(State.FORMAL, org=world.zhonghe, by=world.users["county"])
    assert Client().get(f"/public/elections/{e.pk}/").status_code == 404
    assert e.title not in Client().get("/public/elections/").content.decode()


@pytest.mark.parametrize("url", ["list", "detail", "candidates", "roll"])
def test_query_counts_do_not_grow(world, client_for, url):
    county = world.users["county"]
    client = client_for("county")

    def count(e):
        urls = {"list": "/elections/", "detail": f"/elections/{e.pk}/", "candidates": f"/elections/{e.pk}/candidates/",
                "roll": f"/elections/{e.pk}/roll/"}  # fmt: skip
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(urls[url]).status_code == 200
        return len(ctx.captured_queries)

    small = election_at(State.FORMAL, org=world.zhonghe, by=county, candidates=11, voters=10, present=9)
    n_small = count(small)
    Candidate.objects.all().delete()
    big = election_at(State.FORMAL, org=world.zhonghe, by=county, candidates=14, voters=40, present=35)
    election_at(State.DESIGN, org=world.zhonghe, by=county)
    assert count(big) == n_small


def test_self_nomination_without_login(world):
    e = election_at(State.NOMINATION, org=world.zhonghe, by=world.users["county"])
    client = Client()
    assert e.title in client.get("/public/elections/").content.decode()
    data = {"name": "赵自荐", "gender": "f", "unit": "华联商厦", "sector": "", "contact": "13900000000",
            "bio": "企业团员", "pledge": "服务青年"}  # fmt: skip
    body = client.post(f"/public/elections/nominate/{e.pk}/", data).content.decode()
    assert "is-invalid" in body and not e.candidates.filter(name="赵自荐").exists()
    data["sector"] = "非公企业"
    response = client.post(f"/public/elections/nominate/{e.pk}/", data, follow=True)
    assert "alert-success" in response.content.decode()
    c = e.candidates.get(name="赵自荐")
    assert c.source == "self" and c.contact == "13900000000"
    assert e.events.filter(action="nominated", by__isnull=True).exists()
    closed = election_at(State.FORMAL, org=world.zhonghe, by=world.users["county"])
    assert client.get(f"/public/elections/nominate/{closed.pk}/").status_code == 404
