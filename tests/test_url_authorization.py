"""Every URL pattern × every persona × every HTTP method: nobody reaches what is not theirs, nothing errors.

Objects belong to 中河街道 (or to the `street` persona), from the samples in tests/<app>/urlsamples.py.
For every method a view accepts (the ones the platform admin does not get 405 for):
  - anonymous users are sent to login, except under the public prefixes (/public/ ...);
  - personas outside the object's scope get 404, and no row is added or removed by their POST/PUT/PATCH/DELETE;
  - personas that see the object never get 404, and get 403 where FORBIDDEN says the role may not act;
  - an id that names no object is a 404 even for the platform admin;
  - nobody ever gets a server error.
Each request runs in a savepoint rolled back afterwards, so a POST that deletes or changes the sample
cannot hide a later leak. A new view or URL keyword is covered as soon as its app's urlsamples.py has it.
"""

from contextlib import contextmanager

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings

from tests.conftest import FAST_HASHERS, PERSONAS, build_world
from tests.urlwalk import METHODS, UNSAFE_METHODS, forbidden, forbidden_for, routes, samples

# Rows written by logging in or by the throttling machinery, not by the views under test.
# Not user data: sessions, login throttling, and the lineup verdicts and summaries a reader keeps (league.lineup_snapshots:
# a derived cache that any page showing lineup figures may fill).
NOT_DATA = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
            "league.lineupsnapshot", "league.lineupmark", "league.lineupsummary"}  # fmt: skip


def send(client: Client, method: str, url: str):
    if method == "POST":
        return client.post(url, {})
    return client.generic(method, url, b"", content_type="application/x-www-form-urlencoded")


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    """Rows per table, in one query (the walk takes thousands of these as features land)."""
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.label_lower not in NOT_DATA and model._meta.managed and not model._meta.proxy
    )
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {connection.ops.quote_name(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _is_public(url: str) -> bool:
    return url.startswith(tuple(settings.PUBLIC_PATH_PREFIXES))


def resolve(world) -> list:
    """(route, url, hidden personas, visible personas, methods the view accepts) for every route."""
    known = samples()
    admin = Client()
    admin.force_login(world.users["admin"])
    result = []
    for route in routes():
        missing = [k for k in route.keywords if k not in known]
        assert not missing, f"URL {route.route} takes {missing}: add a Sample in tests/<app>/urlsamples.py"
        built = {k: known[k](world) for k in route.keywords}
        hidden = set().union(*(s.hidden for s in built.values())) if built else set()
        visible = set.intersection(*(set(s.visible) for s in built.values())) if built else set()
        url = route.url({k: s.pk for k, s in built.items()})
        accepted = []
        for method in METHODS:
            with rolled_back():
                if send(admin, method, url).status_code != 405:
                    accepted.append(method)
        result.append((route, url, hidden, visible, accepted))
    return result


@pytest.fixture(scope="module")
def walked(django_db_setup, django_db_blocker):
    """The world and every route's sample, built once for the module in a transaction rolled back at its end.

    Every test still starts from exactly this data: each runs in its own savepoint (the `db` fixture), and
    every request in the walk in a further savepoint rolled back after it."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            yield world, resolve(world)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(walked, db):
    return walked[0]


@pytest.fixture
def resolved(walked, db):
    return walked[1]


def test_walk_covers_the_project(resolved):
    names = {route.name for route, *_ in resolved}
    assert {"home", "organization_detail", "healthz", "public_index"} <= names
    methods = {m for *_, accepted in resolved for m in accepted}
    assert {"GET", "POST"} <= methods, methods  # views that write are walked too


def test_anonymous_is_sent_to_login_except_public_pages(resolved, client):
    for _route, url, _hidden, _visible, _accepted in resolved:
        for method in METHODS:
            with rolled_back():
                response = send(client, method, url)
            if _is_public(url):
                assert response.status_code < 500, (method, url)
                assert "/accounts/login/" not in response.get("Location", ""), (method, url)
            else:
                assert response.status_code == 302, (method, url, response.status_code)
                assert response["Location"].startswith("/accounts/login/"), (method, url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_and_method_is_scoped_for(persona, resolved, world):
    client = Client()
    client.force_login(world.users[persona])
    rules = forbidden()
    for route, url, hidden, visible, accepted in resolved:
        for method in METHODS:
            with rolled_back():
                checks_writes = persona in hidden and route.keywords and method in UNSAFE_METHODS
                before = row_counts() if checks_writes else None
                response = send(client, method, url)
                after = row_counts() if before is not None else None
            where = (persona, method, url, response.status_code)
            assert response.status_code < 500, where
            if method not in accepted:
                assert response.status_code in (404, 405), where
                continue
            if persona in hidden:
                if method == "OPTIONS" and response.status_code == 200:
                    assert not response.content, where  # a bare Allow header tells nothing
                else:
                    assert response.status_code == 404, where
                assert before == after, f"{where}: an out-of-scope request changed the database"
            elif persona in visible:
                assert response.status_code != 404, where
            if persona in forbidden_for(rules, route.name, method) and persona not in hidden:
                assert response.status_code == 403, where


@pytest.mark.parametrize("persona", ["admin", "county"])
def test_ids_that_name_nothing_are_404(persona, resolved, world):
    client = Client()
    client.force_login(world.users[persona])
    for route, _url, _hidden, _visible, accepted in resolved:
        if not route.keywords:
            continue
        url = route.url(route.missing_values())
        for method in accepted:
            if method == "OPTIONS":
                continue
            with rolled_back():
                response = send(client, method, url)
            assert response.status_code == 404, (persona, method, url, response.status_code)


def test_forbidden_rules_name_real_routes():
    names = {route.name for route in routes()}
    unknown = set(forbidden()) - names
    assert not unknown, f"FORBIDDEN in urlsamples.py names routes that do not exist: {unknown}"
