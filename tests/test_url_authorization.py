"""Every URL pattern × every persona: nobody reaches what is not theirs, and nothing errors.

Objects belong to 中河街道 (or to the `street` persona): personas outside that scope get 404, anonymous
users are sent to login (except under /public/), and no persona ever gets a server error.
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import PERSONAS
from tests.urlwalk import routes, samples


def _request(client: Client, url: str):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def _is_public(url: str) -> bool:
    return url.startswith(tuple(settings.PUBLIC_PATH_PREFIXES))


@pytest.fixture
def resolved(world):
    known = samples()
    result = []
    for route in routes():
        missing = [k for k in route.keywords if k not in known]
        assert not missing, f"URL {route.route} takes {missing}: add a Sample in tests/<app>/urlsamples.py"
        built = {k: known[k](world) for k in route.keywords}
        hidden = set().union(*(s.hidden for s in built.values())) if built else set()
        visible = set.intersection(*(set(s.visible) for s in built.values())) if built else set()
        result.append((route, route.url({k: s.pk for k, s in built.items()}), hidden, visible))
    return result


def test_walk_covers_the_project(resolved):
    names = {route.name for route, *_ in resolved}
    assert {"home", "organization_detail", "healthz", "public_index"} <= names


def test_anonymous_is_sent_to_login_except_public_pages(resolved, client):
    for _route, url, _hidden, _visible in resolved:
        response = _request(client, url)
        if _is_public(url):
            assert response.status_code < 500, url
            assert "/accounts/login/" not in response.get("Location", ""), url
        else:
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_is_scoped_for(persona, resolved, world):
    client = Client()
    client.force_login(world.users[persona])
    for _route, url, hidden, visible in resolved:
        response = _request(client, url)
        assert response.status_code < 500, (persona, url, response.status_code)
        if persona in hidden:
            assert response.status_code == 404, (persona, url, response.status_code)
        elif persona in visible:
            assert response.status_code != 404, (persona, url, response.status_code)
