"""Home, tree and organization pages: content per persona, and query counts that do not grow with data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import NoticeFactory, OrganizationFactory


def grow(world, n):
    for i in range(n):
        OrganizationFactory(parent=world.zhonghe, code=f"GROW-ZH-{i}")
        OrganizationFactory(parent=world.shounan, code=f"GROW-SN-{i}")
        NoticeFactory(recipient=world.users["county"])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["home", "tree", "tree_search", "org", "org_rows", "children"])
def test_page_query_counts_do_not_grow(world, client_for, url_name):
    urls = {
        "home": "/",
        "tree": "/orgs/",
        "tree_search": "/orgs/?q=街道",
        "org": f"/orgs/{world.county.pk}/",
        "org_rows": f"/orgs/{world.zhonghe.pk}/",  # the page of an organization whose children grow
        "children": f"/orgs/{world.county.pk}/children/",
    }
    client = client_for("county")
    grow(world, 2)
    small = count_queries(client, urls[url_name])
    grow(world, 40)
    large = count_queries(client, urls[url_name])
    assert small == large, (url_name, small, large)
    assert large <= 20  # every app adds a panel of its own: a fixed cost, never per row


def test_home_shows_the_street_its_organization(client_for, world):
    response = client_for("street").get("/")
    body = response.content.decode()
    assert "鄞州区中河街道团工委" in body
    assert "首南" not in body


def test_tree_starts_at_the_users_scope(client_for, world):
    body = client_for("county").get("/orgs/").content.decode()
    assert "团鄞州区委" in body and "团宁波市委" not in body
    children = client_for("county").get(f"/orgs/{world.county.pk}/children/").content.decode()
    assert "鄞州区中河街道团工委" in children and "鄞州区首南街道团工委" in children


def test_search_never_leaks_out_of_scope(client_for, world):
    body = client_for("street_sibling").get("/orgs/?q=中河").content.decode()
    assert "中河街道划船社区团支部" not in body


def test_breadcrumbs_link_only_what_the_user_may_open(client_for, world):
    body = client_for("street").get(f"/orgs/{world.zhonghe_branch.pk}/").content.decode()
    assert "团鄞州区委" in body  # shown as text
    assert f'href="/orgs/{world.county.pk}/"' not in body
    assert f'href="/orgs/{world.zhonghe.pk}/"' in body


def test_pages_speak_chinese_by_default_and_english_on_request(client_for, world):
    client = client_for("street")
    assert "我的组织" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "My organizations" in client.get("/").content.decode()


def test_login_page_is_chinese(client):
    body = client.get("/accounts/login/").content.decode()
    assert "登录" in body and "用户名" in body


def test_notices_mark_read(client_for, world):
    notice = NoticeFactory(recipient=world.users["street"], url="/orgs/")
    client = client_for("street")
    assert 'data-testid="bell-count"' in client.get("/").content.decode()
    response = client.post(f"/notices/{notice.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/orgs/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'data-testid="bell-count"' not in client.get("/").content.decode()


def test_admin_is_for_platform_admins_only(client_for, world):
    assert client_for("admin").get("/admin/").status_code == 200
    for persona in ["province", "county", "street"]:
        response = client_for(persona).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in body


def test_the_unread_notice_count_is_counted_once_per_page(client_for, world):
    """Found by make bench: both bells (narrow and wide layouts) counted the unread notices."""
    NoticeFactory(recipient=world.users["county"])
    client = client_for("county")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/").content.decode()
    counts = [q["sql"] for q in ctx.captured_queries if "league_notice" in q["sql"] and "COUNT" in q["sql"]]
    assert len(counts) == 1
    assert 'data-testid="bell-count"' in body and 'data-testid="bell-count-lg"' in body


def test_the_bell_counts_only_the_users_unread_notices(client_for, world):
    """The bell's count is SQL of its own (league.context_processors.unread_count): read and other users'
    notices are not counted."""
    from django.utils import timezone

    NoticeFactory.create_batch(3, recipient=world.users["county"])
    NoticeFactory(recipient=world.users["county"], read_at=timezone.now())
    NoticeFactory.create_batch(2, recipient=world.users["street"])
    body = client_for("county").get("/").content.decode()
    assert '<span class="badge bg-danger rounded-pill" data-testid="bell-count">3</span>' in body
    body = client_for("street").get("/").content.decode()
    assert '<span class="badge bg-danger rounded-pill" data-testid="bell-count">2</span>' in body
