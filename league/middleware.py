"""Everything requires login except the paths listed in settings.PUBLIC_PATH_PREFIXES (/public/ etc.)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.public = tuple(settings.PUBLIC_PATH_PREFIXES)

    def __call__(self, request):
        # Public paths first: /healthz must answer without touching the session (the database may be down).
        if not request.path.startswith(self.public) and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class ChineseByDefaultLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the switch (the language cookie).

    The browser's Accept-Language is ignored: a township office's English-language browser must not turn
    the platform into English for a Chinese-speaking secretary.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
