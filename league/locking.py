"""Optimistic locking: two people edit the same record, the second save is refused, nothing is lost.

How a model and its edit page adopt it:

1. The model inherits `Versioned` (adds `version`, `updated_at`, `updated_by`); run makemigrations.
2. The form inherits `VersionedFormMixin` (a hidden `version` field filled from the instance).
3. The service saves through `save_versioned(instance, by=..., expected_version=..., update_fields=[...])`
   inside its transaction: it locks the row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
   transactions serialize writers), compares versions and raises `StaleObjectError` when someone saved
   in between, else bumps the version and saves with update_fields.
4. The view catches `StaleObjectError`, adds `str(exc)` ("changed by X at T, reload") as a form error,
   and answers 409 with the form as the user typed it.

See league/services.py `organization_update` and league/views.py `organization_edit` for a complete
example, and tests/security/test_optimistic_locking.py for the concurrent test on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VERSION_FIELDS = ("version", "updated_at", "updated_by")


class Versioned(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)
    updated_at = models.DateTimeField(gettext_lazy("last changed"), null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("last changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class StaleObjectError(Exception):
    """Someone saved the record after the user opened it."""

    def __init__(self, *, changed_by=None, changed_at=None):
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(self.message)

    @property
    def message(self) -> str:
        who = (
            (self.changed_by.get_full_name() or self.changed_by.username) if self.changed_by else _("someone")
        )
        when = (
            date_format(timezone.localtime(self.changed_at), "Y-m-d H:i:s")
            if self.changed_at
            else _("just now")
        )
        return _(
            "This record was changed by %(who)s at %(when)s after you opened it. Your changes were not "
            "saved: reload the page to see the current version, then make your changes again."
        ) % {"who": who, "when": when}

    def __str__(self) -> str:
        return self.message


def save_versioned(
    instance: Versioned, *, by, expected_version: int, update_fields: Iterable[str]
) -> Versioned:
    """Save `instance` if nobody saved it since `expected_version`; else raise StaleObjectError."""
    model = type(instance)
    with transaction.atomic():
        current = (
            model._default_manager.select_for_update()
            .only("version", "updated_at", "updated_by")
            .get(pk=instance.pk)
        )
        if current.version != expected_version:
            raise StaleObjectError(changed_by=current.updated_by, changed_at=current.updated_at)
        instance.version = current.version + 1
        instance.updated_at = timezone.now()
        instance.updated_by = by if getattr(by, "is_authenticated", False) else None
        instance.save(update_fields=[*dict.fromkeys(update_fields), *VERSION_FIELDS])
    return instance


class VersionedFormMixin(forms.Form):
    """A hidden `version` field carrying the version the user started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["version"].initial = instance.version

    def clean(self):
        cleaned = super().clean()
        if "version" in self._errors:  # a hidden field: say it where the user can read it
            del self._errors["version"]
            raise forms.ValidationError(_("This page is out of date: reload it and make your changes again."))
        return cleaned
