"""The demo elections tell seed 000's story, load twice without duplicates, and every page renders."""

import pytest
from django.test import Client

from elections import demo as election_demo
from elections.models import Election, Post, State
from league import demo


@pytest.fixture
def demo_world(db):
    world = demo.seed(demo.World())
    election_demo.seed(world)
    return world


def test_zhonghe_election_as_the_seed_tells_it(demo_world):
    e = Election.objects.get(organization__code="ZJ-NB-YZ-ZH")
    assert e.state == State.APPOINTED and e.meeting_date.month == 12 and e.meeting_date.day == 9
    assert e.candidates.count() == 53
    assert e.candidates.filter(is_formal=True).count() == 13
    assert e.candidates.filter(post=Post.SECRETARY).count() == 1
    assert e.candidates.filter(post=Post.DEPUTY).count() == 4
    assert e.candidates.filter(post=Post.MEMBER).count() == 6
    states = dict(Election.objects.values_list("organization__code", "state"))
    assert states["ZJ-NB-YZ-SN"] == State.CONGRESS and states["ZJ-NB-YZ-ZGM"] == State.PUBLICITY
    election_demo.seed(demo_world)
    assert Election.objects.count() == 4


def test_every_demo_page_renders(demo_world):
    client = Client()
    client.force_login(demo_world["user:county"])
    for e in Election.objects.all():
        for page in ["", "rules/", "candidates/", "formal/", "roll/", "congress/", "report/", "publicity/"]:
            assert client.get(f"/elections/{e.pk}/{page}").status_code == 200, (e, page)
        for rnd in e.rounds.all():
            assert client.get(f"/elections/rounds/{rnd.pk}/").status_code == 200
    assert client.get(f"/orgs/{demo_world['ZJ-NB-YZ-ZH'].pk}/").status_code == 200
    public = Client().get("/public/elections/").content.decode()
    assert "钟公庙" in public and "首南" not in public
