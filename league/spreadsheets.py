"""Reading and writing the Excel templates that imports take. Shared by every import in the project."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # a small file that inflates past this is refused (zip bomb)


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read (not Excel, empty, wrong headers, too big)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def template_workbook(
    headers: Sequence[str], examples: Sequence[Sequence[object]] = (), notes: str = ""
) -> bytes:
    """An .xlsx template with a bold frozen header row, example rows and an optional notes sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Data")
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in examples:
        ws.append(list(row))
    for idx, header in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=idx).column_letter].width = max(
            12, len(str(header)) * 2 + 4
        )
    ws.freeze_panes = "A2"
    if notes:
        notes_ws = wb.create_sheet(pgettext("spreadsheet sheet", "Notes"))
        for line in notes.splitlines():
            notes_ws.append([line])
        notes_ws.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_rows(upload, headers: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of the first sheet as (Excel row number, {header: text}); raises SpreadsheetError on a bad file.

    Every declared header must be present in the first row (extra columns are ignored); blank rows are
    skipped. Cell values come back as stripped strings (dates as ISO dates, whole floats without ".0").
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    data = upload.read() if hasattr(upload, "read") else upload
    if not data:
        raise SpreadsheetError(_("The file is empty."))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx).")) from exc
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            _("The file is too large once unpacked (more than %(mb)s MB).")
            % {"mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx).")) from exc
    ws = wb.worksheets[0]
    declared = ws.max_row if ws.max_row is not None else 0  # from the sheet's dimension, when present
    if declared - 1 > MAX_ROWS:
        wb.close()
        raise SpreadsheetError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
    rows = ws.iter_rows(values_only=True)
    try:
        header_row = next(rows)
    except StopIteration:
        raise SpreadsheetError(_("The file is empty.")) from None
    found = [str(h).strip() if h is not None else "" for h in header_row]
    missing = [h for h in headers if h not in found]
    if missing:
        raise SpreadsheetError(
            _("The first row must hold the template's headers; missing: %(missing)s.")
            % {"missing": "、".join(missing)}
        )
    index = {h: found.index(h) for h in headers}
    result = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise SpreadsheetError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
        cells = {h: _text(values[i]) if i < len(values) else "" for h, i in index.items()}
        if any(cells.values()):
            result.append((number, cells))
    wb.close()
    if not result:
        raise SpreadsheetError(_("The file has no data rows."))
    return result


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()
