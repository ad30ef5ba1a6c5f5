"""Every number a form accepts fits the database column it ends up in.

A number field without a maximum lets "99999999999999999999" through validation, and the database
then refuses it with a server error (SQLite: OverflowError; PostgreSQL: NumericValueOutOfRange). The
fuzzer found one such field by chance; this check finds them all, deterministically, including in forms
added later (discovery: tests/fuzzing.py).
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator

from tests.fuzzing import project_form_classes

BIGINT = 2**63 - 1


def _maximum(field, model_field=None) -> int | float | None:
    validators = list(field.validators) + (list(model_field.validators) if model_field is not None else [])
    limits = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
    limits = [limit() if callable(limit) else limit for limit in limits]
    return min(limits) if limits else None


def _model_field(form_class, name):
    """A ModelForm's field is also validated against its model field (the database's range) on save."""
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def test_every_integer_field_in_a_project_form_has_a_maximum_that_fits_a_bigint():
    unbounded = []
    for dotted, form_class in sorted(project_form_classes().items()):
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.IntegerField) and not isinstance(
                field, forms.DecimalField | forms.FloatField
            ):
                maximum = _maximum(field, _model_field(form_class, name))
                if maximum is None or maximum > BIGINT:
                    unbounded.append(f"{dotted}.{name}")
    assert unbounded == [], f"give these fields a max_value: {unbounded}"


def test_every_decimal_field_bounds_its_digits():
    unbounded = [
        f"{dotted}.{name}"
        for dotted, form_class in sorted(project_form_classes().items())
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.DecimalField) and field.max_digits is None and _maximum(field) is None
    ]
    assert unbounded == [], f"give these fields max_digits or a max_value: {unbounded}"


def test_the_check_catches_an_unbounded_field():
    class Probe(forms.Form):
        count = forms.IntegerField(min_value=0)

    assert _maximum(Probe.base_fields["count"]) is None
    assert _maximum(forms.IntegerField(max_value=5)) == 5
