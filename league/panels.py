"""Extension points: each app adds panels to the home page and the organization page.

An app lists a module in PANEL_MODULES that may define
    home_panels(request) -> list[Panel]
    organization_panels(request, organization) -> list[Panel]
so the league app never imports feature apps, and a feature never edits league's templates.
"""

from __future__ import annotations

import importlib
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
