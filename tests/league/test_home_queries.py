"""The home page — the first step of the month-end burst (tests/perf/run.py) — at a pinned number of queries for
each persona (a change that adds one shows here), counting the session, the user and the memberships (3) and
the menu's unread-notice count (1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# The admin reads the national roots once for the lineup and theme-day panels (was 16: once for each); a
# reviewer's count and oldest reports awaiting review are one statement (was 11 for county and province, 15);
# with nothing to file in the country, the admin's slots are not read after their deadlines (14 with some:
# tests/pilots/test_home_file_panel.py).
PINNED = {"street": 9, "county": 10, "province": 10, "admin": 13}


@pytest.mark.parametrize("persona", list(PINNED))
def test_home_at_pinned_query_counts(world, client_for, persona):
    client = client_for(persona)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    assert len(ctx.captured_queries) == PINNED[persona], [q["sql"][:120] for q in ctx.captured_queries]


def test_an_admins_home_reads_the_national_roots_once(world, client_for):
    """The lineup panel (the first root) and the theme-day panel (the first three) share one read of them."""
    client = client_for("admin")
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/").content.decode()
    roots = [q for q in ctx.captured_queries if '"parent_id" IS NULL' in q["sql"]]
    assert len(roots) == 1, [q["sql"][:120] for q in roots]
    assert world.province.name in body


def test_an_admins_home_counts_the_theme_days_of_three_roots_in_one_query(world, client_for):
    """With three national roots the theme-day panel still reads its figures in one statement (was one each)."""
    from league.models import Level
    from tests.factories import OrganizationFactory

    for code in ("SH", "JS"):
        OrganizationFactory(code=code, name=f"团{code}委", level=Level.PROVINCE, parent=None)
    client = client_for("admin")
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/").content.decode()
    assert len(ctx.captured_queries) == PINNED["admin"], [q["sql"][:120] for q in ctx.captured_queries]
    assert "团SH委" in body and "团JS委" in body


def test_recent_notices_are_the_orms_newest_five(world):
    """The home's latest notices (SQL written once) are the rows, order and values of the ORM's query they
    replace: newest first, ties on the time by id, read and unread, only the recipient's."""
    import datetime as dt

    from django.utils import timezone

    from league.models import Notice
    from league.views import recent_notices

    street, county = world.users["street"], world.users["county"]
    at = timezone.now().replace(microsecond=0)
    for i in range(8):
        Notice.objects.create(recipient=street, title=f"通知 <{i}>", body="…", created_at=at - dt.timedelta(hours=i // 3),
                              read_at=at if i % 2 else None)  # fmt: skip
    Notice.objects.create(recipient=county, title="别人的", body="…", created_at=at + dt.timedelta(hours=1))
    for user in (street, county, world.users["outsider"]):
        orm = list(Notice.objects.filter(recipient=user).only("title", "read_at", "created_at")[:5])
        new = recent_notices(user.pk)
        assert [(n.pk, n.title, n.created_at, n.read_at) for n in new] == [
            (n.pk, n.title, n.created_at, n.read_at) for n in orm
        ]
    assert len(recent_notices(street.pk)) == 5 and len(recent_notices(street.pk, 20)) == 8


def _columns(organization):
    return {k: v for k, v in organization.__dict__.items() if k != "_state"}


def test_an_admins_national_roots_are_the_orms(world):
    """The national roots read as SQL written once (all columns, path order, the first few or all) are the
    ORM's `Organization.objects.filter(parent__isnull=True).order_by("path")`."""
    from league import policies
    from league.models import Level, Organization
    from tests.factories import OrganizationFactory

    for code in ("SH", "JS", "AH"):
        OrganizationFactory(code=code, name=f"团{code}委", level=Level.PROVINCE, parent=None)
    admin = world.users["admin"]
    orm = list(Organization.objects.filter(parent__isnull=True).order_by("path"))
    for limit in (None, 1, 3, 10):
        policies.forget(admin)
        read = policies.scope_root_list(admin, limit)
        assert [_columns(o) for o in read] == [_columns(o) for o in orm[:limit]]
    assert len(orm) == 4
