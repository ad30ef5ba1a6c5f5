"""/admin/ is for platform admins only; an admin who enrolled a TOTP device must pass it first."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PERSONAS
from tests.factories import PASSWORD, MembershipFactory, UserFactory

ADMIN_PAGES = ["/admin/", "/admin/league/organization/", "/admin/auth/user/", "/admin/league/membership/"]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin"])
def test_nobody_but_platform_admins_reaches_the_admin(persona, world):
    user = world.users[persona]
    user.is_staff = True  # even with Django's staff flag set by mistake
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 302, (persona, url, response.status_code)
        assert response["Location"].startswith("/admin/login/"), (persona, url)
    post = client.post(f"/admin/league/organization/{world.zhonghe.pk}/change/", {"name": "改名"})
    assert post.status_code == 302
    world.zhonghe.refresh_from_db()
    assert world.zhonghe.name == "鄞州区中河街道团工委"


def test_platform_admin_role_without_superuser_reaches_the_admin(world):
    from league.models import Role

    user = UserFactory(username="ops", is_staff=True)
    MembershipFactory(user=user, organization=world.province, role=Role.ADMIN)
    client = Client()
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_admin_without_a_device_logs_in_with_the_password_only(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_admin_with_a_device_must_enter_the_code_before_the_admin_opens(world):
    device = enrolled(world.users["admin"])
    client = Client()
    assert client.post("/accounts/login/", {"username": "admin", "password": PASSWORD}).status_code == 302
    # The site works, the admin does not: it sends to the code page.
    assert client.get("/").status_code == 200
    response = client.get("/admin/league/organization/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/otp/")
    assert "验证" in response.content.decode()
    wrong = client.post("/accounts/otp/", {"otp_device": device.persistent_id, "otp_token": "000000"})
    assert wrong.status_code == 200 and client.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above throttles the next try, as it should
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(
        "/accounts/otp/",
        {"otp_device": device.persistent_id, "otp_token": current_code(device), "next": "/admin/"},
    )
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/league/organization/").status_code == 200


def test_code_page_never_redirects_off_site(world):
    device = enrolled(world.users["admin"])
    client = Client()
    client.force_login(world.users["admin"])
    response = client.post(
        "/accounts/otp/",
        {
            "otp_device": device.persistent_id,
            "otp_token": current_code(device),
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_admin_enrolls_a_device_from_the_admin_with_a_qr_code(world):
    admin = Client()
    admin.force_login(world.users["admin"])
    device = TOTPDevice.objects.create(user=world.users["admin"], name="phone", confirmed=False)
    qr = admin.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    county = Client()
    county.force_login(world.users["county"])
    assert county.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 302
