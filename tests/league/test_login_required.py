"""LoginRequiredMiddleware: login everywhere but the public paths, and views get the loaded user object.

The middleware replaces request.user's lazy wrappers (AuthenticationMiddleware's and django_otp's) by the
user they loaded: these tests show that nothing the wrappers did is lost — the session's user, django_otp's
verification state, the redirect of anonymous visitors, and public paths that never read the session.
"""

import django_otp
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import User
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.functional import LazyObject
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from league.middleware import LoginRequiredMiddleware


def through_the_stack(path, session_key=None):
    """Run a GET through session, auth, OTP and login-required middleware; return (response, the request)."""
    seen = {}

    def view(request):
        seen["user"] = request.user
        return HttpResponse("ok")

    chain = SessionMiddleware(AuthenticationMiddleware(OTPMiddleware(LoginRequiredMiddleware(view))))
    factory = RequestFactory()
    if session_key:
        factory.cookies["sessionid"] = session_key
    request = factory.get(path)
    return chain(request), request, seen.get("user")


def logged_in_session(client, user) -> str:
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_views_get_the_sessions_user_itself_with_django_otps_state(client, world):
    user = world.users["street"]
    response, _, seen = through_the_stack("/", logged_in_session(client, user))
    assert response.status_code == 200
    assert type(seen) is User and not isinstance(seen, LazyObject) and seen.pk == user.pk
    assert seen.otp_device is None and seen.is_verified() is False


def test_a_verified_device_is_still_seen_by_the_view(client, world):
    admin = world.users["admin"]
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    key = logged_in_session(client, admin)
    _, request, seen = through_the_stack("/admin/", key)
    assert type(seen) is User and seen.is_verified() is False
    django_otp.login(request, device)  # as the code page does after a right code
    request.session.save()
    _, _, seen = through_the_stack("/admin/", request.session.session_key)
    assert type(seen) is User and seen.is_verified() is True and seen.otp_device == device


def test_anonymous_visitors_are_sent_to_login(db):
    response, _, seen = through_the_stack("/orgs/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/orgs/"
    assert seen is None


def test_public_paths_neither_read_the_session_nor_load_the_user(db):
    response, request, seen = through_the_stack("/healthz")
    assert response.status_code == 200
    assert isinstance(seen, LazyObject) and not request.session.accessed
