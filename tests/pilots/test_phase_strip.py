"""The program page's phase strip, written in Python (pilots_tags.phase_strip), is the bytes of the template it
replaced (tests/pilots/phase_strip_template.html): phases before, around and after today, a current one, names
to escape, offsets with decimals, no phase, in both languages."""

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from pilots.views.programs import phase_strip

OLD = Template((Path(__file__).parent / "phase_strip_template.html").read_text())
NEW = Template("{% load pilots_tags %}{% phase_strip strip today_x %}")


def _phase(name, start, end):
    return SimpleNamespace(name=name, starts_on=start, ends_on=end)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_strip_is_the_templates(language, monkeypatch):
    today = dt.date.today()
    programs = [
        (
            today - dt.timedelta(days=40),
            today + dt.timedelta(days=325),
        ),  # today inside: an offset with decimals
        (today + dt.timedelta(days=3), today + dt.timedelta(days=50)),  # not begun: no line for today
        (today - dt.timedelta(days=900), today - dt.timedelta(days=2)),  # over
    ]
    seen = 0
    for starts, ends in programs:
        program = SimpleNamespace(starts_on=starts, ends_on=ends)
        span = (ends - starts).days
        phases = [
            _phase("调研 & <摸底>", starts, starts + dt.timedelta(days=span // 3)),
            _phase('试点"推进"', starts + dt.timedelta(days=span // 3 + 1), today),
            _phase("总结", today + dt.timedelta(days=1), ends),
            _phase("overflow", ends - dt.timedelta(days=1), ends + dt.timedelta(days=30)),
        ]
        for shown in (phases, phases[:1], []):
            strip, today_x = phase_strip(program, shown)
            context = {"strip": strip, "today_x": today_x}
            with translation.override(language):
                old, new = OLD.render(Context(context)), NEW.render(Context(context))
            assert new == old, (starts, len(shown))
            seen += "phase-current" in new and "phase-today" in new and "&lt;摸底&gt;" in new
    assert seen
