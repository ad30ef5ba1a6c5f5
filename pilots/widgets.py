"""Widgets that render the same HTML as Django's, faster.

Django's Select renders each <option> through a template include; a select of every organization in a
province (thousands of options) cost hundreds of milliseconds per page. FastSelect builds the same markup
in Python (tests/pilots/test_widgets.py compares it with Django's output byte for byte).
"""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html"""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


class Select(forms.Select):
    """Named Select like Django's: crispy-forms adds the lowercased class name as a CSS class ("select")."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != _SELECT or self.option_template_name != _OPTION:
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts).strip())


FastSelect = Select


class _NameChoiceIterator(ModelChoiceIterator):
    """(pk, name) from one values_list query: no model instance per option."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        for pk, name in queryset.values_list("pk", "name").iterator():
            yield ModelChoiceIteratorValue(pk, None), name


class NamedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over a model whose str() is its `name` field, for selects of thousands of rows
    (every organization a user manages): options rendered from (pk, name) by FastSelect. Validation still
    returns the full instance."""

    widget = FastSelect
    iterator = _NameChoiceIterator
