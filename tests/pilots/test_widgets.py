"""FastSelect must render exactly what Django's Select renders (it only skips the per-option includes)."""

import pytest
from django import forms

from league.models import Organization
from pilots.widgets import FastSelect, NamedModelChoiceField

CHOICES = [
    ("", "---------"),
    ("a", 'A & "quoted" <b>'),
    (3, "三"),
    ("Group <1>", [("g1", "one"), ("g2", "two")]),
]


@pytest.mark.parametrize("value", [None, "", "a", 3, "g2", ["a", "g1"]])
@pytest.mark.parametrize("attrs", [None, {"class": "form-select", "required": True, "disabled": False,
                                          "data-x": 'x"<y'}])  # fmt: skip
def test_fast_select_matches_django(value, attrs):
    fast, slow = FastSelect(choices=CHOICES), forms.Select(choices=CHOICES)
    assert fast.render("org", value, attrs) == slow.render("org", value, attrs)


def test_fast_select_matches_django_for_a_model_choice_field(world):
    class F(forms.Form):
        organization = forms.ModelChoiceField(
            queryset=Organization.objects.order_by("path"), widget=FastSelect
        )

    class G(forms.Form):
        organization = forms.ModelChoiceField(queryset=Organization.objects.order_by("path"))

    for data in (None, {"organization": str(world.zhonghe.pk)}):
        fast, slow = str(F(data)["organization"]), str(G(data)["organization"])
        assert fast == slow
        assert fast.count("<option") == Organization.objects.count() + 1


def test_fast_select_keeps_the_css_class_crispy_derives_from_the_widget_name():
    assert FastSelect.__name__.lower() == forms.Select.__name__.lower()


def test_named_model_choice_field_renders_and_validates_like_a_model_choice_field(world):
    class F(forms.Form):
        organization = NamedModelChoiceField(queryset=Organization.objects.order_by("path"))

    class G(forms.Form):
        organization = forms.ModelChoiceField(queryset=Organization.objects.order_by("path"))

    for data in (None, {"organization": str(world.zhonghe.pk)}, {"organization": "x"}):
        fast, slow = F(data), G(data)
        assert str(fast["organization"]) == str(slow["organization"])
        if data:
            assert fast.is_valid() == slow.is_valid()
            assert fast.cleaned_data.get("organization") == slow.cleaned_data.get("organization")
    assert F({"organization": str(world.zhonghe.pk)}).is_valid()


def test_fast_select_matches_django_with_lazy_labels_and_none_values():
    from django.utils.translation import gettext_lazy

    choices = [(None, gettext_lazy("All")), ("x", gettext_lazy("Late")), ("g", [(None, "none"), (1, "one")])]
    for value in (None, "x", "None", 1):
        assert FastSelect(choices=choices).render("c", value) == forms.Select(choices=choices).render(
            "c", value
        )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("value", [None, "", True, False, "true", "false", "unknown", "2", "3", "x"])
def test_fast_null_boolean_select_matches_django(value, language):
    from django.utils import translation

    from pilots.widgets import NullBooleanSelect

    with translation.override(language):
        fast, slow = NullBooleanSelect(), forms.NullBooleanSelect()
        assert fast.render("late", value, {"id": "id_late"}) == slow.render("late", value, {"id": "id_late"})
        assert fast.value_from_datadict({"late": value}, {}, "late") == slow.value_from_datadict(
            {"late": value}, {}, "late"
        )


def test_filter_fields_render_what_the_field_loop_rendered():
    """pilots_tags.filter_fields writes the report list's filter fields as its template loop did, errors too."""
    from django.template import Context, Template

    from pilots.filters import ReportFilter
    from pilots.models import Report

    old = Template(
        '{% for field in filter.form %}<div class="col-6 col-md-2"><label class="form-label small" '
        'for="{{ field.id_for_label }}">{{ field.label }}</label>{{ field }}{% if field.errors %}<div '
        'class="invalid-feedback d-block">{{ field.errors|join:" " }}</div>{% endif %}</div>{% endfor %}'
    )
    new = Template("{% load pilots_tags %}{% filter_fields filter.form %}")
    for data in (None, {"state": "submitted", "late": "true", "q": '<b>"x"</b>'}, {"since": "2026-13", "late": "x",
                                                                                 "state": "nope", "month": "abc"}):  # fmt: skip
        filterset = ReportFilter(data, queryset=Report.objects.none(), request=None)
        rendered = new.render(Context({"filter": filterset}))
        assert rendered == old.render(Context({"filter": filterset}))
    assert "invalid-feedback" in rendered and 'id="id_late"' in rendered


def test_briefing_filter_fields_render_what_the_briefing_list_loop_rendered(world):
    """briefing_list.html's loop (a wider column, no errors shown), written by filter_fields: the program select
    of (id, name) rows and the search input, bound or not, a program that is no id too."""
    from types import SimpleNamespace

    from django.template import Context, Template

    from pilots.filters import BriefingFilter
    from pilots.models import Briefing, PilotProgram

    old = Template(
        '{% for field in filter.form %}<div class="col-6 col-md-4"><label class="form-label small" '
        'for="{{ field.id_for_label }}">{{ field.label }}</label>{{ field }}</div>{% endfor %}'
    )
    new = Template(
        '{% load pilots_tags %}{% filter_fields filter.form column="col-6 col-md-4" errors=False %}'
    )
    request = SimpleNamespace(user=world.users["province"])
    program = PilotProgram.objects.create(organization=world.province, name='<Pilot> & "x"', kind="other",
                                          starts_on="2026-01-01", ends_on="2026-12-31")  # fmt: skip
    for data in (None, {"program": str(program.pk), "q": '<b>"x"</b>'}, {"program": "abc", "q": ""}):
        filterset = BriefingFilter(data, queryset=Briefing.objects.none(), request=request)
        rendered = new.render(Context({"filter": filterset}))
        assert rendered == old.render(Context({"filter": filterset}))
        assert "&lt;Pilot&gt; &amp; &quot;x&quot;" in rendered and 'id="id_q"' in rendered
    assert f'<option value="{program.pk}" selected>' in new.render(
        Context(
            {
                "filter": BriefingFilter(
                    {"program": str(program.pk)}, queryset=Briefing.objects.none(), request=request
                )
            }
        )  # fmt: skip
    )
