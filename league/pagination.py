"""A paginator for long lists that never counts the whole table: it counts at most a few pages past the
one asked for (`SELECT COUNT(*) FROM (… LIMIT n)`, which an index-ordered list answers by reading n rows),
and says "Page 3 of 13+" when there is more. Going further slides the window."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Window
from django.utils.functional import cached_property

PAGES_AHEAD = 10


class CappedPaginator(Paginator):
    def __init__(
        self, object_list, per_page, *, page=None, ahead: int | None = None, count_rows=None, **kwargs
    ):
        """`count_rows`: the same rows without what only the page shows (e.g. a per-row subquery), to count.
        Rows with a `count_upto(n)` method (the number of rows, up to n) are counted by it."""
        super().__init__(object_list, per_page, **kwargs)
        self.count_rows = count_rows
        try:
            self.asked = max(1, int(page))
        except (TypeError, ValueError):
            self.asked = 1
        self.ahead = PAGES_AHEAD if ahead is None else ahead
        self.capped = False

    @cached_property
    def count(self) -> int:
        limit = (self.asked + self.ahead) * self.per_page
        rows = self.object_list if self.count_rows is None else self.count_rows
        if hasattr(rows, "count_upto"):  # rows that count themselves (SQL written once)
            n = rows.count_upto(limit + 1)
            self.capped = n > limit
            return min(n, limit)
        if hasattr(rows, "query"):  # any limit + 1 rows tell whether there are more: no need to sort them
            rows = rows.order_by()
        head = rows[: limit + 1]
        n = head.count() if hasattr(head, "query") else len(head)
        self.capped = n > limit
        return min(n, limit)

    @property
    def num_pages_label(self) -> str:
        return f"{self.num_pages}+" if self.count and self.capped else str(self.num_pages)


def first_page_or_paginate(queryset, per_page: int, number):
    """Paginator(queryset, per_page).get_page(number), with the first page of a short list (no more than one
    page of rows, as under most organizations) read in one query instead of a COUNT and a page."""
    if number not in (None, "1"):
        return Paginator(queryset, per_page).get_page(number)
    rows = list(queryset[: per_page + 1])
    if len(rows) <= per_page:
        return Paginator(rows, per_page).get_page(1)
    paginator = Paginator(queryset, per_page)
    return paginator._get_page(rows[:per_page], paginator.validate_number(1), paginator)  # rows already read


def _asked(number) -> int:
    """The page number asked for, as Paginator.validate_number reads it (1 when it is not a number)."""
    try:
        return int(number)
    except (TypeError, ValueError):
        return 1


def counted_page(queryset, per_page: int, number):
    """Paginator(queryset, per_page).get_page(number), with the page's rows and the number of rows read in one
    query (COUNT(*) OVER () beside each row) instead of a COUNT and a page, when the page asked for has rows or
    is the first. A page out of range falls back to the paginator's own two queries (after the empty try, for a
    page past the end)."""
    paginator = Paginator(queryset, per_page)
    asked = _asked(number)
    if asked >= 1:
        bottom = (asked - 1) * per_page
        counted = queryset.annotate(rows_in_list=Window(Count("*")))
        rows = list(counted[bottom : bottom + per_page])
        if rows or asked == 1:
            paginator.count = rows[0].rows_in_list if rows else 0  # the cached property, set
            page = paginator.page(asked)
            page.object_list = rows
            return page
    return paginator.get_page(number)


class SqlRows:
    """The rows of a statement written once (league.sqltext.per_vendor), for Paginator and
    first_page_or_paginate as a queryset would be: `count()` runs `count_sql` and a slice runs `rows_sql` with
    its LIMIT and OFFSET as its last two parameters, each row made by `build(row)`. The same queries as the
    queryset it replaces (a COUNT only when a page needs the number of rows), without the ORM's query building."""

    def __init__(
        self,
        count_sql: str,
        rows_sql: str,
        params: list,
        build,
        *,
        counted: bool = False,
        count_params=None,
        upto_sql: str | None = None,
    ):
        """`counted`: each row of `rows_sql` ends with the number of rows of the whole list (COUNT(*) OVER ()),
        which a slice keeps as `total` (None when it read no row) instead of passing it to `build`.
        `count_params`: the parameters of `count_sql` when they are not `params` (a row's column with one).
        `upto_sql`: a count of the rows up to the LIMIT given as its last parameter, for CappedPaginator."""
        self.count_sql, self.rows_sql, self.params, self.build = count_sql, rows_sql, params, build
        self.counted, self.total, self.upto_sql = counted, None, upto_sql
        self.count_params = params if count_params is None else count_params

    def count_upto(self, limit: int) -> int:
        """The number of rows, up to `limit` (CappedPaginator): upto_sql's, else the whole count's."""
        if self.upto_sql is None:
            return min(self.count(), limit)
        with connection.cursor() as cursor:
            cursor.execute(self.upto_sql, [*self.count_params, limit])
            return cursor.fetchone()[0]

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql, self.count_params)
            return cursor.fetchone()[0]

    def __getitem__(self, window: slice) -> list:
        if not isinstance(window, slice) or window.step is not None or window.stop is None:
            raise TypeError("SqlRows reads bounded slices of rows only, as Paginator asks")
        start = window.start or 0
        if window.stop <= start:
            return []
        with connection.cursor() as cursor:
            cursor.execute(self.rows_sql, [*self.params, window.stop - start, start])
            rows = cursor.fetchall()
        if not self.counted:
            return [self.build(row) for row in rows]
        self.total = rows[0][-1] if rows else None
        return [self.build(row[:-1]) for row in rows]


def counted_sql_page(rows: SqlRows, per_page: int, number):
    """counted_page of SqlRows whose statement counts the list beside each row (`counted=True`): the page's rows
    and their number in one statement when the page asked for has rows or is the first; otherwise the
    paginator's own count and page, as Paginator(...).get_page(number)."""
    paginator = Paginator(rows, per_page)
    asked = _asked(number)
    if asked >= 1:
        bottom = (asked - 1) * per_page
        shown = rows[bottom : bottom + per_page]
        if shown or asked == 1:
            paginator.count = rows.total if shown else 0  # the cached property, set
            return paginator._get_page(shown, paginator.validate_number(asked), paginator)
    return paginator.get_page(number)
