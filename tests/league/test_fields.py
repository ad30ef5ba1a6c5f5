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


class Widgets(forms.Form):  # fmt: skip
    text = forms.CharField(
        label="文本", max_length=20, widget=forms.TextInput(attrs={"placeholder": '"引号" & <b>'})
    )
    area = forms.CharField(
        label="多行", required=False, widget=forms.Textarea(attrs={"rows": 4, "data-x": True})
    )
    number = forms.DecimalField(label="数", required=False, min_value=0, max_value=10, decimal_places=2)
    whole = forms.IntegerField(label="整数", min_value=0, max_value=10, initial=3)
    secret = forms.CharField(label="密码", required=False, widget=forms.PasswordInput(render_value=True))
    secret_hidden = forms.CharField(label="密码", required=False, widget=forms.PasswordInput)
    mail = forms.EmailField(
        label="邮箱", required=False, widget=forms.EmailInput(attrs={"autocomplete": False})
    )
    link = forms.URLField(label="网址", required=False, assume_scheme="https")
    day = forms.DateField(label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    locked = forms.CharField(label="只读", required=False, disabled=True, initial="固定 <i>")
    token = forms.CharField(widget=forms.HiddenInput, required=False, initial="t&1")
    helped = forms.CharField(label="说明", required=False, help_text="帮助")
    choice = forms.ChoiceField(
        label="选择", required=False, choices=[("", "全部"), ("a&b", '甲 "<乙>"'), ("c", "丙")]
    )
    grouped = forms.ChoiceField(label="分组", choices=[("省", [("p1", "一"), ("p2", "二")]), ("x", "<无>")])
    several = forms.MultipleChoiceField(label="多选", required=False, choices=[("1", "一"), ("2", "二")])
    yes_no = forms.NullBooleanField(label="是否", required=False)
    numbered = forms.TypedChoiceField(
        label="编号", coerce=int, choices=[(1, 1000), (2, 2000)], required=False
    )


WIDGET_STATES = {
    "unbound": None,
    "filled": {"text": '中河<街道> "x" & \'y\'', "area": "第一行\n<第二行> &amp;", "number": "1.50", "whole": "7",
               "secret": "p<w>", "secret_hidden": "pw", "mail": "a@b.cn", "link": "https://x.cn/?a=1&b=2",
               "day": "2026-11-01", "token": "x\"y", "helped": "  ", "choice": "a&b", "grouped": "p2",
               "several": ["1", "2"], "yes_no": "false", "numbered": "2"},
    "invalid": {"text": "", "area": "", "number": "-3", "whole": "x", "mail": "no", "link": "no", "day": "昨天",
                "choice": "z", "grouped": "", "several": ["9"], "yes_no": "maybe", "numbered": "7"},
}  # fmt: skip


@pytest.mark.parametrize("state", WIDGET_STATES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_widgets_written_in_python_are_byte_for_byte_djangos(state, language):
    """`_widget_html` writes the <input>/<textarea> of Django's stock templates: the very same string."""
    from league.templatetags.fields import _widget_html, bs_widget

    with translation.override(language):
        for form_class in (Widgets, Sample):
            form = form_class(WIDGET_STATES[state]) if WIDGET_STATES[state] is not None else form_class()
            if form.is_bound:
                form.is_valid()
            for name in form_class.base_fields:
                for attrs in ({"class": "textinput form-control"}, {}):
                    mine, django_s = _widget_html(form[name], attrs), form[name].as_widget(attrs=attrs)
                    assert str(mine) == str(django_s), (name, mine, django_s)
                # {{ field|bs_widget }} is {{ field }}
                assert str(bs_widget(form[name])) == str(form[name]), name
