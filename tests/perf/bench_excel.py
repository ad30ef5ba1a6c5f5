"""Benchmark of the Excel machinery (issue 9): a 100,000-row × 20-column export through the background
path vs raw openpyxl write-only in the same run, its peak memory, and a 20,000-row import.

    .venv/bin/python tests/perf/bench_excel.py                    # full size, about a minute
    .venv/bin/python tests/perf/bench_excel.py --rows 2000 --import-rows 500   # quick look

Each measurement runs in its own process (fresh peak RSS), on a throwaway SQLite database under a temporary
VAR_DIR (DATABASE_URL is honoured, e.g. a PostgreSQL URL). tests/league/test_bench_excel.py runs the same
functions at a tiny size inside `make test`, so this file cannot rot. Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "league.settings")

REPORT_COLUMNS = 20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the data: organizations read as "report-like" rows of 20 typed columns ----------------------------


def report_resource():
    from django.utils.translation import gettext_lazy as _
    from import_export import fields, resources

    from league.models import Organization

    class ReportLikeResource(resources.ModelResource):
        """20 columns as a monthly report has them: text, dates, counts, money, a rate, a remark."""

        code = fields.Field(attribute="code", column_name=_("Code"))
        name = fields.Field(attribute="name", column_name=_("Name"))
        parent_code = fields.Field(attribute="parent__code", column_name=_("Parent code"))
        parent_name = fields.Field(attribute="parent__name", column_name=_("Parent"))
        level = fields.Field(attribute="get_level_display", column_name=_("Level"))
        kind = fields.Field(attribute="get_kind_display", column_name=_("Kind"))
        domain = fields.Field(attribute="get_domain_display", column_name=_("Domain"))
        region = fields.Field(attribute="region__name", column_name=_("Region"))
        created = fields.Field(attribute="created_at", column_name="填报时间")
        period = fields.Field(column_name="月份")
        due = fields.Field(column_name="截止日期")
        headcount = fields.Field(column_name="团员人数")
        activities = fields.Field(column_name="活动次数")
        volunteers = fields.Field(column_name="志愿者人次")
        budget = fields.Field(column_name="预算（元）")
        spent = fields.Field(column_name="支出（元）")
        balance = fields.Field(column_name="结余（元）")
        rate = fields.Field(column_name="完成率")
        status = fields.Field(column_name="状态")
        remark = fields.Field(column_name="备注")

        class Meta:
            model = Organization
            fields = ("code", "name", "parent_code", "parent_name", "level", "kind", "domain", "region",
                      "created", "period", "due", "headcount", "activities", "volunteers", "budget", "spent",
                      "balance", "rate", "status", "remark")  # fmt: skip
            export_order = fields

        def dehydrate_period(self, o):
            return dt.date(2026, 1 + o.pk % 12, 1)

        def dehydrate_due(self, o):
            return dt.date(2026, 1 + o.pk % 12, 10)

        def dehydrate_headcount(self, o):
            return 10 + o.pk % 90

        def dehydrate_activities(self, o):
            return o.pk % 7

        def dehydrate_volunteers(self, o):
            return o.pk % 130

        def dehydrate_budget(self, o):
            return Decimal(5000 + o.pk % 1000) / 2

        def dehydrate_spent(self, o):
            return Decimal(1000 + o.pk % 3000) / 3

        def dehydrate_balance(self, o):
            return self.dehydrate_budget(o) - self.dehydrate_spent(o)

        def dehydrate_rate(self, o):
            return (o.pk % 100) / 100

        def dehydrate_status(self, o):
            return ("已提交", "已退回", "已通过")[o.pk % 3]

        def dehydrate_remark(self, o):
            return '=HYPERLINK("http://x")' if o.pk % 50 == 0 else f"第{o.pk % 4 + 1}周按时完成"

    return ReportLikeResource()


def register_source():
    from league import policies
    from league.exports import ExportSpec, export_source
    from league.models import Organization

    @export_source("bench_reports")
    def bench_reports(user, params):
        qs = policies.organizations_for(user, "export").filter(code__startswith="BENCH-", level="grassroots")
        return ExportSpec(
            report_resource(), qs.select_related("parent", "region").order_by("path"), "reports"
        )

    return Organization


def seed(rows: int):
    """`rows` grassroots units under one street, with paths, in bulk (a few seconds for 100,000)."""
    from django.contrib.auth import get_user_model

    from league.models import Level, Organization, path_segment

    street = Organization.objects.filter(code="BENCH-STREET").first()
    if street is None:
        root = Organization.objects.create(code="BENCH-ROOT", name="基准测试县", level=Level.COUNTY)
        street = Organization.objects.create(code="BENCH-STREET", name="基准测试街道", level=Level.STREET,
                                             parent=root)  # fmt: skip
    have = street.children.count()
    batch = []
    for i in range(have, rows):
        batch.append(Organization(code=f"BENCH-{i:07d}", name=f"基准测试第{i}团支部", level=Level.GRASSROOTS,
                                  parent=street, path="", depth=street.depth + 1))  # fmt: skip
    created = Organization.objects.bulk_create(batch, batch_size=2000)
    if created and created[0].pk is None:
        created = list(Organization.objects.filter(parent=street, path=""))
    for o in created:
        o.path = street.path + path_segment(o.pk)
    Organization.objects.bulk_update(created, ["path"], batch_size=2000)
    admin, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    return admin


def run_export(user) -> dict:
    """The background path as the worker runs it: an ExportJob, then services.export_job_run."""
    from django.http import QueryDict

    from league import services
    from league.exports import get_source
    from league.models import ExportJob

    register_source()
    total = get_source("bench_reports")(user, QueryDict()).queryset.count()
    started, cpu = time.perf_counter(), time.process_time()
    job = services.export_job_start(owner=user, source="bench_reports", params="", filename_stem="reports",
                                    total_rows=total)  # fmt: skip
    services.export_job_run(job_id=job.pk)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    job = ExportJob.objects.get(pk=job.pk)
    assert job.status == "done" and job.done_rows == total, (job.status, job.error)
    return {
        "rows": total,
        "seconds": seconds,
        "cpu_s": cpu,
        "file_mb": job.file.size / 1e6,
        "path": job.file.path,
    }


def run_raw(rows: int) -> dict:
    """Raw openpyxl write-only writing rows of the same shape and types (values prepared beforehand)."""
    from openpyxl import Workbook

    now = dt.datetime(2026, 3, 5, 9, 30)
    data = [
        [f"BENCH-{i:07d}", f"基准测试第{i}团支部", "BENCH-STREET", "基准测试街道", "基层组织", "团委", "城市街道",
         None, now, dt.date(2026, 1 + i % 12, 1), dt.date(2026, 1 + i % 12, 10), 10 + i % 90, i % 7, i % 130,
         Decimal(5000 + i % 1000) / 2, Decimal(1000 + i % 3000) / 3, Decimal(1), (i % 100) / 100, "已提交",
         f"第{i % 4 + 1}周按时完成"]
        for i in range(rows)
    ]  # fmt: skip
    started, cpu = time.perf_counter(), time.process_time()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("raw")
    ws.append([f"列{i}" for i in range(REPORT_COLUMNS)])
    for row in data:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return {"rows": rows, "seconds": time.perf_counter() - started, "cpu_s": time.process_time() - cpu}


def import_workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    from league.services import ORG_HEADERS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append([str(h) for h in ORG_HEADERS.values()])
    for i in range(rows):
        ws.append([f"IMP-{i:06d}", f"导入测试第{i}团支部", "BENCH-STREET", "基层", "团支部", "城市街道", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run_import(user, rows: int) -> dict:
    """Validate (preview) then apply in one transaction, with the audit trail written for every row."""
    from league import imports, services
    from league.models import Organization

    data = import_workbook(rows)
    started = time.perf_counter()
    token, plan = imports.import_preview(importer=services.ORGANIZATION_IMPORTER, by=user, upload=data)
    checked = time.perf_counter()
    assert token and plan.count("new") == rows, plan.errors[:3]
    applied = imports.import_apply(importer=services.ORGANIZATION_IMPORTER, by=user, token=token)
    done = time.perf_counter()
    assert applied.ok
    history = Organization.history.filter(code__startswith="IMP-").count()
    assert history == rows, history
    return {"rows": rows, "validate_s": checked - started, "apply_s": done - checked, "total_s": done - started,
            "history_rows": history}  # fmt: skip


def people_workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    from league.imports_people import _headers
    from league.validators import id_check_digit

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(_headers())
    for i in range(rows):
        born = dt.date(1990, 1, 1) + dt.timedelta(days=i % 5000)
        first17 = f"{330200 + i // 5000}{born:%Y%m%d}{i % 1000:03d}"  # unique for i < 500,000
        id_number = first17 + id_check_digit(first17)
        ws.append(["BENCH-STREET", f"测试人员{i}", "男" if i % 2 else "女", born, id_number,
                   f"138{i:08d}", "某单位", "团员", ""])  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run_people_import(user, rows: int) -> dict:
    """The people import (league/imports_people.py): preview, then apply with bulk history."""
    from league import imports
    from league.imports_people import PEOPLE_IMPORTER
    from league.models import Person

    data = people_workbook(rows)
    started = time.perf_counter()
    token, plan = imports.import_preview(importer=PEOPLE_IMPORTER, by=user, upload=data)
    checked = time.perf_counter()
    assert token and plan.count("new") == rows, plan.errors[:3]
    assert imports.import_apply(importer=PEOPLE_IMPORTER, by=user, token=token).ok
    done = time.perf_counter()
    history = Person.history.filter(name__startswith="测试人员").count()
    assert history == rows, history
    return {"rows": rows, "validate_s": checked - started, "apply_s": done - checked, "total_s": done - started,
            "history_rows": history}  # fmt: skip


# --- driver: one process per measurement -------------------------------------------------------------


def _child(mode: str, rows: int, import_rows: int) -> None:
    import django

    django.setup()
    base = peak_rss_mb()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="bench-admin") if mode != "seed" else None
    if mode == "seed":
        seed(rows)
        result = {}
    elif mode == "export":
        result = run_export(user)
    elif mode == "raw":
        result = run_raw(rows)
    elif mode == "people":
        result = run_people_import(user, import_rows)
    else:
        result = run_import(user, import_rows)
    result.update({"mode": mode, "peak_rss_mb": peak_rss_mb(), "rss_after_setup_mb": base})
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.rows, args.import_rows)
        return
    env = dict(os.environ)
    var = tempfile.mkdtemp(prefix="bench-excel-")
    env.setdefault("VAR_DIR", var)
    env["LOG_LEVEL"] = "WARNING"
    env.pop("CELERY_BROKER_URL", None)
    py = [sys.executable, __file__, "--rows", str(args.rows), "--import-rows", str(args.import_rows)]
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    def child(mode):
        out = subprocess.run(
            [*py, "--child", mode], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    child("seed")
    # Export and raw alternate, best of `--repeat` each: on a shared machine the load changes between runs,
    # so CPU seconds (user + system of the process) are compared as well as wall seconds.
    runs = {"export": [], "raw": []}
    for _ in range(args.repeat):
        for mode in ("export", "raw"):
            runs[mode].append(child(mode))
    export = min(runs["export"], key=lambda r: r["seconds"])
    raw = min(runs["raw"], key=lambda r: r["seconds"])
    export_cpu = min(r["cpu_s"] for r in runs["export"])
    raw_cpu = min(r["cpu_s"] for r in runs["raw"])
    imp = child("import")
    people = child("people")
    print(f"database: {env.get('DATABASE_URL', 'SQLite under ' + env['VAR_DIR'])}; best of {args.repeat}")
    print(f"export  {export['rows']:>7} rows × {REPORT_COLUMNS} cols: {export['seconds']:.1f} s wall, "
          f"{export_cpu:.1f} s CPU ({export['rows'] / export['seconds']:.0f} rows/s), "
          f"peak RSS {max(r['peak_rss_mb'] for r in runs['export']):.0f} MB "
          f"(after Django setup {export['rss_after_setup_mb']:.0f} MB), file {export['file_mb']:.1f} MB")  # fmt: skip
    print(f"raw     {raw['rows']:>7} rows × {REPORT_COLUMNS} cols: {raw['seconds']:.1f} s wall, {raw_cpu:.1f} s CPU "
          f"({raw['rows'] / raw['seconds']:.0f} rows/s)")  # fmt: skip
    print(
        f"ratio   export / raw = {export['seconds'] / raw['seconds']:.2f} wall, {export_cpu / raw_cpu:.2f} CPU"
    )
    print(f"import  {imp['rows']:>7} rows: validate {imp['validate_s']:.1f} s + apply {imp['apply_s']:.1f} s = "
          f"{imp['total_s']:.1f} s, peak RSS {imp['peak_rss_mb']:.0f} MB, {imp['history_rows']} history rows")  # fmt: skip
    print(f"people  {people['rows']:>7} rows: validate {people['validate_s']:.1f} s + apply {people['apply_s']:.1f} s = "
          f"{people['total_s']:.1f} s, peak RSS {people['peak_rss_mb']:.0f} MB, {people['history_rows']} history rows")  # fmt: skip


if __name__ == "__main__":
    main()
