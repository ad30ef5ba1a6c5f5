"""Validators for personal data: mainland ID numbers (居民身份证号码) and phone numbers."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(value: str) -> dt.date | None:
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    """An 18-character resident ID: 17 digits, a valid birth date and the right check character."""
    if not value:
        return
    value = value.upper()
    if not re.fullmatch(r"\d{17}[\dX]", value) or id_birth_date(value) is None:
        raise ValidationError(_("“%(value)s” is not a valid 18-character ID number."), params={"value": value},
                              code="id_number")  # fmt: skip
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("The check character of ID number “%(value)s” is wrong."), params={"value": value},
                              code="id_number")  # fmt: skip


def validate_phone(value: str) -> None:
    """An 11-digit mobile number (1xxxxxxxxxx) or a landline with its area code (0574-87654321)."""
    if value and not (_MOBILE.match(value) or _LANDLINE.match(value)):
        raise ValidationError(
            _("“%(value)s” is not a phone number: give 11 mobile digits or a landline with its area code."),
            params={"value": value},
            code="phone",
        )
