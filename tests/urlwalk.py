"""Walk every URL pattern of the project, so that a view without scoping fails the suite.

Each app's tests/<app>/urlsamples.py holds:
    SAMPLES: URL keyword -> function(world) -> Sample (an object of 中河街道 or of the `street` persona,
             which personas must get 404 for it, which must see it)
    FORBIDDEN (optional): URL name -> personas that see the object but may not take the page's action,
             so they must get 403; either a set (every method the view accepts) or {method: set}.
The walk in tests/test_url_authorization.py tries every route × persona × HTTP method.
"""

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
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MISSING = {"int": 2147483646, "str": "no-such-object", "slug": "no-such-object", "path": "no/such/object"}


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
    converters: dict[str, str] = field(default_factory=dict)

    def url(self, values: dict[str, object]) -> str:
        def repl(match):
            return str(values[match.group(2)])

        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", repl, self.route)

    def missing_values(self) -> dict[str, object]:
        """Values that match the route's converters but name no object at all."""
        return {k: MISSING.get(self.converters.get(k, "str"), MISSING["int"]) for k in self.keywords}


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
                pairs = re.findall(r"<(?:(\w+):)?(\w+)>", route)
                keywords = [name for _conv, name in pairs]
                converters = {name: conv or "str" for conv, name in pairs}
                name = f"{namespace}:{p.name}" if namespace else (p.name or route)
                found.append(Route(route, name, keywords, converters))

    walk(get_resolver().url_patterns)
    return found


def _modules():
    tests_dir = Path(__file__).parent
    for path in sorted(tests_dir.glob("*/urlsamples.py")):
        yield importlib.import_module(f"tests.{path.parent.name}.urlsamples")


def samples() -> dict:
    merged: dict = {}
    for module in _modules():
        merged.update(module.SAMPLES)
    return merged


def forbidden() -> dict[str, dict[str, set[str]] | set[str]]:
    """URL name -> personas that must get 403 (see the module docstring)."""
    merged: dict = {}
    for module in _modules():
        merged.update(getattr(module, "FORBIDDEN", {}))
    return merged


def forbidden_for(rules: dict, route_name: str, method: str) -> set[str]:
    rule = rules.get(route_name)
    if rule is None:
        return set()
    if isinstance(rule, dict):
        return set(rule.get(method, set()))
    return set(rule)
