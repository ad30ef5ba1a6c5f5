"""`|fast_crispy_field` and `|fast_crispy` write crispy's `as_crispy_field` and `|crispy`: the same bytes."""

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.utils import translation

from league.templatetags import crispy_fast
from league.templatetags.crispy_fast import fast_crispy, fast_crispy_field


class Sample(forms.Form):
    name = forms.CharField(label="名称 <b>", max_length=20)
    q = forms.CharField(
        label="Search", required=False, widget=forms.TextInput(attrs={"class": "mono textinputx"})
    )
    amount = forms.DecimalField(label="金额", min_value=0, max_value=10**6, required=False)
    day = forms.DateField(label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    since = forms.DateField(label="起", required=False)
    kind = forms.ChoiceField(label="类型", choices=[("", "---------"), ("a", "甲"), ("b", "乙 & <丙>")])
    state = forms.ChoiceField(label="状态", required=False, choices=[("x", "X")],
                              widget=forms.Select(attrs={"class": "form-select-sm"}))  # fmt: skip
    yes_no = forms.NullBooleanField(label="是否", required=False)
    helped = forms.CharField(label="说明", required=False, help_text="最多 <b>200</b> 字")
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100, initial=2026)


class Mixed(Sample):  # fields crispy still writes: a checkbox, a file, a hidden input
    agree = forms.BooleanField(label="同意", required=False)
    attachment = forms.FileField(label="附件", required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class WithErrors(Sample):
    def clean(self):
        raise forms.ValidationError("两个字段不一致 <b>")


class WithHelper(Sample):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


STATES = {
    "unbound": None,
    "empty": {},
    "filled": {"name": '中河<街道> "x"', "q": "a&b", "amount": "12.5", "day": "2026-11-01", "since": "2026-01-02",
               "kind": "b", "state": "x", "yes_no": "true", "helped": "<i>", "year": "2027", "agree": "on"},
    "invalid": {"name": "", "amount": "-3", "day": "昨天", "since": "bad", "kind": "z", "state": "y",
                "yes_no": "maybe", "year": "1999"},
}  # fmt: skip


def _pair(form_class, state):
    data = STATES[state]
    forms_ = [form_class(data) if data is not None else form_class() for _ in range(2)]
    for form in forms_:
        if form.is_bound:
            form.is_valid()
        if state == "invalid":
            form.add_error("q", "第二个错误 <script>")
    return forms_


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_fields_byte_for_byte_crispy(state, language):
    with translation.override(language):
        for form_class in (Sample, Mixed, WithHelper):
            ours, theirs = _pair(form_class, state)
            for name in form_class.base_fields:
                mine, crispy = fast_crispy_field(ours[name]), as_crispy_field(theirs[name])
                assert str(mine) == str(crispy), (form_class, name, mine, crispy)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_forms_byte_for_byte_crispy(state, language):
    with translation.override(language):
        for form_class in (Sample, Mixed, WithErrors, WithHelper):
            ours, theirs = _pair(form_class, state)
            assert str(fast_crispy(ours)) == str(as_crispy_form(theirs)), form_class


def test_plain_fields_are_written_without_crispy(monkeypatch):
    """The fields lists use are written here (the comparisons above would pass on crispy's own output)."""
    monkeypatch.setattr(crispy_fast, "as_crispy_field", None)
    monkeypatch.setattr(crispy_fast, "as_crispy_form", None)
    for state in STATES:
        form = _pair(Sample, state)[0]
        assert "div_id_kind" in fast_crispy(form)
        for name in Sample.base_fields:
            assert f'id="div_id_{name}"' in fast_crispy_field(form[name])


def test_values_and_errors_are_escaped():
    form = Sample({"name": "<script>x</script>", "kind": "<img>"})
    form.is_valid()
    html = str(fast_crispy(form))
    assert "<script>" not in html and "<img>" not in html and "&lt;script&gt;" in html
