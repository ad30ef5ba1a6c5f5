"""The exported file opened by real spreadsheet software (LibreOffice Calc, when installed: it is not part
of scripts/sysdeps.sh, being ~60 packages): formula-like text is shown as typed, never evaluated, and
numbers and dates come out as numbers and dates."""

import csv
import os
import shutil
import subprocess

import pytest

from tests.factories import OrganizationFactory

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Calc is not installed")

NASTY = ["=1+2", "+3+4", "-5+6", "@SUM(1,2)", '=HYPERLINK("http://x","y")']


def to_csv(path, tmp_path):
    profile = tmp_path / f"lo-{os.getpid()}"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with open(path.with_suffix(".csv"), encoding="utf-8") as f:
        return list(csv.reader(f))


def test_libreoffice_shows_formula_like_text_as_text_and_keeps_numbers(client_for, world, tmp_path):
    for i, name in enumerate(NASTY):
        OrganizationFactory(code=f"NASTY-{i}", name=name, parent=world.zhonghe)
    path = tmp_path / "orgs.xlsx"
    path.write_bytes(client_for("street").get("/orgs/export.xlsx").content)
    rows = to_csv(path, tmp_path)
    assert rows[0][:2] == ["代码", "名称"]
    names = {r[0]: r[1] for r in rows[1:]}
    for i, text in enumerate(NASTY):
        assert names[f"NASTY-{i}"] == text  # not 3, 7, 1, 3 or a link: never evaluated
    assert names["ZJ-NB-YZ-ZH"] == "鄞州区中河街道团工委"


def test_libreoffice_reads_money_and_dates_as_typed(tmp_path):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from league.exports import write_xlsx
    from tests.league.test_exports import Row, TypedResource

    at = timezone.make_aware(dt.datetime(2026, 3, 5, 9, 30))
    path = tmp_path / "typed.xlsx"
    write_xlsx(TypedResource(), [Row("甲", Decimal("1234.5"), 12, dt.date(2026, 3, 1), at)], path)
    rows = to_csv(path, tmp_path)
    assert rows[1] == ["甲", "1,234.50", "12", "2026-03-01", "2026-03-05 09:30"]
