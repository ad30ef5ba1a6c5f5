"""Walk every URL pattern of the project, so that a view without scoping fails the suite."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

DEFAULT_HIDDEN = frozenset({"street_sibling", "other_county", "outsider"})
DEFAULT_VISIBLE = frozenset({"county", "city", "province", "admin"})
SKIP_NAMESPACES = {"admin"}
SKIP_NAMES = {"set_language", "logout"}  # logout would end the walking session


@dataclass
class Sample:
    pk: object
    hidden: set[str] | frozenset[str] = field(default=DEFAULT_HIDDEN)
    visible: set[str] | frozenset[str] = field(default=DEFAULT_VISIBLE)


@dataclass
class Route:
    route: str  # e.g. "orgs/<int:org_id>/"
    name: str
    keywords: list[str]

    def url(self, values: dict[str, object]) -> str:
        def repl(match):
            return str(values[match.group(2)])

        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", repl, self.route)


def routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns in SKIP_NAMESPACES:
                    continue
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                if p.name in SKIP_NAMES:
                    continue
                route = prefix + str(p.pattern)
                if route.startswith("^") or "(?P" in route:
                    continue  # regex routes (i18n's JavaScript catalog) take no objects
                keywords = re.findall(r"<(?:\w+:)?(\w+)>", route)
                name = f"{namespace}:{p.name}" if namespace else (p.name or route)
                found.append(Route(route, name, keywords))

    walk(get_resolver().url_patterns)
    return found


def samples() -> dict:
    merged: dict = {}
    tests_dir = Path(__file__).parent
    for path in sorted(tests_dir.glob("*/urlsamples.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.urlsamples")
        merged.update(module.SAMPLES)
    return merged
