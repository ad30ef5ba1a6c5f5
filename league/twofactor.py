"""Optional TOTP two-factor authentication for platform admins (django-otp).

A platform admin who has enrolled a confirmed TOTP device (admin → "TOTP devices", scan the QR code
with any authenticator app) must enter a current code on /accounts/otp/ after logging in before
/admin/ opens; admins without a device log in with their password only. Everyone else never reaches
/admin/ at all (league/admin.py).
"""

from __future__ import annotations

import django_otp
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp.forms import OTPTokenForm

from . import policies


def needs_verification(request) -> bool:
    """True for a platform admin who enrolled a device but has not passed it in this session."""
    user = request.user
    if not policies.is_platform_admin(user):
        return False
    if getattr(user, "is_verified", lambda: False)():
        return False
    return django_otp.user_has_device(user, confirmed=True)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """Ask a platform admin with an enrolled device for the current code."""
    target = _safe_next(request, reverse("admin:index"))
    if not needs_verification(request):
        return redirect(target)
    form = OTPTokenForm(request.user, request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.get_user().otp_device)
        return redirect(target)
    return render(request, "league/otp_verify.html", {"form": form, "next": target})


def admin_login(original_login):
    """Wrap the admin's login view: a signed-in admin who still owes a code is sent to /accounts/otp/."""

    def login(request, extra_context=None):
        if request.user.is_authenticated and needs_verification(request):
            return redirect_to_login(
                request.GET.get("next") or reverse("admin:index"), login_url=reverse("otp_verify")
            )
        return original_login(request, extra_context)

    return login
