"""`{{ field|bs_field }}`: crispy-forms' Bootstrap 5 markup for plain text fields, built in Python.

crispy's `as_crispy_field` renders each field through a dozen nested templates (~1 ms a field); on the report
form, which every secretary opens each month, that was half the page. For text-like inputs and textareas this
filter writes the same markup directly (tests/league/test_fields.py compares it with crispy's, field by field,
with values, errors, help texts and required marks); every other widget (selects, checkboxes, files, radios)
is still rendered by crispy. The <input>/<textarea>/<select> itself is written here too when the widget uses
Django's stock template (`_widget_html`, the same bytes as `field.as_widget()`, compared in
tests/league/test_fields.py).
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

PLAIN = (forms.widgets.Input, forms.Textarea)  # text, number, email, URL, password, date inputs
NOT_PLAIN = (forms.FileInput, forms.CheckboxInput, forms.Select, forms.RadioSelect, forms.MultiWidget)


def _plain(widget) -> bool:
    return isinstance(widget, PLAIN) and not isinstance(widget, NOT_PLAIN) and not widget.is_hidden


# Django's widget templates that are `{% include "django/forms/widgets/input.html" %}`, and the textarea's.
_INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{name}.html"
                             for name in ("text", "hidden", "number", "email", "url", "password", "date"))  # fmt: skip
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_WRITTEN_HERE = _INPUT_TEMPLATES | {_TEXTAREA_TEMPLATE, _SELECT_TEMPLATE}


def _attrs_html(attrs) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False; escaped."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )  # fmt: skip


def _options_html(optgroups) -> str | None:
    """The options of django/forms/widgets/select.html (each through select_option.html); None for an option
    another template writes or a label the template would localize (a number, a date)."""
    out = []
    for group_name, options, _index in optgroups:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            label = option["label"]
            if option["template_name"] != _OPTION_TEMPLATE or not isinstance(label, (str, Promise)):
                return None
            out.append(f'\n  <option value="{conditional_escape(option["value"])}"{_attrs_html(option["attrs"])}>'
                       f"{conditional_escape(label)}</option>\n")  # fmt: skip
        if group_name:
            out.append("\n  </optgroup>")
    return "".join(out)


def _widget_html(field, attrs):
    """`field.as_widget(attrs=attrs)`: for Django's stock input, textarea and select templates rendered by the
    default form renderer, the same markup written in Python (a template render per field costs ~0.15 ms, and
    a select's one more per option)."""
    widget = field.field.widget
    template_name = widget.template_name
    if (
        template_name not in _WRITTEN_HERE
        or type(widget).render is not forms.Widget.render
        or type(field.form.renderer) is not DjangoTemplates
        or field.field.localize
    ):
        return field.as_widget(attrs=attrs)
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name, value = conditional_escape(context["name"]), context["value"]
    if template_name == _SELECT_TEMPLATE:
        options = _options_html(context["optgroups"])
        if options is None:
            return field.as_widget(attrs=attrs)
        return mark_safe(f'<select name="{name}"{_attrs_html(context["attrs"])}>{options}\n</select>')
    if template_name == _TEXTAREA_TEMPLATE:
        text = conditional_escape(value) if value else ""
        return mark_safe(f'<textarea name="{name}"{_attrs_html(context["attrs"])}>\n{text}</textarea>')
    shown = f' value="{conditional_escape(value)}"' if value is not None else ""
    html = f'<input type="{conditional_escape(context["type"])}" name="{name}"{shown}{_attrs_html(context["attrs"])}>'
    return mark_safe(html)


@register.filter
def bs_field(field):
    widget = field.field.widget
    if field.is_hidden or not _plain(widget):
        return as_crispy_field(field)
    class_name = widget.__class__.__name__.lower()
    css = widget.attrs.get("class", "")
    css = (css if class_name in css else f"{css} {class_name}") if css else class_name
    css += " form-control is-invalid" if field.errors else " form-control"
    rendered = _widget_html(field, {"class": css})
    required = field.field.required
    label = ""
    if field.label:
        label = format_html(
            '<label {}class="form-label{}">{}{}</label>',
            format_html('for="{}" ', field.id_for_label) if field.id_for_label else "",
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        )
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.errors.field_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, field.auto_id, e) for n, e in enumerate(field.errors, 1)),
            ),  # fmt: skip
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div {}class="form-text">{}</div>',
            format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else "",
            mark_safe(field.help_text),  # as crispy does: help texts are the developers' own markup
        )
    extra = field.css_classes()
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}{}</div>',
        field.auto_id, f" {extra}" if extra else "", label, rendered, errors, help_text,
    )  # fmt: skip


@register.filter
def bs_form(form):
    """crispy's `|crispy` for a form: the non-field errors, then every field (plain ones by `bs_field`)."""
    errors = ""
    if form.non_field_errors():
        errors = format_html(
            '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
            format_html_join("", "<li>{}</li>", ((e,) for e in form.non_field_errors())),
        )
    fields = (str(field) if field.is_hidden else bs_field(field) for field in form)
    return format_html("{}{}", errors, mark_safe("".join(fields)))  # each part escaped where it was built


@register.filter
def bs_widget(field):
    """`{{ field }}` of a field without label (a hidden input): the same markup, written in Python."""
    if field.field.show_hidden_initial:
        return str(field)
    return _widget_html(field, {})
