"""Excel and CSV downloads shared by every list page.

One django-import-export resource defines the columns (headers, order, values); this module writes them:

* typed cells: numbers stay numbers, Decimal money is a number shown with two decimals, dates are dates;
* text that a spreadsheet would evaluate (starting with = + - @ tab CR) is never a formula: in .xlsx it is
  a string cell with Excel's "quote prefix" (shown as typed, kept as text when edited), in CSV it gets a
  leading apostrophe (the OWASP advice, as CSV has no cell types);
* a bold frozen header row, column widths from the header and the first rows;
* a streamed write-only workbook (memory does not grow with rows); past Excel's 1,048,576 rows the rows
  continue on a new sheet with the header repeated.

A list page adopts it in two steps (see docs/architecture.md):

    @export_source("organizations")
    def organization_export_source(user, params) -> ExportSpec: ...   # scoped + filtered queryset
    def organization_export(request): return export_list(request, "organizations")

Small exports download at once; past settings.EXPORT_BACKGROUND_THRESHOLD rows an ExportJob is queued
and the user watches its progress. `xlsx_response(resource, queryset, stem)` stays the immediate path.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_MAX_ROWS = 1_048_576  # rows per sheet, header included
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
WIDTH_SAMPLE_ROWS = 200
CHUNK_SIZE = 2000


def safe_cell(value):
    """For CSV and other untyped text: an apostrophe before text a spreadsheet would evaluate.

    Numbers, dates and other non-text values are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


# --- values out of a resource -----------------------------------------------------------------------


def export_columns(resource) -> list[tuple[str, Callable[[Any], Any]]]:
    """(header, getter) for each exported column of a django-import-export resource, in export order.

    The getter returns the typed value (the resource's `dehydrate_<field>` if it has one, else the
    field's attribute, following `__` and calling callables such as `get_level_display`).
    """
    columns = []
    headers = resource.get_export_headers()
    for field, header in zip(resource.get_export_fields(), headers, strict=True):
        method = field.get_dehydrate_method(resource.get_field_name(field))
        if not callable(method):
            method = getattr(resource, method, None)
        if callable(method):
            getter = method
        else:
            getter = _choice_label_getter(resource, field) or field.get_value
        columns.append((str(header), getter))
    return columns


def _choice_label_getter(resource, field):
    """`get_<x>_display` as one dict lookup: Django's version rebuilds the choices on every call, which
    dominates a 100,000-row export. Labels are translated once, in the language active at export time."""
    match = re.fullmatch(r"(?:(.+)__)?get_(\w+)_display", field.attribute or "")
    model = getattr(getattr(resource, "_meta", None), "model", None)
    if not match or model is None:
        return None
    path, name = match.group(1), match.group(2)
    try:
        for step in path.split("__") if path else ():
            model = model._meta.get_field(step).related_model
        model_field = model._meta.get_field(name)
    except Exception:  # not a plain chain of model fields: keep the library's getter
        return None
    labels = {value: str(label) for value, label in model_field.flatchoices}
    steps = path.split("__") if path else []
    attname = model_field.attname

    def getter(obj):
        for step in steps:
            obj = getattr(obj, step, None)
            if obj is None:
                return None
        value = getattr(obj, attname)
        return labels.get(value, value)

    return getter


def plain_value(value):
    """The typed value a cell should hold: text, number, Decimal (2 places), date or naive local time."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if isinstance(value, int | float | dt.date | dt.time):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = str(value)
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)  # control characters a workbook cannot hold
    return text


def iter_rows(resource, queryset) -> Iterator[list]:
    columns = export_columns(resource)
    getters = [g for _, g in columns]
    source = queryset.iterator(chunk_size=CHUNK_SIZE) if isinstance(queryset, QuerySet) else queryset
    for obj in source:
        yield [plain_value(get(obj)) for get in getters]


def display_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(headers: list[str], rows: Iterable[list]) -> list[float]:
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], display_width(value))
    return [min(max(w + 2, 8), 60) for w in widths]


# --- the writer ---------------------------------------------------------------------------------------


class SheetWriter:
    """A streamed, write-only workbook; typed and escaped cells; a new sheet every `max_rows` rows."""

    def __init__(self, headers: list[str], widths: list[float], *, title: str = "", max_rows: int = 0):
        self.wb = Workbook(write_only=True)
        self.headers = headers
        self.widths = widths
        self.title = (title or "Sheet")[:25]
        self.max_rows = max_rows or EXCEL_MAX_ROWS
        self.sheet_count = 0
        self.rows_in_sheet = 0
        self.header_font = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor="DDEBF7")
        self._new_sheet()

    def _new_sheet(self) -> None:
        self.sheet_count += 1
        title = self.title if self.sheet_count == 1 else f"{self.title} ({self.sheet_count})"
        self.ws = self.wb.create_sheet(title)
        self.ws.freeze_panes = "A2"
        for i, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        cells = []
        for header in self.headers:
            cell = WriteOnlyCell(self.ws, value=header)
            cell.font = self.header_font
            cell.fill = self.header_fill
            cells.append(cell)
        self.ws.append(cells)
        self.rows_in_sheet = 1

    def _cell(self, value):
        if isinstance(value, str):
            if value.startswith(FORMULA_PREFIXES):
                cell = WriteOnlyCell(self.ws, value=value)
                cell.data_type = "s"  # openpyxl made it a formula ("f"): force text
                cell.quotePrefix = True
                return cell
            return value
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(self.ws, value=value)
            cell.number_format = MONEY_FORMAT
            return cell
        if isinstance(value, dt.datetime):
            cell = WriteOnlyCell(self.ws, value=value)
            cell.number_format = DATETIME_FORMAT
            return cell
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(self.ws, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        return value

    def append(self, row: list) -> None:
        if self.rows_in_sheet >= self.max_rows:
            self._new_sheet()
        self.ws.append([self._cell(v) for v in row])
        self.rows_in_sheet += 1

    def save(self, target) -> None:
        self.wb.save(target)


def write_xlsx(
    resource,
    queryset,
    target,
    *,
    title: str = "",
    progress: Callable[[int], None] | None = None,
    progress_every: int = 5000,
    max_rows: int = 0,
) -> int:
    """Write the resource's columns for every row of `queryset` into `target` (path or file); rows written."""
    headers = [h for h, _ in export_columns(resource)]
    rows = iter_rows(resource, queryset)
    first = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    writer = SheetWriter(headers, column_widths(headers, first), title=title, max_rows=max_rows)
    count = 0
    for row in itertools.chain(first, rows):
        writer.append(row)
        count += 1
        if progress is not None and count % progress_every == 0:
            progress(count)
    writer.save(target)
    if progress is not None:
        progress(count)
    return count


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def xlsx_response(resource, queryset, filename_stem: str) -> HttpResponse:
    """Download the rows at once as .xlsx (the path for small exports; see export_list for big ones)."""
    buffer = io.BytesIO()
    write_xlsx(resource, queryset, buffer, title=filename_stem)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename_stem}-{_stamp()}.xlsx"'
    return response


def csv_response(resource, queryset, filename_stem: str) -> HttpResponse:
    """Download the rows as UTF-8 CSV (with a BOM so Excel reads Chinese); formula-like text escaped."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h, _ in export_columns(resource)])
    for row in iter_rows(resource, queryset):
        writer.writerow(["" if v is None else safe_cell(_csv_text(v)) for v in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename_stem}-{_stamp()}.csv"'
    return response


def _csv_text(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# --- export sources: what a list exports, rebuilt from (user, filters) in the web and in the worker ----


@dataclass
class ExportSpec:
    resource: Any
    queryset: QuerySet
    filename_stem: str


_SOURCES: dict[str, Callable[[Any, QueryDict], ExportSpec]] = {}


def export_source(name: str):
    """Register `func(user, params: QueryDict) -> ExportSpec`: the scoped, filtered rows of one list."""

    def register(func):
        _SOURCES[name] = func
        return func

    return register


def get_source(name: str) -> Callable[[Any, QueryDict], ExportSpec]:
    if name not in _SOURCES:
        # Sources register when their app's exports/views module is imported.
        from django.apps import apps
        from django.utils.module_loading import module_has_submodule

        for config in apps.get_app_configs():
            for module in ("exports_sources", "views"):
                if module_has_submodule(config.module, module):
                    __import__(f"{config.name}.{module}")
    return _SOURCES[name]


def export_params(params: QueryDict) -> QueryDict:
    """The list's filters without paging or the export format."""
    kept = params.copy()
    for key in ("page", "format"):
        kept.pop(key, None)
    return kept


def export_list(request, source: str):
    """The one export action of a list: ?format=csv, a direct .xlsx, or a background job past the threshold."""
    from django.shortcuts import redirect

    from . import services

    params = export_params(request.GET)
    spec = get_source(source)(request.user, params)
    if request.GET.get("format") == "csv":
        return csv_response(spec.resource, spec.queryset, spec.filename_stem)
    threshold = settings.EXPORT_BACKGROUND_THRESHOLD
    total = spec.queryset.count()
    if total <= threshold:
        return xlsx_response(spec.resource, spec.queryset, spec.filename_stem)
    job = services.export_job_start(
        owner=request.user,
        source=source,
        params=params.urlencode(),
        filename_stem=spec.filename_stem,
        total_rows=total,
    )
    return redirect("export_job_detail", job_id=job.pk)
