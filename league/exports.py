"""Excel downloads shared by every list page: one resource defines the columns, cells are escaped."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would evaluate as a formula is prefixed with an apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_response(resource, queryset, filename_stem: str) -> HttpResponse:
    dataset = resource.export(queryset=queryset)
    for i, row in enumerate(list(dataset)):
        dataset[i] = tuple(safe_cell(v) for v in row)
    content = dataset.export("xlsx")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename_stem}-{stamp}.xlsx"'
    return response
