"""{% load masking %}: {{ value|mask_id }}, {{ value|mask_phone }}, {{ value|personal:"id"|reveal:flag }}."""

from django import template

from league import masking

register = template.Library()


@register.filter
def mask_id(value):
    return masking.mask_id_number(value)


@register.filter
def mask_phone(value):
    return masking.mask_phone(value)


class _Personal:
    """Carries the raw value to the `reveal` filter; renders masked if `reveal` is not applied."""

    def __init__(self, value, kind):
        self.value, self.kind = value, kind

    def __str__(self):
        return masking.personal(self.value, self.kind)


@register.filter
def personal(value, kind):
    return _Personal(value, kind)


@register.filter
def reveal(value, flag):
    if isinstance(value, _Personal):
        return masking.personal(value.value, value.kind, reveal=bool(flag))
    return value
