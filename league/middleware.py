"""Everything requires login except the paths listed in settings.PUBLIC_PATH_PREFIXES (/public/ etc.)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.utils.functional import LazyObject, empty


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.public = tuple(settings.PUBLIC_PATH_PREFIXES)

    def __call__(self, request):
        # Public paths first: /healthz must answer without touching the session (the database may be down).
        if not request.path.startswith(self.public):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.user = loaded_user(request.user)
        return self.get_response(request)


def loaded_user(user):
    """The user object behind request.user's lazy wrappers, once they have loaded it.

    AuthenticationMiddleware and django_otp's OTPMiddleware each wrap request.user in a SimpleLazyObject, so
    every attribute read of it (the policies read it hundreds of times on a home page) went through two
    proxies: ~1,200 function calls and some 0.5 ms of CPU on the street secretary's home page. Reading
    is_authenticated has loaded both (the session checked, django_otp's otp_device and is_verified() set on
    the user object itself), so from then on the wrappers add nothing but cost.
    """
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class ChineseByDefaultLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the switch (the language cookie).

    The browser's Accept-Language is ignored: a township office's English-language browser must not turn
    the platform into English for a Chinese-speaking secretary.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class RequestSizeLimitMiddleware:
    """413 with a clear page for a request body above settings.MAX_REQUEST_BYTES, before it is read.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams files to disk whatever their size;
    this stops a multi-gigabyte upload from filling the disk before any view can check it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            from django.http import HttpResponse
            from django.utils.translation import gettext as _

            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            message = _("The upload is too large: at most %(mb)s MB can be sent at once.") % {"mb": limit}
            return HttpResponse(
                f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>413</title>'
                f"<h1>{message}</h1></html>",
                status=413,
            )
        return self.get_response(request)
