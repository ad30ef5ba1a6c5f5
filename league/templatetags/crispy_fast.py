"""`{{ field|fast_crispy_field }}` and `{{ form|fast_crispy }}`: crispy-forms' `as_crispy_field` and `|crispy`
(Bootstrap 5 pack) written in one pass in Python, byte for byte, whitespace included.

crispy renders a field through field.html and three nested includes (help texts and errors), and Django renders
the widget through its own templates (one more per select option): ~0.4 ms a field, ~1-2 ms for a list's filter
form or a small create form. These filters write the same string for the fields lists and small forms use (text,
number, date inputs and selects, with their labels, required marks, errors and help texts, the widget by
`fields._widget_html`); anything else (checkboxes, radios, files, hidden fields, a FormHelper's layout,
non-field errors) goes through crispy as before. tests/league/test_crispy_fast.py compares both with crispy's.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from django import forms, template
from django.conf import settings
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .fields import _widget_html

register = template.Library()

_NOT_HANDLED = (forms.CheckboxInput, forms.FileInput, forms.RadioSelect, forms.MultiWidget)

# bootstrap5/field.html around the widget, for a field with a label, no wrapper or field class and no tag
_OPEN = ('\n\n\n    \n    <div id="div_{auto_id}" class="mb-3{css}">\n        \n            \n            <label\n'
         '                {label_for} class="form-label{required}">\n                {label}{mark}\n            </label>\n'
         "        \n\n        \n\n        \n            \n                \n                    \n                        ")  # fmt: skip
_SELECT_OPEN = "\n                            "
_SELECT_CLOSE = "\n                        "
_AFTER_WIDGET = "\n                    \n                    \n                        "
_CLOSE = "\n                    \n                \n            \n        \n        \n    </div>\n    \n\n"
_MARK = '<span class="asteriskField">*</span>'


def _handled(field) -> bool:
    widget = field.field.widget
    return (
        isinstance(widget, (forms.widgets.Input, forms.Select))
        and not isinstance(widget, _NOT_HANDLED)
        and not field.is_hidden
        and bool(field.label)
        and not field.use_fieldset
    )


def _set_class(widget, extra: str) -> None:
    """What crispy's {% crispy_field field 'class' extra %} does to the widget before rendering it."""
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css = widget.attrs.get("class", "")
    if css:
        if css.find(class_name) == -1:
            css += f" {class_name}"
    else:
        css = class_name
    for name in extra.split():
        if name not in css.split():
            css += f" {name}"
    widget.attrs["class"] = css


def _help_and_errors(field, errors) -> str:
    """bootstrap5/layout/help_text_and_errors.html (field_errors_block.html, then help_text.html)."""
    block = ""
    if errors:
        block = "".join(
            f'\n        <p id="error_{n}_{conditional_escape(field.auto_id)}"><strong>{conditional_escape(e)}</strong>'
            f"</p>\n    "
            for n, e in enumerate(errors, 1)
        )  # fmt: skip
        block = (f'\n    <div id="{conditional_escape(errors.field_id)}_error" class="invalid-feedback">\n    {block}'
                 "\n    </div>\n")  # fmt: skip
    help_html = ""
    if field.help_text:
        shown_id = f'id="{conditional_escape(field.auto_id)}_helptext" ' if field.auto_id else ""
        help_html = f'\n    \n        <div {shown_id}class="form-text">{field.help_text}</div>\n    \n'
    return f"\n\n\n    {block}\n\n\n\n\n    {help_html}\n\n\n"


def _field_html(field) -> str:
    widget = field.field.widget
    errors = field.errors
    select = isinstance(widget, forms.Select)
    base = "form-select" if select else "form-control"
    _set_class(widget, f"{base} is-invalid" if errors else base)
    rendered = _widget_html(field, {})
    required = field.field.required
    id_for_label = field.id_for_label
    css = field.css_classes()
    head = _OPEN.format(
        auto_id=conditional_escape(field.auto_id),
        css=f" {conditional_escape(css)}" if css else "",
        label_for=f'for="{conditional_escape(id_for_label)}"' if id_for_label else "",
        required=" requiredField" if required else "",
        label=conditional_escape(field.label),
        mark=_MARK if required else "",
    )
    if select:
        rendered = f"{_SELECT_OPEN}{rendered}{_SELECT_CLOSE}"
    return f"{head}{rendered}{_AFTER_WIDGET}{_help_and_errors(field, errors)}{_CLOSE}"


@register.filter
def fast_crispy_field(field):
    """`{{ field|as_crispy_field }}`, the same bytes."""
    if not _handled(field) or getattr(field.form, "helper", None) is not None:  # a helper's attributes
        return as_crispy_field(field)
    return mark_safe(_field_html(field))


@register.filter
def fast_crispy(form):
    """`{{ form|crispy }}` (bootstrap5/uni_form.html), the same bytes."""
    fields = list(form)
    if form.non_field_errors() or not all(_handled(f) for f in fields):
        return as_crispy_form(form)
    body = "".join(f"\n        {_field_html(f)}\n    " for f in fields)
    # uni_form.html: two newlines, then {% specialspaceless %} around the (empty) media, the (no) non-field
    # errors and the fields, then the template's last newline.
    return mark_safe(f"\n\n{remove_spaces(body.strip())}\n")
