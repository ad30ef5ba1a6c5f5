"""base.html's head, navigation bar and messages are written in Python from parts kept per language
(league/templatetags/page_shell.py): every page must show the same bytes as with the template they replaced
(tests/league/base_template.html), for every persona, language, message and settings, whatever was kept by
the pages before."""

import copy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.middleware import csrf
from django.template import engines
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse

from league.templatetags import navigation, page_shell
from tests.factories import NoticeFactory

OLD_BASE = Path(__file__).with_name("base_template.html")


@pytest.fixture(autouse=True)
def _same_token(monkeypatch):
    # One masked CSRF token per request, random: made the same for both renderings so the bytes compare.
    monkeypatch.setattr(csrf, "_get_new_csrf_string", lambda: "Tok3n" * 6 + "Zz")
    page_shell._kept.clear()
    navigation._kept.clear()


@pytest.fixture
def old_base(tmp_path):
    """A context manager under which base.html is the former template."""
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "base.html").write_text(OLD_BASE.read_text())
    templates = copy.deepcopy(django_settings.TEMPLATES)
    templates[0]["DIRS"] = [folder, *templates[0]["DIRS"]]
    return lambda: override_settings(TEMPLATES=templates)


def assert_same(old_base, client, path, method="get"):
    new = getattr(client, method)(path, follow=True)
    with old_base():
        old = getattr(client, method)(path, follow=True)
    assert new.status_code == old.status_code == 200
    assert b"<nav" in new.content
    assert new.content == old.content
    return new.content.decode()


@pytest.fixture
def notices(world):
    # A badge on the bell, and names the page must escape.
    for name in ["county", "street"]:
        NoticeFactory.create_batch(3, recipient=world.users[name])
    world.users["street"].first_name = '<李> & "小红"'
    world.users["street"].save()


PAGES = [
    ("admin", "home", {}),
    ("province", "home", {}),
    ("county", "home", {}),
    ("county", "notice_list", {}),
    ("county", "pilots:report_list", {}),
    ("street", "home", {}),
    ("street", "notice_list", {}),
    ("street", "pilots:report_list", {}),
]


@pytest.mark.parametrize("language", [None, "en", "zh-hans"])
def test_each_persona_sees_the_same_bytes_in_each_language(client_for, world, notices, old_base, language):
    shown = []
    for persona, name, kwargs in PAGES:  # one after another: nothing kept for one user shows for the next
        client = client_for(persona)
        if language:
            client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        html = assert_same(old_base, client, reverse(name, kwargs=kwargs) + "?q=<x>&page=1")
        shown.append(html)
    assert 'data-testid="bell-count">3<' in shown[3] and "&lt;李&gt; &amp; &quot;小红&quot;" in shown[5]
    assert ("Log out" in shown[0]) == (language == "en")


def test_parts_are_kept_once_per_language(client_for, world):
    client = client_for("street")
    client.get(reverse("home"))
    client_for("county").get(reverse("notice_list"))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(reverse("home"))
    assert sorted(key[0] for key in page_shell._kept) == ["en", "zh-hans"]


def test_accept_language_and_anonymous_pages(client, world, old_base):
    for name in ["login", "public_index"]:
        assert_same(old_base, Client(), reverse(name))
        assert_same(old_base, Client(HTTP_ACCEPT_LANGUAGE="en"), reverse(name) + "?next=/a%22b")
        english = Client()
        english.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        assert "Public notices" in assert_same(old_base, english, reverse(name))


def test_messages_after_a_post_and_on_a_get(client_for, world, old_base):
    client = client_for("county")

    html = assert_same(old_base, client, reverse("notice_read_all"), "post")
    assert 'class="alert alert-success" role="alert"' in html
    lineup = reverse("lineup_detail", args=[world.county.pk]) + "?on=<b>2020-02-30"
    html = assert_same(old_base, client, lineup)
    assert 'class="alert alert-warning" role="alert"' in html and "&lt;b&gt;2020-02-30" in html
    # the messages are shown once: the next page has none, with either template
    assert 'role="alert"' not in assert_same(old_base, client, reverse("notice_list"))


@pytest.mark.parametrize("debug", [True, False])
def test_debug_on_and_off(client_for, world, notices, old_base, settings, debug):
    settings.DEBUG = debug
    for persona in ["admin", "street"]:
        assert_same(old_base, client_for(persona), reverse("notice_list"))
    assert_same(old_base, Client(), reverse("public_index"))


def test_production_static_storages(client_for, world, old_base, settings, tmp_path):
    client = client_for("county")
    settings.DEBUG = False
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}  # fmt: skip
    compressed = assert_same(old_base, client, reverse("home"))
    # A manifest storage: the kept parts are dropped when the storage changes, and show its hashed names.
    (tmp_path / "staticfiles.json").write_text(
        '{"version": "1.1", "hash": "h", "paths": {"vendor/bootstrap/bootstrap.min.css": "vendor/bootstrap/b.1.css",'
        ' "css/app.css": "css/app.2.css", "vendor/htmx/htmx.min.js": "vendor/htmx/h.3.js",'
        ' "vendor/bootstrap/bootstrap.bundle.min.js": "vendor/bootstrap/b.4.js", "js/app.js": "js/app.5.js"}}'
    )
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}  # fmt: skip
    manifest = assert_same(old_base, client, reverse("home"))
    assert "/static/css/app.2.css" in manifest and "/static/css/app.2.css" not in compressed


def test_without_a_request(world):
    # An e-mail or a management command rendering a page: no token, no user, no messages.
    old = engines["django"].from_string(OLD_BASE.read_text())
    assert render_to_string("base.html", {}) == old.render({})
