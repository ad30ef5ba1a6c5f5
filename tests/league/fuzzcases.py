"""Fuzz cases for the league app's forms (see tests/fuzzing.py): who posts each form to which URL."""

from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from league.models import Organization
from tests.fuzzing import FormCase

FUZZ = {
    "league.forms.ImportForm": FormCase(persona="county", url=lambda w: "/orgs/import/", multipart=True),
    "league.forms.OrganizationForm": FormCase(
        persona="county",
        url=lambda w: f"/orgs/{w.zhonghe.pk}/edit/",
        fixed=lambda w: {"version": Organization.objects.get(pk=w.zhonghe.pk).version},
    ),
    # Django's own forms behind our URLs, the first ones an attacker reaches.
    "django.contrib.auth.forms.AuthenticationForm": FormCase(
        persona=None,
        url=lambda w: "/accounts/login/",
        form=AuthenticationForm,
        refused_status=frozenset({200, 429}),
    ),
    "django.contrib.auth.forms.PasswordChangeForm": FormCase(
        persona="street", url=lambda w: "/accounts/password/", form=PasswordChangeForm
    ),
}
