from django import template

register = template.Library()


@register.filter
def percent(value):
    """12.5 -> '12.5%'; None (nothing to divide by) -> '—'."""
    return "—" if value is None else f"{value}%"
