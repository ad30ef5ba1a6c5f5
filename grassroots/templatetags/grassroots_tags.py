from django import template

register = template.Library()


@register.filter
def percent(value):
    """12.5 -> '12.5%'; None (nothing to divide by) -> '—'."""
    return "—" if value is None else f"{value}%"


@register.filter
def officer_grade(value):
    """An officer assessment's grade code -> its label ('excellent' -> 优秀)."""
    from grassroots.models import OfficerAssessment

    return dict(OfficerAssessment.Grade.choices).get(value, value or "")
