"""`|bs_field` writes crispy-forms' Bootstrap 5 markup for plain text fields itself: the same HTML as crispy's."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html
from django.utils import translation

from league.templatetags.fields import bs_field


class Sample(forms.Form):
    name = forms.CharField(label="名称", max_length=20)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="最多 <b>200</b> 字")  # fmt: skip
    amount = forms.DecimalField(label="金额", min_value=0, max_value=10**6, required=False)
    email = forms.EmailField(label="邮箱", required=False, widget=forms.EmailInput(attrs={"class": "mono"}))
    day = forms.DateField(label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    figure = forms.CharField(label="人数 (人)", required=False,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))  # fmt: skip
    locked = forms.CharField(label="只读", required=False, disabled=True, initial="固定")
    kind = forms.ChoiceField(label="类型", choices=[("a", "甲"), ("b", "乙")])
    attachment = forms.FileField(label="附件", required=False, help_text="不超过 10 MB")
    agree = forms.BooleanField(label="同意", required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


STATES = {
    "empty": None,
    "filled": {"name": "中河<街道>", "note": "第一行\n第二行", "amount": "12.5", "email": "a@b.cn",
               "day": "2026-11-01", "figure": "7", "kind": "b", "agree": "on", "token": "x"},
    "invalid": {"name": "", "note": "好", "amount": "-3", "email": "not-an-email", "day": "昨天", "kind": "z"},
}  # fmt: skip


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_same_markup_as_crispy(state, language):
    with translation.override(language):
        ours, theirs = Sample(STATES[state]), Sample(STATES[state])
        for form in (ours, theirs):
            form.is_valid() if STATES[state] is not None else None
        if state == "invalid":
            for form in (ours, theirs):
                form.add_error("note", "第二个错误 <script>")
        for name in Sample.base_fields:
            mine, crispy = str(bs_field(ours[name])), str(as_crispy_field(theirs[name]))
            assert parse_html(mine) == parse_html(crispy), (name, mine, crispy)


def test_errors_and_values_are_escaped():
    form = Sample({"name": "<script>alert(1)</script>"})
    form.is_valid()
    form.add_error("name", "<img src=x onerror=alert(1)>")
    html = str(bs_field(form["name"]))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html


class WithHidden(Sample):
    def clean(self):
        raise forms.ValidationError(["两个字段不一致 <b>", "第二条"])


@pytest.mark.parametrize("state", STATES)
def test_whole_forms_as_crispy(state):
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
    from django.contrib.auth.forms import AuthenticationForm

    from league.templatetags.fields import bs_form

    data = STATES[state]
    for make in (lambda: WithHidden(data), lambda: AuthenticationForm(data=data)):
        ours, theirs = make(), make()
        if data is not None:
            ours.is_valid(), theirs.is_valid()
        assert parse_html(str(bs_form(ours))) == parse_html(str(as_crispy_form(theirs)))
