"""Strong passwords are required on change; sessions expire on the server."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD


@pytest.mark.parametrize(
    "weak",
    ["short1!", "1234567890123", "password123", "street2026", "qwertyuiop"],
    ids=["too-short", "all-digits", "common", "like-username", "common-keyboard"],
)
def test_weak_passwords_are_refused_with_a_message(world, client_for, weak):
    client = client_for("street")
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
    )
    assert response.status_code == 200
    assert 'class="invalid-feedback' in response.content.decode()
    world.users["street"].refresh_from_db()
    assert world.users["street"].check_password(PASSWORD)


def test_a_strong_password_is_accepted(world, client_for):
    strong = "团支部-Zh0nghe-2026!"
    response = client_for("street").post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong}
    )
    assert response.status_code == 302
    world.users["street"].refresh_from_db()
    assert world.users["street"].check_password(strong)


def test_an_expired_session_is_sent_back_to_login(world):
    client = Client()
    assert client.post("/accounts/login/", {"username": "street", "password": PASSWORD}).status_code == 302
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.fixture
def real_hashers(settings):
    """The project's hashers (the suite's conftest swaps in MD5 for speed)."""
    import league.settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS


def test_passwords_are_stored_with_argon2id_at_owasp_minimum(real_hashers, world):
    user = world.users["street"]
    user.set_password("团支部-Zh0nghe-2026!")
    user.save()
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("团支部-Zh0nghe-2026!") and not user.check_password("团支部-Zh0nghe-2026?")


def test_an_old_pbkdf2_password_still_logs_in_and_is_rehashed(real_hashers, world):
    from django.contrib.auth.hashers import make_password

    user = world.users["street"]
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    assert (
        Client().post("/accounts/login/", {"username": "street", "password": "wrong-password-1"}).status_code
        == 200
    )
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert Client().post("/accounts/login/", {"username": "street", "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)
