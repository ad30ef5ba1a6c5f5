"""The Excel benchmark's code at a tiny size, so it cannot rot (figures: docs/benchmarks.md)."""

from openpyxl import load_workbook

from tests.perf import bench_excel


def test_benchmark_code_runs_at_a_tiny_size(db):
    user = bench_excel.seed(120)
    export = bench_excel.run_export(user)
    assert export["rows"] == 120
    ws = load_workbook(export["path"], read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 121 and len(rows[0]) == bench_excel.REPORT_COLUMNS
    assert bench_excel.run_raw(120)["rows"] == 120
    result = bench_excel.run_import(user, 40)
    assert result["history_rows"] == 40
    assert bench_excel.run_people_import(user, 40)["history_rows"] == 40
