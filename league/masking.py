"""Masking of personal data (ID card numbers, phone numbers) in lists, pages and exports.

Lists and exports show `330***********1234` and `138****5678` unless the viewer's role needs the full
value: by default whoever may `manage` the organization the person belongs to (league staff, platform
admins); secretaries and instructors see masked values. Features use:

    from league.masking import mask_id_number, mask_phone, may_see_personal_data, personal
    personal(person.id_number, "id", reveal=may_see_personal_data(user, person.organization))

    {% load masking %}
    {{ person.phone|mask_phone }}                       always masked (lists)
    {{ person.id_number|personal:"id"|reveal:can_see }}  masked unless can_see is true

and in a django-import-export resource, MaskedWidget("phone") for a column (see its docstring).
"""

from __future__ import annotations

import re

from import_export.widgets import Widget

from . import policies

MASK = "*"


def _clean(value) -> str:
    return "" if value is None else re.sub(r"\s+", "", str(value))


def mask_id_number(value) -> str:
    """Keep the first 3 and last 4 characters of an ID card number: 330***********1234."""
    text = _clean(value)
    if len(text) <= 7:
        return MASK * len(text)
    return text[:3] + MASK * (len(text) - 7) + text[-4:]


def mask_phone(value) -> str:
    """Keep the first 3 and last 4 digits of a phone number: 138****5678 (short numbers fully hidden)."""
    text = _clean(value)
    prefix = ""
    if text.startswith("+86"):
        prefix, text = "+86", text[3:]
    if len(text) < 8:
        return prefix + MASK * len(text)
    return prefix + text[:3] + MASK * (len(text) - 7) + text[-4:]


MASKERS = {"id": mask_id_number, "phone": mask_phone}


def personal(value, kind: str, *, reveal: bool = False) -> str:
    """The value itself when `reveal`, else its masked form; kind is "id" or "phone"."""
    if kind not in MASKERS:
        raise ValueError(f"unknown kind of personal data {kind!r}")
    if reveal:
        return _clean(value)
    return MASKERS[kind](value)


def may_see_personal_data(user, organization) -> bool:
    """Whether the user's role needs full personal data of people of this organization."""
    return policies.can(user, "manage", organization)


class MaskedWidget(Widget):
    """An export column that masks its value unless the resource was built with reveal=True.

    class PersonResource(resources.ModelResource):
        phone = fields.Field(attribute="phone", column_name=_("Phone"), widget=MaskedWidget("phone"))

        def __init__(self, *, reveal=False, **kwargs):
            super().__init__(**kwargs)
            self.fields["phone"].widget.reveal = reveal
    """

    def __init__(self, kind: str, *, reveal: bool = False, **kwargs):
        if kind not in MASKERS:
            raise ValueError(f"unknown kind of personal data {kind!r}")
        self.kind = kind
        self.reveal = reveal
        super().__init__(**kwargs)

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        return personal(value, self.kind, reveal=self.reveal)
