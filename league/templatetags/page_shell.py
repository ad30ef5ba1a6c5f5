"""base.html's head, navigation bar and messages, written in Python from parts kept per language.

Every full page pays for base.html, whose shell (five `{% static %}`, five `{% url %}`, ten `{% translate %}`,
the language buttons, three CSRF tokens and the messages loop) cost ~0.7 ms of CPU per request through the
template engine. The parts that are the same for every request are kept in this process under the key
(language, URL script prefix, urlconf): those are all they read, since

- `{% translate %}` and the language names read the active language's catalogue, loaded once per process;
- `{% url %}` of the five non-namespaced names reads the urlconf and the script prefix (no current_app);
- `{% static %}` reads the static files storage (and its manifest, loaded once when the storage is made),
  which only settings change: every kept part is dropped on `setting_changed` (tests' overrides of
  STORAGES, STATIC_URL, DEBUG...), as Django drops its own caches then.

What depends on the request is written for each page and never kept: the CSRF token (one masked token per
request, the `csrf_token` lazy object of the context), whether the user is logged in, their name, the unread
count, the request path and the messages. The menus are `{% nav_menu %}`'s, kept under their own key.
tests/league/test_page_shell.py compares the bytes with the former template (tests/league/base_template.html).
"""

from __future__ import annotations

import warnings

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from .navigation import nav_menu

register = template.Library()

_kept: dict[tuple, dict[str, str]] = {}


def _clear(**_kwargs) -> None:
    _kept.clear()


setting_changed.connect(_clear, dispatch_uid="league.page_shell.clear")


def _parts() -> dict[str, str]:
    language = get_language()
    key = (language, get_script_prefix(), get_urlconf())
    parts = _kept.get(key)
    if parts is not None:
        return parts
    t = {name: escape(gettext(name)) for name in ["League pilot platform", "Notices", "Menu", "Public notices", "Log out"]}  # fmt: skip
    url = {name: escape(reverse(name)) for name in ["home", "public_index", "notice_list", "logout", "set_language"]}  # fmt: skip
    css = [escape(static(p)) for p in ["vendor/bootstrap/bootstrap.min.css", "css/app.css"]]
    js = [escape(static(p)) for p in ["vendor/htmx/htmx.min.js", "vendor/bootstrap/bootstrap.bundle.min.js", "js/app.js"]]  # fmt: skip
    languages = [
        (code, gettext(name)) for code, name in settings.LANGUAGES
    ]  # as {% get_available_languages %}
    nav_open = (
        '\n<nav class="navbar navbar-expand-lg navbar-dark bg-league mb-3">\n  <div class="container-fluid">\n'
        '    <a class="navbar-brand" href="'
    )
    bell = f'\n    <a class="nav-link text-white ms-auto me-2 d-lg-none" href="{url["notice_list"]}" aria-label="{t["Notices"]}">🔔'  # fmt: skip
    toggler = (
        '\n    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#mainnav"'
        f' aria-controls="mainnav" aria-expanded="false" aria-label="{t["Menu"]}"><span class="navbar-toggler-icon">'
        '</span></button>\n    <div class="collapse navbar-collapse" id="mainnav">\n      <ul class="navbar-nav me-auto">\n      '
    )
    public = (
        f'\n        <li class="nav-item"><a class="nav-link" href="{url["public_index"]}">{t["Public notices"]}</a></li>\n'
        '      </ul>\n      <ul class="navbar-nav">\n      '
    )
    lang_form = (
        f'\n        <li class="nav-item">\n          <form method="post" action="{url["set_language"]}"'
        ' class="d-flex align-items-center lang-form">'
    )
    buttons = "".join(
        f'\n              <button class="btn btn-sm btn-outline-light ms-lg-2" type="submit" name="language"'
        f' value="{escape(code)}" lang="{escape(code)}">{escape(name)}</button>\n            '
        for code, name in languages
        if code != language
    )
    parts = {
        "top": (
            f'<!doctype html>\n\n<html lang="{escape(language)}">\n<head>\n  <meta charset="utf-8">\n'
            '  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '  <meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>\n  <title>'
        ),
        "after_title": (
            f" · {t['League pilot platform']}</title>\n"
            + "".join(f'  <link rel="stylesheet" href="{href}">\n' for href in css)
            + "".join(f'  <script src="{src}" defer></script>\n' for src in js)
            + "  "
        ),
        "body": '\n</head>\n<body hx-headers=\'{"X-CSRFToken": "',
        "nav_user": f'"}}\'>{nav_open}{url["home"]}">{t["League pilot platform"]}</a>\n    {bell}',
        "nav_anonymous": f'"}}\'>{nav_open}{url["public_index"]}">{t["League pilot platform"]}</a>\n    {toggler}',
        "after_bell": f"</a>\n    {toggler}",
        "public": public,
        "bell_lg": (
            '\n        <li class="nav-item d-none d-lg-block"><a class="nav-link"'
            f' href="{url["notice_list"]}" aria-label="{t["Notices"]}">🔔'
        ),
        "user_menu": (
            '</a></li>\n        <li class="nav-item dropdown">\n          <a class="nav-link dropdown-toggle" href="#"'
            ' role="button" data-bs-toggle="dropdown" aria-expanded="false" data-testid="user-menu">'
        ),
        "user_menu_items": '</a>\n          <ul class="dropdown-menu dropdown-menu-end">\n            ',
        "logout": f'\n            <li><form method="post" action="{url["logout"]}">',
        "logout_end": (
            f'<button class="dropdown-item" type="submit">{t["Log out"]}</button></form></li>\n'
            "          </ul>\n        </li>\n      "
        ),
        "lang_form": lang_form,
        "next": '\n            <input type="hidden" name="next" value="',
        "buttons": f'">\n            \n            {buttons}\n          </form>\n        </li>\n      </ul>\n'
        '    </div>\n  </div>\n</nav>\n<main class="container-fluid container-xl pb-5">\n  ',
    }
    _kept[key] = parts
    return parts


def _csrf_input(token) -> str:
    """`{% csrf_token %}` (django.template.defaulttags.CsrfTokenNode), for the context's token."""
    if token:
        if token == "NOTPROVIDED":
            return ""
        return f'<input type="hidden" name="csrfmiddlewaretoken" value="{conditional_escape(token)}">'
    if settings.DEBUG:
        warnings.warn(
            "A {% csrf_token %} was used in a template, but the context did not provide the value.  This is "
            "usually caused by not using RequestContext.",
            stacklevel=2,
        )
    return ""


@register.simple_tag(takes_context=True)
def page_top(context) -> str:
    """From `<!doctype html>` to `<title>`; sets LANGUAGE_CODE, as `{% get_current_language %}` did."""
    context["LANGUAGE_CODE"] = get_language()
    return mark_safe(_parts()["top"])


@register.simple_tag
def page_after_title() -> str:
    """From `</title>` to the head block: the title's suffix, stylesheets and scripts."""
    return mark_safe(_parts()["after_title"])


@register.simple_tag(takes_context=True)
def page_nav(context) -> str:
    """From `</head>` to the messages inside `<main>`: the navigation bar and the language form."""
    parts = _parts()
    token = context.get("csrf_token")
    user = context.get("user")
    out = [parts["body"], "" if token is None else conditional_escape(str(token))]
    if getattr(user, "is_authenticated", False):
        count = context.get("nav_unread_count")
        count = count() if callable(count) else count
        badge = f'<span class="badge bg-danger rounded-pill" data-testid="bell-count{{}}">{conditional_escape(count)}</span>'  # fmt: skip
        small, large = (badge.format(""), badge.format("-lg")) if count else ("", "")
        out += [parts["nav_user"], small, parts["after_bell"], nav_menu(context, "apps")]
        out += [parts["public"], parts["bell_lg"], large, parts["user_menu"]]
        out += [conditional_escape(user.get_full_name() or user.username), parts["user_menu_items"]]
        out += [nav_menu(context, "user"), parts["logout"], _csrf_input(token), parts["logout_end"]]
    else:
        out += [parts["nav_anonymous"], parts["public"]]
    request = context.get("request")
    out += [parts["lang_form"], _csrf_input(token), parts["next"]]
    out += ["" if request is None else conditional_escape(request.get_full_path()), parts["buttons"]]
    context["LANGUAGES"] = [
        (code, gettext(name)) for code, name in settings.LANGUAGES
    ]  # {% get_available_languages %}
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def page_messages(context) -> str:
    """The messages loop: reads the storage as `{% for %}` did (its length, then each message if any)."""
    messages = context.get("messages")
    if messages is None:
        return ""
    if not hasattr(messages, "__len__"):
        messages = list(messages)
    if len(messages) < 1:
        return ""
    out = []
    for message in messages:
        tags = message.tags
        kind = "danger" if tags == "error" else conditional_escape(tags or "info")
        out.append(
            f'\n    <div class="alert alert-{kind}" role="alert">{conditional_escape(str(message))}</div>\n  '
        )
    return mark_safe("".join(out))
