from django import template

register = template.Library()


@register.simple_tag
def slot_status(slot, on=None):
    return slot.status(on)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def pct(part, whole):
    try:
        return round(100 * int(part) / int(whole), 1) if int(whole) else None
    except (TypeError, ValueError):
        return None
