"""All-or-nothing spreadsheet imports with a preview, shared by every list that imports.

An importer declares its headers and two functions:

    plan(*, by, rows) -> ImportPlan     validate every row, touch nothing; say what each row would do
    apply(*, by, plan) -> None          write it (called inside one transaction, only without errors)

`import_preview` reads the upload (refusing files that are not .xlsx, empty, with the wrong headers or too
big, before anything is written), plans, and keeps the file under MEDIA_ROOT/imports/ behind a random
token; `import_apply` re-reads and re-plans that file (data may have changed since the preview), then
applies every row or none.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .spreadsheets import RowError, SpreadsheetError, read_rows

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


@dataclass
class RowChange:
    row: int
    status: str  # NEW, UPDATED or UNCHANGED
    key: str
    label: str = ""
    changes: list[str] = field(default_factory=list)  # "名称: 旧 → 新"


@dataclass
class ImportPlan:
    changes: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    payload: Any = None  # what apply needs, built by plan

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes if c.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {
            NEW: self.count(NEW),
            UPDATED: self.count(UPDATED),
            UNCHANGED: self.count(UNCHANGED),
            "errors": len(self.errors),
        }


@dataclass
class Importer:
    name: str
    headers: Callable[[], Sequence[str]]
    plan: Callable[..., ImportPlan]
    apply: Callable[..., None]


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(importer: Importer, by, token: str) -> Path:
    if not token or not token.isalnum() or len(token) > 64:
        raise SpreadsheetError(_("The checked file is no longer available: upload it again."))
    return _folder() / f"{importer.name}-{by.pk}-{token}.xlsx"


def plan_upload(*, importer: Importer, by, upload) -> tuple[ImportPlan, bytes]:
    data = upload.read() if hasattr(upload, "read") else upload
    name = getattr(upload, "name", "") or ""
    if name and not name.lower().endswith((".xlsx", ".xlsm")):
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx)."))
    size = getattr(upload, "size", None)
    rows = read_rows(_Sized(data, size), list(importer.headers()))
    plan = importer.plan(by=by, rows=rows)
    plan.errors.sort(key=lambda e: (e.row, e.column))
    return plan, data


def import_preview(*, importer: Importer, by, upload) -> tuple[str | None, ImportPlan]:
    """Check the file; nothing is written to the database. A token is returned when it can be applied."""
    plan, data = plan_upload(importer=importer, by=by, upload=upload)
    if not plan.ok:
        return None, plan
    token = secrets.token_hex(16)
    _path(importer, by, token).write_bytes(data)
    return token, plan


def import_apply(*, importer: Importer, by, token: str) -> ImportPlan:
    """Re-check the previewed file and apply all of it in one transaction, or nothing if any row fails."""
    path = _path(importer, by, token)
    if not path.exists():
        raise SpreadsheetError(_("The checked file is no longer available: upload it again."))
    plan, _data = plan_upload(importer=importer, by=by, upload=path.read_bytes())
    if plan.ok:
        with transaction.atomic():
            importer.apply(by=by, plan=plan)
        path.unlink(missing_ok=True)
    return plan


def imports_cleanup(*, older_than_hours: int = 24) -> int:
    """Delete previewed files never applied (run with the export expiry)."""
    cutoff = timezone.now().timestamp() - older_than_hours * 3600
    removed = 0
    for path in _folder().glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class _Sized:
    """Bytes with the upload's size, for read_rows's checks."""

    def __init__(self, data: bytes, size: int | None):
        self.data, self.size = data, size if size is not None else len(data)

    def read(self) -> bytes:
        return self.data
