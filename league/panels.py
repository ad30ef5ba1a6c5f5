"""Extension points: each app adds panels to the home page and the organization page.

An app lists a module in PANEL_MODULES that may define
    home_panels(request) -> list[Panel]
    organization_panels(request, organization) -> list[Panel]
so the league app never imports feature apps, and a feature never edits league's templates.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

PANEL_MODULES = ("league.lineup_panels", "pilots.panels", "elections.panels", "grassroots.panels")
# The home panels that show the user's scope roots ask policies.scope_root_list for this many (read once per
# request) and show as many of them as they need.
HOME_ROOT_COUNT = 3


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


# Panel templates that a function also writes in Python, with the same bytes as the template for the contexts
# it accepts (it returns None for any other, which the template renders): the home page shows several panels on
# every request, and each template's lookups, translations and reverses cost more than the rest of its page
# (tests/league/test_panel_writers.py compares the pages written both ways).
WRITERS: dict[str, Callable] = {}


def writes(template: str):
    """Decorator: `writer(context, panel_context) -> str | None` writes what `template` renders for
    `{% include template with panel=panel_context %}` (escaped as the template escapes), or None to have the
    template render it."""

    def register(writer):
        WRITERS[template] = writer
        return writer

    return register


def _modules():
    for name in PANEL_MODULES:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def home_panels(request) -> list[Panel]:
    panels: list[Panel] = []
    for module in _modules():
        if hasattr(module, "home_panels"):
            panels.extend(module.home_panels(request))
    return sorted(panels, key=lambda p: p.order)


def organization_panels(request, organization) -> list[Panel]:
    panels: list[Panel] = []
    for module in _modules():
        if hasattr(module, "organization_panels"):
            panels.extend(module.organization_panels(request, organization))
    return sorted(panels, key=lambda p: p.order)
