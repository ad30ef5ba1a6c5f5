"""Pages of the organization domain: home, tree, organization, import, notices, health."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from kombu import Connection

from . import panels, policies, services
from .exports import xlsx_response
from .forms import ImportForm
from .models import Level, Membership, Notice, Organization, WorkerHeartbeat
from .resources import OrganizationResource
from .spreadsheets import SpreadsheetError


def _level_counts(queryset) -> list[tuple[str, int]]:
    counts = dict(queryset.order_by().values_list("level").annotate(n=Count("id")))
    return [(label, counts.get(value, 0)) for value, label in Level.choices]


def _with_child_counts(queryset):
    children = (
        Organization.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(child_count=Coalesce(Subquery(children), 0))


@require_GET
def home(request):
    user = request.user
    visible = policies.organizations_for(user)
    context = {
        "memberships": policies.memberships(user),
        "level_counts": _level_counts(visible),
        "can_import": policies.scope_paths(user, "import") != [],
        "is_admin": policies.is_platform_admin(user),
        "panels": panels.home_panels(request),
        "recent_notices": list(Notice.objects.filter(recipient=user)[:5]),
    }
    return render(request, "league/home.html", context)


@require_GET
def organization_tree(request):
    user = request.user
    query = request.GET.get("q", "").strip()
    visible = policies.organizations_for(user)
    context = {
        "query": query,
        "level_counts": _level_counts(visible),
        "can_import": policies.scope_paths(user, "import") != [],
    }
    if query:
        results = _with_child_counts(visible.search(query).select_related("parent")).order_by("path")
        context["page"] = Paginator(results, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        context["roots"] = _with_child_counts(policies.scope_roots(user)).order_by("path")
    return render(request, "league/tree.html", context)


@require_GET
def organization_children(request, org_id: int):
    """The children of one node, for the tree's expand (htmx partial)."""
    organization = policies.get_organization(request.user, org_id)
    limit = 500
    nodes = list(_with_child_counts(organization.children.all()).order_by("name")[: limit + 1])
    return render(
        request,
        "league/_tree_nodes.html",
        {"nodes": nodes[:limit], "truncated": len(nodes) > limit, "parent": organization},
    )


@require_GET
def organization_detail(request, org_id: int):
    user = request.user
    organization = policies.get_organization(user, org_id)
    ancestors = [(a, policies.can(user, "view", a)) for a in organization.ancestors()]
    children = _with_child_counts(organization.children.select_related("region")).order_by("name")
    context = {
        "organization": organization,
        "ancestors": ancestors,
        "children_page": Paginator(children, settings.PAGE_SIZE).get_page(request.GET.get("page")),
        "regions": organization.regions.annotate(unit_count=Count("units")),
        "subtree_counts": _level_counts(organization.descendants()),
        "memberships": Membership.objects.filter(organization=organization).select_related("user")
        if policies.can(user, "manage", organization)
        else None,
        "can_manage": policies.can(user, "manage", organization),
        "panels": panels.organization_panels(request, organization),
    }
    return render(request, "league/organization_detail.html", context)


@require_GET
def organization_export(request):
    if policies.scope_paths(request.user, "export") == []:
        raise PermissionDenied
    queryset = (
        policies.organizations_for(request.user, "export")
        .search(request.GET.get("q", ""))
        .select_related("parent", "region")
        .order_by("path")
    )
    return xlsx_response(OrganizationResource(), queryset, "organizations")


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
    if policies.scope_paths(request.user, "import") == []:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.organizations_import(by=request.user, upload=form.cleaned_data["file"])
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, _("%(n)s organizations imported.") % {"n": result.created})
                return redirect("organization_tree")
            messages.error(request, _("Nothing was imported: fix the rows below and upload the file again."))
    return render(request, "league/import.html", {"form": form, "result": result})


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
