"""Gunicorn settings for every gunicorn started from the project's root (gunicorn reads ./gunicorn.conf.py by
default: `make bench`, `make scale`, the systemd unit in deploy/). Command-line options still win.

The application is loaded once in the master, warmed (URLconf and views imported, URL reversing tables built,
both languages' catalogues read, every template compiled) and then frozen for the garbage collector before the
workers are forked. A worker therefore starts ready to serve, shares those pages of memory with its siblings,
and its full collections no longer walk the ~150,000 objects of the loaded application on every pass: those
collections were the heavy pages' latency spikes (measured in docs/benchmarks.md, run 8). Nothing here touches
the database or the broker: the master holds no connection a worker could inherit.
"""

import gc
import logging

preload_app = True


def warm_up() -> None:
    """Load, without any I/O besides reading the project's files, what each request would otherwise load."""
    from django.conf import settings
    from django.template import engines
    from django.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.utils import get_app_template_dirs
    from django.urls import get_resolver, reverse
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (imports every view, form and filter)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Log out")
            reverse("home")  # the reversing tables are built per language
    dirs = [d for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    dirs += get_app_template_dirs("templates")
    engine = engines["django"]
    for base in dirs:
        for path in sorted(base.rglob("*.html")) if hasattr(base, "rglob") else []:
            try:
                engine.get_template(str(path.relative_to(base)))
            except (TemplateDoesNotExist, TemplateSyntaxError):  # e.g. a third party's unused template
                pass


def when_ready(server):
    try:
        warm_up()
    except Exception:  # a worker loads whatever is missing on its first request, as without this file
        logging.getLogger(__name__).exception("gunicorn warm-up failed")
    from django.db import connections

    connections.close_all()
    gc.collect()
    gc.freeze()
