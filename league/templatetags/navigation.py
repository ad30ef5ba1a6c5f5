"""`{% nav_menu part %}`: base.html's menus, rendered once per kind of user and kept.

Every page shows the same application menu and user menu, and rendering them (some thirty `{% url %}` and
forty `{% translate %}`) cost more than many pages' own content. What they show depends only on the user's
roles and memberships (names and whether each is visible), the language, the URL prefix and urlconf, so
the rendered HTML is kept in this process under exactly those values: a membership added, renamed or removed
gives a new key, never a stale menu. Nothing in templates/_nav_menu.html may depend on anything else (no CSRF
token, no count, no request path). With DEBUG on, templates are re-read on change, so nothing is kept.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

MENU_TEMPLATE = "_nav_menu.html"
KEPT_AT_MOST = 4096  # distinct (menu, language, roles, memberships) combinations kept per process

_kept: dict[tuple, str] = {}


def menu_key(context, part: str) -> tuple:
    # The application menu depends on the roles alone, so one rendering serves every secretary; the user menu
    # lists the user's own organizations.
    memberships = (
        ()
        if part == "apps"
        else tuple(
            (org.pk, org.name, str(label), bool(visible))
            for org, label, visible in context.get("nav_memberships", ())
        )
    )
    return (part, get_language(), get_script_prefix(), get_urlconf(),
            frozenset(context.get("nav_roles", ())), bool(context.get("nav_is_admin")), memberships)  # fmt: skip


@register.simple_tag(takes_context=True)
def nav_menu(context, part: str) -> str:
    key = menu_key(context, part)
    html = None if settings.DEBUG else _kept.get(key)
    if html is None:
        menu = context.template.engine.get_template(MENU_TEMPLATE)
        with context.push(part=part):
            html = menu.render(context)
        if not settings.DEBUG:
            if len(_kept) >= KEPT_AT_MOST:
                _kept.clear()
            _kept[key] = html
    return mark_safe(html)  # rendered by the template engine, which escaped it
