"""The home's latest notices written by {% notice_items %} are the bytes of the {% for %} loop they replace: read
and unread, a title to escape, the time in the current time zone, and the empty line, in both languages."""

import datetime as dt

import pytest
from django.template import Context, engines
from django.utils import timezone, translation

from league.models import Notice

LOOP = """{% load i18n %}
      {% for notice in recent_notices %}
        <li class="mb-1{% if not notice.read_at %} fw-semibold{% endif %}">{{ notice.title }} <span class="small text-muted">{{ notice.created_at|date:"Y-m-d H:i" }}</span></li>
      {% empty %}
        <li class="text-muted">{% translate "No notices." %}</li>
      {% endfor %}
"""
TAG = """{% load league_rows %}
      {% notice_items recent_notices %}
"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_notice_items_are_the_loops_bytes(language):
    at = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)  # the next day in Asia/Shanghai
    notices = [
        Notice(pk=1, title="审核<退回> & 通知", created_at=at, read_at=None),
        Notice(pk=2, title="已读", created_at=at - dt.timedelta(days=40), read_at=timezone.now()),
    ]
    engine = engines["django"].engine
    with translation.override(language):
        for shown in (notices, notices[:1], []):
            context = {"recent_notices": shown}
            written = engine.from_string(TAG).render(Context(context))
            assert written == engine.from_string(LOOP).render(Context(context))
            assert ("&lt;退回&gt; &amp;" in written) == bool(shown) and ("fw-semibold" in written) == bool(
                shown
            )
