"""The Chinese catalogs agree with each other, and each app shows its own Chinese for a shared English word.

Django merges every catalog into one per language: for a msgid (and msgctxt) present in several catalogs the
one that comes first (LOCALE_PATHS, then INSTALLED_APPS order) wins, and the other apps silently show its
Chinese. So the same (msgctxt, msgid) must have the same msgstr everywhere; a word that means something
else in one app gets a context there (pgettext / {% translate "File" context "report action" %}).
That the catalogs compile at all is checked by tests/test_project.py (msgfmt) and by `make test`
(compilemessages); here they are also checked the way compilemessages does, with --check-format.
"""

import re
import subprocess
from collections import defaultdict
from pathlib import Path

import polib
import pytest

from elections.models import State
from tests.elections.factories import election_at
from tests.pilots.factories import monthly_program

ROOT = Path(__file__).resolve().parent.parent


def catalogs() -> list[Path]:
    return sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def clashes(paths, root=ROOT) -> dict:
    """(msgctxt, msgid) → {catalog: msgstr} for every string translated differently in two catalogs."""
    seen = defaultdict(dict)
    for path in paths:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags:
                continue
            seen[(entry.msgctxt, entry.msgid)][str(path.relative_to(root))] = entry.msgstr
    return {key: found for key, found in seen.items() if len(set(found.values())) > 1}


def test_every_catalog_is_found():
    apps = {p.relative_to(ROOT).parts[0] for p in catalogs()}
    assert {"locale", "league", "pilots", "elections", "grassroots", "ops"} <= apps


def test_no_string_is_translated_differently_in_two_catalogs():
    found = clashes(catalogs())
    lines = [
        f"  msgctxt={ctxt!r} msgid={msgid!r}: " + ", ".join(f"{po.split('/')[0]} {s}" for po, s in by.items())
        for (ctxt, msgid), by in sorted(found.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))
    ]
    assert not found, (
        f"{len(found)} strings have different Chinese in different catalogs; the first catalog wins for "
        "every app. Same meaning: make the msgstr equal; different meaning: give one app's uses a context "
        "(pgettext_lazy / {% translate ... context ... %}) and a msgctxt entry.\n" + "\n".join(lines)
    )


def test_the_clash_check_catches_a_clash(tmp_path):
    """The check above can fail: two catalogs that disagree on "File" (and agree on "Name") are reported."""
    for app, file_ in (("a", "填报"), ("b", "文件")):
        po = polib.POFile()
        po.append(polib.POEntry(msgid="File", msgstr=file_))
        po.append(polib.POEntry(msgid="Name", msgstr="名称"))
        po.append(polib.POEntry(msgctxt="person", msgid="Name", msgstr="姓名" if app == "a" else ""))
        (tmp_path / app).mkdir()
        po.save(str(tmp_path / app / "django.po"))
    found = clashes(sorted(tmp_path.glob("*/django.po")), root=tmp_path)
    assert found == {(None, "File"): {"a/django.po": "填报", "b/django.po": "文件"}}


@pytest.mark.parametrize("po", catalogs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_compiles_as_compilemessages_does(po):
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# --- pages: each app shows its own word (these need the compiled catalogs: `compilemessages`) ----------


def _button_texts(body: str) -> list[str]:
    return re.findall(r'data-testid="file-\d+">([^<]+)</button>', body)


def test_pilots_filing_list_says_file_a_report_and_league_exports_say_a_file(world, client_for):
    program = monthly_program(world.county, [world.zhonghe])
    street = client_for("street")
    buttons = _button_texts(street.get("/pilots/my-reports/").content.decode())
    assert buttons and set(buttons) == {"填报"}  # not 文件 (a file), league's word
    slot = program.slots.filter(organization=world.zhonghe).order_by("period_start").first()
    street.post(f"/pilots/slots/{slot.pk}/file/")
    assert "继续填报" in _button_texts(street.get("/pilots/my-reports/").content.decode())

    exports = street.get("/exports/").content.decode()
    assert "<th>文件</th>" in exports and "填报" not in exports


def test_pilots_dashboard_and_league_stats_each_have_their_rate(world, client_for):
    program = monthly_program(world.county, [world.zhonghe])
    county = client_for("county")
    dashboard = county.get(f"/pilots/dashboard/?program={program.pk}").content.decode()
    assert "报送率" in dashboard and "配齐率" not in dashboard
    assert "已审核通过" in dashboard and "已采纳" not in dashboard  # the legend: a report accepted
    stats = county.get("/lineups/stats/").content.decode()
    assert "配齐率" in stats and "报送率" not in stats
    grassroots = county.get("/grassroots/").content.decode()
    assert '<th class="text-end">开展率</th>' in grassroots and "配齐率" not in grassroots


def test_election_candidates_have_a_person_name_and_a_pending_vetting(world, client_for):
    election = election_at(State.NOMINATION, org=world.zhonghe, by=world.users["county"], candidates=3)
    body = client_for("county").get(f"/elections/{election.pk}/candidates/").content.decode()
    assert "<th>姓名</th>" in body and "<th>名称</th>" not in body
    assert "<td>待定</td>" in body and "待审批" not in body  # not pilots' "pending approval"
    organization = client_for("county").get(f"/orgs/{world.zhonghe.pk}/").content.decode()
    assert "<th>名称</th>" in organization  # an organization's name stays 名称
