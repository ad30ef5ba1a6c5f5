"""Amounts of money: Decimal yuan with two places, never float; parsed with a message naming the field."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")


class AmountError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def parse_amount(value, *, field: str, label: str, allow_zero: bool = False) -> Decimal:
    """A positive (or, with allow_zero, non-negative) amount in yuan with at most two decimal places."""
    if isinstance(value, float):
        raise AmountError(_("%(label)s: give the amount as text or a Decimal, not a float.") % {"label": label},
                          field)  # fmt: skip
    if isinstance(value, str):
        value = value.strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise AmountError(_("%(label)s: “%(value)s” is not an amount of money.") % {"label": label, "value": value},
                          field) from None  # fmt: skip
    if not amount.is_finite():
        raise AmountError(_("%(label)s: “%(value)s” is not an amount of money.") % {"label": label, "value": value},
                          field)  # fmt: skip
    if amount > MAX_AMOUNT:  # before quantize, which fails on huge exponents (1e999999)
        raise AmountError(_("%(label)s is too large.") % {"label": label}, field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise AmountError(_("%(label)s must be more than zero.") % {"label": label}, field)
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise AmountError(_("%(label)s: at most two decimal places (fen).") % {"label": label}, field)
    return amount.quantize(CENT)


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"
