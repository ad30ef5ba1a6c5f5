"""Two people (or two tabs) edit one draft: the later save over a newer save is refused, nothing is lost."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from league.models import Membership, Role
from pilots.models import Report
from tests.pilots.conftest import month_start
from tests.pilots.test_pages import _form


@pytest.fixture
def draft(recent_program, client_for, world):
    slot = recent_program.slots.get(organization=world.zhonghe, period_start=month_start(0))
    client_for("street").post(f"/pilots/slots/{slot.pk}/file/")
    return Report.objects.get(slot=slot)


def _token(client, report) -> str:
    body = client.get(f"/pilots/reports/{report.pk}/edit/").content.decode()
    return re.search(r'name="token" value="([0-9a-f]+)"', body).group(1)


def test_a_save_over_a_colleagues_newer_save_is_refused_and_names_them(draft, client_for, world):
    colleague = get_user_model().objects.create_user("zhonghe_staff", first_name="王干事")
    Membership.objects.create(
        user=colleague, organization=world.zhonghe, role=Role.SECRETARY
    )  # a deputy secretary
    mine, theirs = client_for("street"), Client()
    theirs.force_login(colleague)
    my_token, their_token = _token(mine, draft), _token(theirs, draft)
    assert my_token == their_token

    saved = theirs.post(
        f"/pilots/reports/{draft.pk}/edit/", _form(progress="王干事写的进展", token=their_token, save="1")
    )
    assert saved.status_code == 302
    with translation.override("zh-hans"):
        refused = mine.post(
            f"/pilots/reports/{draft.pk}/edit/", _form(progress="我写的进展", token=my_token, save="1")
        )
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "王干事" in body and "我写的进展" in body  # who saved, and what I typed is still on the page
    draft.refresh_from_db()
    assert draft.progress == "王干事写的进展"

    # after reloading, my save goes through
    fresh = _token(mine, draft)
    assert fresh != my_token
    assert (
        mine.post(
            f"/pilots/reports/{draft.pk}/edit/", _form(progress="合并后的进展", token=fresh, save="1")
        ).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.progress == "合并后的进展"


def test_a_stale_page_saving_exactly_what_is_stored_is_not_a_conflict(draft, client_for):
    client = client_for("street")
    token = _token(client, draft)
    assert client.post(f"/pilots/reports/{draft.pk}/edit/", _form(token=token, save="1")).status_code == 302
    draft.refresh_from_db()
    assert draft.content_token() != token
    # another tab, opened before the save, sends the very same content: nothing would be lost
    assert client.post(f"/pilots/reports/{draft.pk}/edit/", _form(token=token, save="1")).status_code == 302
    # but different content from that stale tab is refused
    assert (
        client.post(
            f"/pilots/reports/{draft.pk}/edit/", _form(progress="旧页面", token=token, save="1")
        ).status_code
        == 409
    )
    draft.refresh_from_db()
    assert draft.progress != "旧页面"
