"""django-axes through the real login form: username and IP together, cool-off, Chinese message, unlock."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD

OFFICE_NAT = "10.1.2.3"  # one township office: everyone behind the same address


def login(client: Client, username: str, password: str, ip: str = OFFICE_NAT):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_until_locked(username: str, ip: str = OFFICE_NAT):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, username, "wrong-password", ip)
    return response


@pytest.fixture
def street(world):
    return world.users["street"]


def test_wrong_passwords_lock_with_a_clear_chinese_message(street):
    first = login(Client(), "street", "wrong-password")
    assert first.status_code == 200 and "正确的用户名和密码" in first.content.decode()  # the form's own error
    locked = fail_until_locked("street")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "登录失败次数过多" in body and "15 分钟" in body and "平台管理员解锁" in body
    # Even the right password is refused while locked, from that address.
    again = login(Client(), "street", PASSWORD)
    assert again.status_code == 429 and "_auth_user_id" not in again.client.session


def test_lock_is_per_username_and_address_so_a_shared_office_is_not_locked_out(world):
    fail_until_locked("street")
    # A colleague behind the same NAT address still logs in.
    colleague = login(Client(), "instructor", PASSWORD)
    assert colleague.status_code == 302 and colleague["Location"] == "/"
    # The same person from another network (home, phone) still logs in.
    elsewhere = login(Client(), "street", PASSWORD, ip="172.16.9.9")
    assert elsewhere.status_code == 302


def test_lock_ends_after_the_cool_off(street):
    fail_until_locked("street")
    assert login(Client(), "street", PASSWORD).status_code == 429
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    assert timedelta(minutes=10) <= cool_off <= timedelta(hours=1)
    # Time passes: the attempt is as old as the cool-off.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - cool_off)
    assert login(Client(), "street", PASSWORD).status_code == 302


def test_platform_admin_unlocks_from_the_admin(world, street):
    fail_until_locked("street")
    attempt = AccessAttempt.objects.get(username="street")
    admin = Client()
    admin.force_login(world.users["admin"])
    page = admin.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "street" in page.content.decode()
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert login(Client(), "street", PASSWORD).status_code == 302


def test_staff_cannot_unlock_through_the_admin(world):
    fail_until_locked("street")
    county = Client()
    county.force_login(world.users["county"])
    assert county.get("/admin/axes/accessattempt/").status_code == 302
    assert AccessAttempt.objects.filter(username="street").exists()


def test_an_absurdly_long_username_gets_the_form_not_a_server_error(db):
    response = login(Client(raise_request_exception=False), "团" * 700, "x")
    assert response.status_code == 200 and "正确的用户名和密码" in response.content.decode()
    assert all(len(a.username) <= 150 for a in AccessAttempt.objects.all())
