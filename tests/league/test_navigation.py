"""The menus of every page are rendered once per kind of user and kept (league/templatetags/navigation.py):
what a user sees must still follow their roles, memberships and language at once, never a kept menu of
someone else or of before a change."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from league.models import Role
from league.templatetags import navigation
from tests.factories import MembershipFactory


def nav(response) -> str:
    html = response.content.decode()
    return html[html.index('<nav class="navbar') : html.index("</nav>")]


def menu_links(response) -> set[str]:
    return set(re.findall(r'href="([^"#]+)"', nav(response)))


@pytest.fixture(autouse=True)
def _empty_menus():
    navigation._kept.clear()
    yield
    navigation._kept.clear()


def test_each_role_sees_its_own_menu_whatever_was_kept_before(client_for, world):
    my_reports, review, admin = (
        reverse("pilots:my_reports"),
        reverse("pilots:review_queue"),
        reverse("admin:index"),
    )
    seen = {}
    for name in ["street", "county", "admin", "street_sibling", "instructor", "street"]:
        seen[name] = menu_links(client_for(name).get("/"))
    assert my_reports in seen["street"] and review not in seen["street"] and admin not in seen["street"]
    assert review in seen["county"] and my_reports not in seen["county"] and admin not in seen["county"]
    assert admin in seen["admin"]
    assert reverse("pilots:fund_list") not in seen["instructor"]
    assert reverse("pilots:fund_list") in seen["street"]
    # The user menu lists the user's own organizations, from the kept menu of another secretary's kind or not.
    assert reverse("organization_detail", args=[world.zhonghe.pk]) in seen["street"]
    assert reverse("organization_detail", args=[world.zhonghe.pk]) not in seen["street_sibling"]
    assert reverse("organization_detail", args=[world.shounan.pk]) in seen["street_sibling"]


def test_kept_menu_is_the_menu_rendered_afresh(client_for, settings):
    client = client_for("county")
    first = nav(client.get("/notices/"))
    kept = nav(client.get("/notices/"))
    assert navigation._kept, "the menu was not kept"
    settings.DEBUG = True  # nothing kept: rendered from the templates each time
    fresh = nav(client.get("/notices/"))
    strip = lambda h: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", h)  # noqa: E731
    assert strip(first) == strip(kept) == strip(fresh)


def test_a_new_role_or_a_renamed_organization_shows_at_once(client_for, world):
    client = client_for("street")
    assert reverse("pilots:review_queue") not in menu_links(client.get("/"))
    MembershipFactory(user=world.users["street"], organization=world.county, role=Role.STAFF)
    links = menu_links(client.get("/"))
    assert reverse("pilots:review_queue") in links
    assert reverse("organization_detail", args=[world.county.pk]) in links
    world.zhonghe.name = "鄞州区中河街道团工委（更名）"
    world.zhonghe.save()
    assert "鄞州区中河街道团工委（更名）" in nav(client.get("/"))


def test_menus_follow_the_language(client_for):
    client = client_for("street")
    chinese = nav(client.get("/"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = nav(client.get("/"))
    assert "我的报告" in chinese or "我的" in chinese
    assert "My reports" in english and "My reports" not in chinese
    with translation.override("zh-hans"):
        assert "My reports" not in nav(client_for("street").get("/"))


def test_anonymous_pages_carry_no_kept_menu(client):
    html = nav(Client().get(reverse("public_index")))
    assert reverse("pilots:my_reports") not in html


def test_one_application_menu_serves_every_user_of_the_same_roles(client_for):
    client_for("street").get("/")
    client_for("street_sibling").get("/")
    apps = [key for key in navigation._kept if key[0] == "apps"]
    users = [key for key in navigation._kept if key[0] == "user"]
    assert len(apps) == 1 and len(users) == 2
    # and the template of the application menu reads nothing but the roles (else the key would be wrong)
    source = open(
        navigation.__file__.replace("league/templatetags/navigation.py", "templates/_nav_menu.html")
    ).read()
    apps_part = source[source.index('{% if part == "apps" %}') : source.index("{% else %}")]
    assert "nav_memberships" not in apps_part and "user." not in apps_part
