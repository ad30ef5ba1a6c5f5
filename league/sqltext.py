"""SQL written once per database vendor.

A few statements run on nearly every page (the bell's count, the home's panels, a page of lineup verdicts…):
building them through the ORM cost more CPU per request than running them. Their text is built from the
models' metadata (tables and columns as the ORM names them; every value a parameter) the first time it is
needed on a database vendor, and reused. Each such statement is tested against the ORM query it replaces.
"""

import functools

from django.db import connection


def per_vendor(build):
    """Decorator: keep what `build(*args)` returns (SQL text, or a tuple of texts) per database vendor and
    arguments (hashable), so it is built once per process."""
    built: dict = {}

    @functools.wraps(build)
    def text(*args):
        key = (connection.vendor, *args)
        try:
            return built[key]
        except KeyError:
            value = built[key] = build(*args)
            return value

    text.built = built
    return text
