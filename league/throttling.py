"""django-axes hooks: the username axes records is cut to what a username can be (150 characters).

Without it a 700-character "username" typed into the login form is stored in AccessAttempt.username
(255 characters) and PostgreSQL refuses it: a server error instead of the login page's message.
"""

from django.conf import settings

USERNAME_MAX = 150


def axes_username(request, credentials=None) -> str | None:
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field) if credentials else None
    if value is None and request is not None and request.method == "POST":
        value = request.POST.get(field)
    if value is None:
        return None
    return str(value)[:USERNAME_MAX]
