"""Rows of league's long lists written in one pass (the same HTML as the {% for %} loops they replace, with one
reverse per page: league.rowurls, and no template lookup per cell: league.rowhtml)."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import urlencode
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from league.rowhtml import esc, minute, number
from league.rowurls import row_url

register = template.Library()


@register.simple_tag(takes_context=True)
def panel_body(context, panel):
    """`{% include panel.template with panel=panel.context %}`, written in Python by the panel template's writer
    (league.panels.WRITERS) where it has one and accepts the context."""
    from league.panels import WRITERS

    writer = WRITERS.get(panel.template)
    html = None if writer is None else writer(context, panel.context)
    if html is None:
        template = context.template.engine.get_template(panel.template)
        with context.push(panel=panel.context):
            html = template.render(context)
    return mark_safe(html)


@register.simple_tag
def notice_items(notices):
    """The home's latest notices (or its empty line) as its {% for %} loop wrote them: the unread in bold, each
    with its time as `|date:"Y-m-d H:i"` wrote it."""
    out = [
        f'\n        <li class="mb-1{"" if n.read_at else " fw-semibold"}">{esc(n.title)} <span class="small text-muted">'
        f"{minute(n.created_at)}</span></li>\n      "
        for n in notices
    ]
    if not out:
        out.append(f'\n        <li class="text-muted">{esc(gettext("No notices."))}</li>\n      ')
    return mark_safe("".join(out))


@register.simple_tag(name="row_url")
def row_url_tag(name, pk):
    """`{% url name pk %}` of a route whose one argument is an id, without resolving it for each row."""
    return row_url(name, pk)


@register.simple_tag
def person_rows(people):
    """The people list's rows (each person with `detail_url` and `current_seats` set by the view); the age as
    `{{ p.age_on|default:"—" }}` wrote it: on today's date, a dash when unknown."""
    today = timezone.localdate()
    out = []
    for p in people:
        age = p.age_on(today)
        out.append(
            f'<tr><td><a href="{esc(p.detail_url)}">{esc(p.name)}</a></td><td>{number(age) if age else "—"}</td>'
            f"<td>{esc(p.employer)}</td><td>{esc(p.youth_group)}</td><td>{esc(p.organization.name)}</td>"
            f'<td class="text-end">{number(p.current_seats)}</td></tr>\n  '
        )
    return mark_safe("".join(out))


@register.simple_tag
def organization_rows(organizations):
    """The organization search's rows (each with `detail_url`, `level_label` and `child_count` set by the
    view), as its {% for %} loop wrote them."""
    out = []
    for org in organizations:
        parent = org.parent.name if org.parent is not None else ""
        out.append(
            f'\n      <tr><td><a href="{esc(org.detail_url)}">{esc(org.name)}</a></td><td>{esc(org.level_label)}</td>'
            f'<td>{esc(parent) if parent else "—"}</td><td class="text-end">{number(org.child_count)}</td></tr>\n    '
        )
    return mark_safe("".join(out))


@register.simple_tag
def child_rows(children):
    """The organization page's rows of the units under it (each with `detail_url` and `kind_label` set by the
    view, its region selected with it), or its empty line, as its {% for %} loop wrote them."""
    out = []
    for child in children:
        region = child.region.name if child.region is not None else ""
        out.append(
            f'\n          <tr><td><a href="{esc(child.detail_url)}">{esc(child.name)}</a></td><td>{esc(child.kind_label)}'
            f'</td><td>{esc(region) if region else "—"}</td><td class="text-end">{number(child.child_count)}</td></tr>'
            "\n        "
        )
    if not out:
        nothing = esc(gettext("No units under this organization."))
        out.append(f'\n          <tr><td colspan="4" class="text-muted">{nothing}</td></tr>\n        ')
    return mark_safe("".join(out))


@register.simple_tag
def filter_options(form, name):
    """The <option>s of a filter form's choice field `name`, the one asked selected, as the tree page's
    {% for value, label in form.fields.<name>.choices %} loop wrote them."""
    current = form[name].value()
    return mark_safe(
        "".join(
            f'<option value="{esc(value)}"{" selected" if current == value else ""}>{esc(label)}</option>'
            for value, label in form.fields[name].choices
        )
    )


@register.simple_tag
def level_counts(counts):
    """The organizations under a scope or an organization, level by level — (label, number) each — as the tree
    and organization pages' included loop wrote them."""
    cells = "".join(
        f'<span><span class="text-muted">{esc(label)}</span> <strong>{number(n)}</strong></span>'
        for label, n in counts
    )
    return mark_safe(f'<div class="d-flex flex-wrap gap-3 small">\n{cells}\n</div>\n')


@register.simple_tag(takes_context=True)
def pagination(context, page):
    """What `{% include "_pagination.html" with page=page %}` wrote: the previous and next links keeping the
    request's other parameters, and "Page n of N" (N+ for a capped count), or only the include's newline for a
    single page."""
    if not page.has_other_pages():
        return mark_safe("\n")
    kept = "".join(
        f"{esc(key)}={esc(urlencode(value))}&amp;"
        for key, value in context["request"].GET.items()
        if key != "page"
    )
    previous = next_ = ""
    if page.has_previous():
        previous = (
            f'<li class="page-item"><a class="page-link" href="?{kept}page={number(page.previous_page_number())}">'
            f"{esc(gettext('Previous'))}</a></li>"
        )
    if page.has_next():
        next_ = (
            f'<li class="page-item"><a class="page-link" href="?{kept}page={number(page.next_page_number())}">'
            f"{esc(gettext('Next'))}</a></li>"
        )
    total = getattr(page.paginator, "num_pages_label", "") or page.paginator.num_pages
    shown = gettext("Page %(n)s of %(total)s") % {"n": number(page.number), "total": number(total)}
    return mark_safe(
        f'\n<nav aria-label="{esc(gettext("Pages"))}"><ul class="pagination pagination-sm flex-wrap">\n  {previous}\n'
        f'  <li class="page-item disabled"><span class="page-link">{shown}</span></li>\n  {next_}\n</ul></nav>\n\n'
    )
