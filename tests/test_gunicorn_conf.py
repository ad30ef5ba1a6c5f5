"""The gunicorn settings' warm-up: it loads the URLconf, both catalogues and every template without a query,
so the master can freeze them for the garbage collector and hold no connection its workers would inherit."""

import gc
import runpy
from pathlib import Path

from django.template import engines

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def cached_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]
    return {template.origin.template_name for template in loader.get_template_cache.values()
            if hasattr(template, "origin")}  # fmt: skip


def test_warm_up_compiles_templates_without_queries():
    # No database fixture: pytest-django raises on any query, so this also proves the warm-up makes none.
    conf = runpy.run_path(str(CONF))
    assert conf["preload_app"] is True
    engines["django"].engine.template_loaders[0].reset()
    conf["warm_up"]()
    names = cached_names()
    assert {"base.html", "league/home.html", "pilots/report_list.html"} <= names


def test_when_ready_freezes_and_closes_connections(transactional_db):
    conf = runpy.run_path(str(CONF))
    from django.db import connection

    connection.ensure_connection()
    try:
        conf["when_ready"](None)
        assert gc.get_freeze_count() > 10_000
        if connection.vendor != "sqlite":  # the tests' in-memory SQLite is never closed, by design
            assert connection.connection is None
    finally:
        gc.unfreeze()
