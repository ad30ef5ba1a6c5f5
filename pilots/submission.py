"""A report's submission written in one statement on PostgreSQL.

Submitting a report writes five tables: the report (UPDATE), its historical row (django-simple-history's
post_save) with that row's client IP (league/history.py), the submitted version, and the dashboard counters
of the organization and each ancestor (pilots/tallies.py). Through the ORM these were five statements, each
compiled per request; here they are one, with data-modifying WITH clauses: the report's UPDATE, then INSERTs
whose values the ORM would have sent, prepared as it prepares them (Field.pre_save, get_db_prep_save). Its text
is built from the models' metadata once per shape (columns written, origin or not, counter rows).

It writes the rows the ORM path writes (tests/pilots/test_submission_sql.py compares them), so it is used only
where that holds: on PostgreSQL (SQLite has no INSERT or UPDATE in WITH), and while the models' signal
receivers are the ones whose writes it does: simple_history's post_save on Report (its historical row, with
simple_history's own user, reason and date rules: `REPORT_HISTORY`) and league.history's
`_record_origin`. Should another receiver be connected (an audit hook, a cache), `applies()` is false and
services._submit takes the ORM path, which sends every signal.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import signals
from django.utils import timezone
from simple_history import signals as history_signals
from simple_history.models import HistoricalRecords

from league.history import _record_origin, client_ip
from league.models import HistoryOrigin
from league.sqltext import per_vendor

from . import tallies
from .models import REPORT_HISTORY, Report, ReportVersion

HISTORY_TYPE = "~"  # simple_history's history_type of a change (post_save of a row that existed)


def applies(report: Report) -> bool:
    """Whether `write` stores what the ORM path would for `report`: PostgreSQL, history kept as simple_history
    keeps it on a save, and no signal receiver but the ones it stands in for."""
    if connection.vendor != "postgresql":
        return False
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or hasattr(report, "skip_history_when_saving"):
        return False
    records = REPORT_HISTORY
    historical = _historical_model()
    if historical._history_m2m_fields or getattr(historical, "history_relation", None) is not None:
        return False
    if _receivers(signals.post_save, Report) != [records.post_save]:
        return False
    for model in (Report, historical, ReportVersion, HistoryOrigin):
        if _receivers(signals.pre_save, model) or (
            model is not Report and _receivers(signals.post_save, model)
        ):
            return False
    if _receivers(history_signals.pre_create_historical_record, historical):
        return False
    return all(
        r == _record_origin for r in _receivers(history_signals.post_create_historical_record, historical)
    )


@functools.cache
def _historical_model():
    """HistoricalReport (reading `Report.history` builds a manager class each time: ~0.3 ms)."""
    return Report.history.model


def _receivers(signal, sender) -> list:
    sync, asynchronous = signal._live_receivers(sender)
    return [*sync, *asynchronous]


def write(report: Report, *, update_fields: list[str], version: ReportVersion, deltas: dict) -> None:
    """Save `update_fields` of the locked `report` (the caller set them), its historical row and origin as
    simple_history and league.history would on that save, insert `version` and add the counter `deltas`
    (tallies.slot_deltas), in one statement of the caller's transaction. Only where applies() is true."""
    records = REPORT_HISTORY
    historical_model = _historical_model()
    # simple_history's create_historical_record, its rules and values, without its save.
    attrs = {field.attname: getattr(report, field.attname) for field in records.fields_included(report)}
    historical = historical_model(
        history_date=getattr(report, "_history_date", timezone.now()),
        history_type=HISTORY_TYPE,
        history_user=records.get_history_user(report),
        history_change_reason=records.get_change_reason_for_object(report, HISTORY_TYPE, None),
        **attrs,
    )
    address = None
    if _receivers(history_signals.post_create_historical_record, historical_model):  # league.history's origin
        address = client_ip(getattr(HistoricalRecords.context, "request", None))
    origin = (
        HistoryOrigin(history_model=historical_model._meta.label_lower, ip_address=address)
        if address
        else None
    )
    counters = tallies.upserts(deltas)
    if len(counters) > 1:  # more rows than a batch: not a slot's (a slot counts in its organization's path)
        raise ValueError("the counter deltas of one submission fit one statement")
    fields = [Report._meta.get_field(name) for name in update_fields]
    params = [field.get_db_prep_save(field.pre_save(report, False), connection) for field in fields]
    params.append(report.pk)
    params += _insert_params(historical)
    if origin is not None:
        params += _insert_params(origin, skip="history_id")
    params += _insert_params(version)
    for _sql, counter_params in counters:
        params += counter_params
    sql = _statement(tuple(update_fields), origin is not None, counters[0][0] if counters else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (updated,) = cursor.fetchone()
    if updated != 1:  # as Model.save(update_fields=…) says when the row has gone
        raise DatabaseError("Save with update_fields did not affect any rows.")


@functools.cache
def _inserted(model, skip: str = "") -> list:
    """The fields an INSERT of `model` writes (as the ORM's: every concrete field but a generated primary key)."""
    return [f for f in model._meta.concrete_fields if not f.generated and f is not model._meta.auto_field and
            f.attname != skip]  # fmt: skip


def _insert_params(instance, skip: str = "") -> list:
    return [
        field.get_db_prep_save(field.pre_save(instance, True), connection)
        for field in _inserted(type(instance), skip)
    ]


@per_vendor
def _statement(update_fields: tuple[str, ...], with_origin: bool, counters: str) -> str:
    qn = connection.ops.quote_name

    def table(model):
        return qn(model._meta.db_table)

    def columns(fields):
        return ", ".join(qn(f.column) for f in fields)

    def placeholders(fields):
        return ", ".join(["%s"] * len(fields))

    historical = _historical_model()
    history_id = qn(historical._meta.pk.column)
    sets = ", ".join(f"{qn(Report._meta.get_field(name).column)} = %s" for name in update_fields)
    parts = [
        f"{qn('r')} AS (UPDATE {table(Report)} SET {sets} WHERE {qn(Report._meta.pk.column)} = %s RETURNING 1)"
    ]
    fields = _inserted(historical)
    parts.append(f"{qn('h')} AS (INSERT INTO {table(historical)} ({columns(fields)}) VALUES ({placeholders(fields)})"
                 f" RETURNING {history_id})")  # fmt: skip
    if with_origin:
        fields = _inserted(HistoryOrigin)
        values = ", ".join(history_id if f.attname == "history_id" else "%s" for f in fields)
        parts.append(f"{qn('o')} AS (INSERT INTO {table(HistoryOrigin)} ({columns(fields)})"
                     f" SELECT {values} FROM {qn('h')})")  # fmt: skip
    fields = _inserted(ReportVersion)
    parts.append(
        f"{qn('v')} AS (INSERT INTO {table(ReportVersion)} ({columns(fields)}) VALUES ({placeholders(fields)}))"
    )
    if counters:
        parts.append(f"{qn('t')} AS ({counters})")
    return f"WITH {', '.join(parts)} SELECT COUNT(*) FROM {qn('r')}"
