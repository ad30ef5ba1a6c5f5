"""Pages of the organization domain: home, tree, organization, import, notices, health."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from kombu import Connection

from . import audit, imports, org_page, panels, policies, services
from .exports import ExportSpec, export_list, export_params, export_source
from .filters import OrganizationFilter
from .forms import ImportForm, OrganizationForm
from .locking import StaleObjectError
from .models import (
    Kind,
    Level,
    LevelCount,
    Notice,
    Organization,
    Region,
    WorkerHeartbeat,
    subtree_sql,
)
from .pagination import CappedPaginator, first_page_or_paginate
from .resources import OrganizationResource
from .rowurls import url_for_id
from .spreadsheets import SpreadsheetError
from .sqltext import newest_sql


def _level_counts(
    roots: list[str], singles: list[str] = (), excluding: int | None = None
) -> list[tuple[str, int]]:
    """How many organizations of each level lie in the subtrees of `roots` or are among `singles` (paths),
    less the organization `excluding` (a pk): one COUNT per level, written as SQL here rather than built by
    the ORM on every home and organization page (~0.4 ms of CPU). A subtree is the range of paths its
    index reads (league.models.subtree_sql); the same rows as path__startswith (tests/league/test_level_counts.py
    compares them)."""
    counts = {}
    if roots or singles:
        qn = connection.ops.quote_name
        within, params = [], []
        for path in roots:
            sql, bounds = subtree_sql("path", path)
            within.append(f"({sql})")
            params += bounds
        if singles:
            within.append(f"path IN ({', '.join(['%s'] * len(singles))})")
            params += singles
        sql = f"SELECT level, COUNT(*) FROM {qn(Organization._meta.db_table)} WHERE ({' OR '.join(within)})"
        if excluding is not None:
            sql += " AND id <> %s"
            params.append(excluding)
        with connection.cursor() as cursor:
            cursor.execute(sql + " GROUP BY level", params)
            counts = dict(cursor.fetchall())
    return [(label, counts.get(value, 0)) for value, label in Level.choices]


def _visible_level_counts(user) -> list[tuple[str, int]]:
    """_level_counts of what the user sees; for a platform admin (everything) the database's running totals
    (LevelCount, kept by triggers) rather than a count of every organization of the country."""
    scope = policies.scope_split(user, "view")
    if scope is not None:
        return _level_counts(*scope)
    counts = LevelCount.as_dict()
    return [(label, counts.get(value, 0)) for value, label in Level.choices]


def recent_notices(user_id: int, limit: int = 5) -> list[Notice]:
    """`Notice.objects.filter(recipient=user).only("title", "read_at", "created_at")[:limit]` (newest first, as
    Notice's ordering), as SQL written once per database vendor: every home page shows them, and building the
    ORM's query cost ~0.3 ms of CPU per request against ~0.1 ms this way (tests/league/test_home_queries.py
    compares the rows)."""
    return list(
        Notice.objects.raw(
            newest_sql(Notice, "recipient", ("id", "title", "created_at", "read_at")), [user_id, limit]
        )
    )


@require_GET
def home(request):
    user = request.user
    context = {
        # (role, path, organization, whether the user sees its page: an instructor only their units')
        "memberships": [(r, p, o, policies.can(user, "view", o)) for r, p, o in policies.memberships(user)],
        "level_counts": _visible_level_counts(user),
        "can_import": policies.scope_paths(user, "import") != [],
        "is_admin": policies.is_platform_admin(user),
        "panels": panels.home_panels(request),
        "recent_notices": recent_notices(user.pk),
    }
    return render(request, "league/home.html", context)


@require_GET
def organization_tree(request):
    user = request.user
    filters = OrganizationFilter(
        request.GET, queryset=None
    )  # its form; its rows are the user's organizations'
    context = {
        "query": request.GET.get("q", "").strip(),
        "filters": filters,
        "export_query": export_params(request.GET).urlencode(),
        "level_counts": _visible_level_counts(user),
        "can_import": policies.scope_paths(user, "import") != [],
    }
    if filters.active:
        filters.errors  # noqa: B018  (validated, as filters.qs would: the fields it filters by are those valid)
        # The search as SQL written once (org_page.search), or through the ORM for a text with a case.
        found = org_page.search(user, filters.form.cleaned_data)
        if found is None:
            filters.queryset = policies.organizations_for(user)
            found = (
                filters.qs.select_related("parent")
                .only("name", "level", "child_count", "parent__name")
                .order_by("path")
            )
        asked = request.GET.get("page")  # a search over the whole country counts ten pages ahead at most
        paginator = CappedPaginator(found, settings.PAGE_SIZE, page=asked, count_rows=found)
        context["page"] = page = paginator.get_page(asked)
        # Each level's label translated once, not once per row; the page's list read once, not row by row.
        detail_url, levels = url_for_id("organization_detail"), {k: str(v) for k, v in Level.choices}
        for org in page.object_list:
            org.detail_url, org.level_label = detail_url(org.pk), levels.get(org.level, org.level)
    else:
        context["roots"] = policies.scope_roots(user).order_by("path")
    return render(request, "league/tree.html", context)


@require_GET
def organization_children(request, org_id: int):
    """The children of one node, for the tree's expand (htmx partial)."""
    organization = policies.get_organization(request.user, org_id)
    limit = 500
    nodes = list(organization.children.order_by("name")[: limit + 1])
    return render(
        request,
        "league/_tree_nodes.html",
        {"nodes": nodes[:limit], "truncated": len(nodes) > limit, "parent": organization},
    )


def _ancestors(organization: Organization) -> list[Organization]:
    """`organization.ancestors().only("name", "path")` (top first), as SQL rather than the ORM's query built on
    every organization page (tests/league/test_org_rows.py compares them)."""
    ids = organization.ancestor_ids
    if not ids:
        return []
    qn, meta = connection.ops.quote_name, Organization._meta
    sql = (
        f"SELECT {qn('id')}, {qn('name')}, {qn('path')} FROM {qn(meta.db_table)}"
        f" WHERE {qn('id')} IN ({', '.join(['%s'] * len(ids))}) ORDER BY {qn('depth')}"
    )
    return list(Organization.objects.raw(sql, ids))


def _regions_with_unit_counts(organization_id: int) -> list[Region]:
    """The organization's regions in their order, each with `unit_count` (its units): the rows of
    `Region.objects.filter(organization=...).annotate(unit_count=Count("units")).order_by("order", "name")`, as
    SQL rather than the ORM's grouped query built on every organization page (tests/league/test_org_rows.py
    compares them)."""
    qn = connection.ops.quote_name
    regions, orgs = qn(Region._meta.db_table), qn(Organization._meta.db_table)
    columns = ", ".join(f"r.{qn(name)}" for name in ("id", "organization_id", "name", "order"))
    sql = (
        f"SELECT {columns}, COUNT(o.{qn('id')}) AS unit_count FROM {regions} r"
        f" LEFT OUTER JOIN {orgs} o ON o.{qn('region_id')} = r.{qn('id')}"
        f" WHERE r.{qn('organization_id')} = %s GROUP BY {columns} ORDER BY r.{qn('order')}, r.{qn('name')}"
    )
    return list(Region.objects.raw(sql, [organization_id]))


@require_GET
def organization_detail(request, org_id: int):
    user = request.user
    organization = policies.get_organization(user, org_id)
    # What the path shows of each ancestor (its name, link, and whether the user may open it).
    ancestors = [(a, policies.can(user, "view", a)) for a in _ancestors(organization)]
    # Each child's number of units under it is the one the database keeps (Organization.child_count).
    children_page = first_page_or_paginate(
        org_page.children(organization.pk), settings.PAGE_SIZE, request.GET.get("page")
    )
    detail_url, kinds = url_for_id("organization_detail"), dict(Kind.choices)
    for child in children_page:  # what a row shows, without a reverse or a choices lookup per row
        child.detail_url, child.kind_label = detail_url(child.pk), kinds.get(child.kind, child.kind)
    can_manage = policies.can(user, "manage", organization)
    context = {
        "organization": organization,
        "ancestors": ancestors,
        "children_page": children_page,
        "regions": _regions_with_unit_counts(organization.pk),
        "subtree_counts": _level_counts([organization.path], excluding=organization.pk),
        "memberships": org_page.platform_users(organization.pk) if can_manage else None,
        "can_manage": can_manage,
        "panels": panels.organization_panels(request, organization),
    }
    return render(request, "league/organization_detail.html", context)


@export_source("organizations")
def organization_export_source(user, params) -> ExportSpec:
    """The organizations list as exported: the user's export scope, the page's filters."""
    queryset = OrganizationFilter(params, queryset=policies.organizations_for(user, "export")).qs
    return ExportSpec(
        OrganizationResource(), queryset.select_related("parent", "region").order_by("path"), "organizations"
    )


@require_http_methods(["GET", "POST"])
def organization_edit(request, org_id: int):
    organization = policies.get_organization(request.user, org_id, "manage")
    form = OrganizationForm(request.POST if request.method == "POST" else None, instance=organization)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organization_update(
                organization=organization, by=request.user, expected_version=data["version"],
                name=data["name"], kind=data["kind"], domain=data["domain"],
            )  # fmt: skip
        except StaleObjectError as exc:
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, _("Saved."))
            return redirect("organization_detail", org_id=organization.pk)
    return render(
        request, "league/organization_edit.html", {"organization": organization, "form": form}, status=status
    )


@require_GET
def organization_audit(request, org_id: int):
    """Who changed what under this organization, when and from which IP (staff and admins)."""
    organization = policies.get_organization(request.user, org_id, "manage")
    models_ = {m._meta.label_lower: m._meta.verbose_name for m in audit.audited_models()}
    chosen = request.GET.get("model", "")
    entries = audit.entries(
        user=request.user, organization=organization, model_label=chosen if chosen in models_ else None
    )
    context = {
        "organization": organization,
        "page": Paginator(entries, settings.PAGE_SIZE).get_page(request.GET.get("page")),
        "models": sorted(models_.items()),
        "chosen": chosen,
    }
    return render(request, "league/audit.html", context)


@require_GET
def organization_export(request):
    if policies.scope_paths(request.user, "export") == []:
        raise PermissionDenied
    return export_list(request, "organizations")


@require_GET
def organization_import_template(request):
    if policies.scope_paths(request.user, "import") == []:
        raise PermissionDenied
    response = HttpResponse(
        services.organization_import_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="organization-template.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def organization_import(request):
    """Upload → preview (new / updated / unchanged / errors, nothing written) → apply all rows or none."""
    if policies.scope_paths(request.user, "import") == []:
        raise PermissionDenied
    return import_page(
        request,
        services.ORGANIZATION_IMPORTER,
        title=_("Import organizations"),
        template_url="organization_import_template",
        done_url="organization_tree",
    )


def import_page(request, importer, *, title: str, template_url: str, done_url: str):
    """The shared two-step import page; a feature's view checks permission and calls it."""
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    plan, token = None, None
    if request.method == "POST" and request.POST.get("token"):
        try:
            plan = imports.import_apply(importer=importer, by=request.user, token=request.POST["token"])
        except SpreadsheetError as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        if plan.ok:
            c = plan.counts
            messages.success(
                request,
                _("Imported: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.") % c,
            )
            return redirect(done_url)
        messages.error(
            request, _("Nothing was imported: the data changed since the check. Fix the rows below.")
        )
    elif request.method == "POST" and form.is_valid():
        try:
            token, plan = imports.import_preview(
                importer=importer, by=request.user, upload=form.cleaned_data["file"]
            )
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            if not plan.ok:
                messages.error(
                    request, _("Nothing was imported: fix the rows below and upload the file again.")
                )
    context = {
        "form": form,
        "plan": plan,
        "result": plan,
        "token": token,
        "title": title,
        "template_url": template_url,
        "preview_rows": plan.changes[:200] if plan else [],
        "errors_shown": plan.errors[:500] if plan else [],
    }
    return render(request, "league/import.html", context)


@require_GET
def notice_list(request):
    notices = Notice.objects.filter(recipient=request.user)
    page = Paginator(notices, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "league/notices.html", {"page": page})


@require_POST
def notice_read(request, notice_id: int):
    notice = get_object_or_404(Notice, pk=notice_id, recipient=request.user)
    services.notices_mark_read(user=request.user, notice_ids=[notice.pk])
    if notice.url and notice.url.startswith("/"):
        return redirect(notice.url)
    return redirect("notice_list")


@require_POST
def notice_read_all(request):
    n = services.notices_mark_read(user=request.user)
    messages.success(request, _("%(n)s notices marked as read.") % {"n": n})
    return redirect("notice_list")


@require_GET
def public_index(request):
    return render(request, "league/public_index.html", {"panels": []})


@require_GET
def ping(request):
    """The benchmarks' floor: the full authenticated stack (session, user, scope) reading one row."""
    organization = policies.scope_roots(request.user).order_by("path").values("pk", "name").first()
    return JsonResponse({"organization": organization})


@require_GET
def healthz(request):
    """Database and broker status as JSON; 200 when both answer, 503 otherwise."""
    status = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any database error means "down"
        status["database"] = f"error: {exc.__class__.__name__}"
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=1,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=1)
    except Exception as exc:  # kombu raises many kinds
        status["broker"] = f"error: {exc.__class__.__name__}"
    if status["database"] == "ok":
        beat = WorkerHeartbeat.objects.filter(name="worker").first()
        status["worker_last_seen"] = beat.seen_at.isoformat() if beat else None
    status["time"] = timezone.now().isoformat()
    healthy = status["database"] == "ok" and status["broker"] == "ok"
    return JsonResponse(status, status=200 if healthy else 503)


# --- export files ---------------------------------------------------------------------------------------


@require_GET
def export_job_list(request):
    jobs = policies.export_jobs_for(request.user)
    page = Paginator(jobs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "league/exports.html", {"page": page})


@require_GET
def export_job_detail(request, job_id: int):
    job = get_object_or_404(policies.export_jobs_for(request.user), pk=job_id)
    return render(request, "league/export_job.html", {"job": job})


@require_GET
def export_job_progress(request, job_id: int):
    """The progress partial the job page polls with htmx until the file is ready."""
    job = get_object_or_404(policies.export_jobs_for(request.user), pk=job_id)
    return render(request, "league/_export_progress.html", {"job": job})


@require_GET
def export_job_download(request, job_id: int):
    job = get_object_or_404(policies.export_jobs_for(request.user), pk=job_id)
    if not job.downloadable:
        raise Http404("This export has no file (not ready or expired).")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
