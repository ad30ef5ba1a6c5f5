"""Widgets that render the same HTML as Django's, faster.

Django's Select renders each <option> through a template include; a select of every organization in a
province (thousands of options) cost hundreds of milliseconds per page. FastSelect builds the same markup
in Python (tests/pilots/test_widgets.py compares it with Django's output byte for byte).
"""

from __future__ import annotations

import html
import itertools

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


_SELECTED = " selected"  # attrs.html of {"selected": True}


def _esc(value) -> str:
    """conditional_escape() without its lazy-string wrapper (called twice per option)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


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
        if (
            self.template_name != _SELECT
            or self.option_template_name != _OPTION
            or self.option_inherits_attrs
        ):
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        parts = [f'<select name="{_esc(name)}"{_attrs(final_attrs)}>']
        if isinstance(self.choices, _NameChoiceIterator):  # (pk, name) rows: no groups, no value objects
            self._name_options(parts, self.format_value(value))
            parts.append("\n</select>")
            return mark_safe("".join(parts).strip())
        for group_name, group_choices in self._groups(self.format_value(value)):
            if group_name:
                parts.append(f'\n  <optgroup label="{_esc(group_name)}">')
            for option_value, label, selected in group_choices:
                parts.append(f'\n  <option value="{_esc(option_value)}"{_SELECTED if selected else ""}>'
                             f"{_esc(label)}</option>\n")  # fmt: skip
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts).strip())

    def _name_options(self, parts: list[str], value) -> None:
        """The options of a NamedModelChoiceField, as _groups() and render() would write them."""
        has_selected, multiple, escape = False, self.allow_multiple_selected, html.escape
        field = self.choices.field
        # (pk, name) rows the view has read already (pilots.filters.BriefingFilter's programs), or one fetch (no
        # server-side cursor's round trips): the field's options rows, else its queryset's
        rows = getattr(field, "name_rows", None)
        if rows is None:
            rows = self.choices.rows()
        if field.empty_label is not None:
            rows = itertools.chain([("", field.empty_label)], rows)
        for pk, label in rows:
            option_value = str(pk)
            selected = (not has_selected or multiple) and option_value in value
            has_selected |= selected
            parts.append(f'\n  <option value="{escape(option_value)}"{_SELECTED if selected else ""}>'
                         f"{_esc(label)}</option>\n")  # fmt: skip

    def _groups(self, value):
        """ChoiceWidget.optgroups() without an option dict per choice: (group name, [(value, label, selected)])."""
        has_selected, multiple = False, self.allow_multiple_selected
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                group_name, choices = option_value, option_label
            else:
                group_name, choices = None, [(option_value, option_label)]
            subgroup = []
            for subvalue, sublabel in choices:
                selected = (not has_selected or multiple) and str(subvalue) in value
                has_selected |= selected
                subgroup.append((subvalue, sublabel, selected))
            yield group_name, subgroup


FastSelect = Select


class _NameChoiceIterator(ModelChoiceIterator):
    """(pk, name) from one values_list query, or from the field's own `options` rows: no model instance per
    option. The field's queryset is read only when the options have no rows of their own."""

    def __init__(self, field):
        self.field = field

    @property
    def queryset(self):
        return self.field.queryset

    def rows(self):
        """The (pk, name) rows of the options, without the empty one."""
        options = self.field.options
        return options() if options is not None else self.queryset.values_list("pk", "name")

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name in self.rows():
            yield ModelChoiceIteratorValue(pk, None), name

    def __len__(self):
        return len(list(self.rows())) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(list(self.rows()))


class NamedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over a model whose str() is its `name` field, for selects of thousands of rows
    (every organization a user manages): options rendered from (pk, name) by FastSelect. Validation still
    returns the full instance.

    `queryset` may also be a callable returning it, called only when something reads it (a value to validate),
    and `options` a callable returning the options' (pk, name) rows in order (the same rows as the queryset's),
    read when the select is written: a page that only shows the select builds no queryset."""

    widget = FastSelect
    iterator = _NameChoiceIterator

    def __init__(self, queryset, *, options=None, **kwargs):
        self.options = options
        super().__init__(queryset, **kwargs)

    @property
    def queryset(self):
        if callable(self._queryset):
            self._queryset = self._queryset().all()
        return self._queryset

    @queryset.setter
    def queryset(self, queryset):
        self._queryset = queryset if queryset is None or callable(queryset) else queryset.all()
        self.widget.choices = self.choices

    def __deepcopy__(self, memo):
        result = super(forms.ChoiceField, self).__deepcopy__(memo)  # as ModelChoiceField's, a queryset unread
        result.queryset = self._queryset
        return result


class NullBooleanSelect(Select, forms.NullBooleanSelect):
    """Django's NullBooleanSelect (unknown, yes, no: a boolean filter's select), written by Select.render: the
    same HTML without a template include per option."""
