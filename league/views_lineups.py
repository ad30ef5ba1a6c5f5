"""Pages of the "1+3+X" lineups: a committee's lineup (any past date), completion statistics, term expiry
(换届提醒), people, seats with their division of work and supervision, imports and exports.

Each view: fetch through league/policies.py → bind the form → call league.services → redirect.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Avg, Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import exports_lineups, people_list, policies, services
from .expiring import expiring_terms
from .exports import xlsx_response
from .forms import ImportForm
from .forms_lineups import (
    AssignmentForm,
    OrderResignationForm,
    PersonForm,
    PledgeForm,
    RecommendationForm,
    ReviewForm,
    SeatFillForm,
    SeatVacateForm,
    StatsFilterForm,
    TalkForm,
    TermForm,
)
from .lineup_snapshots import completion_summary, completion_totals
from .lineups import completion_stats, lineup_statuses, lineup_statuses_of, term_status_of_seats
from .models import (
    Assignment,
    Establishment,
    Level,
    LineupRule,
    MemberCategory,
    Organization,
    Person,
    Recommendation,
    Region,
    Review,
    Seat,
    SeatRole,
    Talk,
    TalkOutcome,
    Term,
    path_segment,
)
from .models.lineups import ROLE_ORDER
from .pagination import CappedPaginator, counted_sql_page
from .resources import PersonResource, SeatResource
from .rowurls import url_for_id
from .spreadsheets import SpreadsheetError
from .sqltext import per_vendor

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _on(request) -> dt.date:
    """The date a page shows (?on=, YYYY-MM-DD), today's when absent; a date that is not one (malformed, or
    impossible like 2020-02-30, which parse_date refuses with ValueError) is said above the page, and today's
    is shown."""
    raw = request.GET.get("on", "") or ""
    try:
        on = parse_date(raw)
    except ValueError:
        on = None
    if on is None and raw:
        messages.warning(
            request, _("“%(value)s” in the date (on) is not a date as YYYY-MM-DD: today's date is shown.")
            % {"value": raw[:40]},
        )  # fmt: skip
    return on or timezone.localdate()


def _apply(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the named field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _seats_for(user, action="view"):
    return policies.scoped(Seat.objects.all(), user, action, path_field="term__organization__path")


def _people_for(user, action="view"):
    return policies.scoped(Person.objects.all(), user, action, path_field="organization__path")


def _require_keep(user, organization):
    if not services.may_keep_lineup(user, organization):
        raise PermissionDenied


# --- a committee's lineup ----------------------------------------------------------------------------------


def _label_rows(seats) -> None:
    """What a seat row shows, set once per page: its link and the labels of its choices (the same text as
    {% url 'seat_detail' %} and get_FOO_display, without a reverse and a choices lookup per row and field)."""
    detail_url = url_for_id("seat_detail")
    labels = {name: {value: str(label) for value, label in Seat._meta.get_field(name).flatchoices}
              for name in ("role", "establishment", "employment", "how_obtained")}  # fmt: skip
    for seat in seats:
        seat.detail_url = detail_url(seat.pk)
        seat.role_text = labels["role"].get(seat.role, seat.role)
        seat.establishment_text = labels["establishment"].get(seat.establishment, seat.establishment)
        seat.employment_text = labels["employment"].get(seat.employment, seat.employment)
        seat.how_obtained_text = labels["how_obtained"].get(seat.how_obtained, seat.how_obtained)


# The lineup page's terms, seats and recent changes: statements written once per database vendor (building
# them through the ORM cost more CPU than running them), each tested against the ORM query it replaces
# (tests/league/test_lineup_page_sql.py).


@per_vendor
def _lineup_sql(name: str) -> str:
    qn = connection.ops.quote_name

    def columns(alias: str, model, names=None) -> str:
        fields = model._meta.concrete_fields if names is None else [model._meta.get_field(n) for n in names]
        return ", ".join(f"{alias}.{qn(f.column)}" for f in fields)

    def column(model, name: str) -> str:
        return qn(model._meta.get_field(name).column)

    def table(model) -> str:
        return qn(model._meta.db_table)

    if name == "terms":  # organization.terms.select_related("rule").order_by("-start")
        return (
            f"SELECT {columns('t', Term)}, {columns('r', LineupRule)} FROM {table(Term)} t"
            f" LEFT OUTER JOIN {table(LineupRule)} r ON r.{column(LineupRule, 'id')} = t.{column(Term, 'rule')}"
            f" WHERE t.{column(Term, 'organization')} = %s ORDER BY t.{column(Term, 'start')} DESC"
        )
    if (
        name == "seats"
    ):  # term.seats.filter(start__lte=on).select_related("person", "category") (person: its name)
        return (
            f"SELECT {columns('s', Seat)}, {columns('p', Person, PERSON_SHOWN)}, {columns('c', MemberCategory)}"
            f" FROM {table(Seat)} s INNER JOIN {table(Person)} p ON p.{column(Person, 'id')} = s.{column(Seat, 'person')}"
            f" LEFT OUTER JOIN {table(MemberCategory)} c ON c.{column(MemberCategory, 'id')} = s.{column(Seat, 'category')}"
            f" WHERE s.{column(Seat, 'term')} = %s AND s.{column(Seat, 'start')} <= %s"
            f" ORDER BY s.{column(Seat, 'start')}, s.{column(Seat, 'id')}"
        )  # fmt: skip
    if name == "work":  # + the seats' placeholders
        return (
            f"SELECT {columns('a', Assignment)}, {columns('r', Region)} FROM {table(Assignment)} a"
            f" LEFT OUTER JOIN {table(Region)} r ON r.{column(Region, 'id')} = a.{column(Assignment, 'region')}"
            f" WHERE a.{column(Assignment, 'seat')} IN ({{}})"
            f" ORDER BY a.{column(Assignment, 'kind')}, a.{column(Assignment, 'id')}"
        )
    if name == "regions":
        return (
            f"SELECT {columns('r', Region)} FROM {table(Region)} r WHERE r.{column(Region, 'organization')} = %s"
            f" ORDER BY r.{column(Region, 'order')}, r.{column(Region, 'name')}"
        )
    if name == "children":  # the statistics' "go down to" links
        return (
            f"SELECT o.{column(Organization, 'id')}, o.{column(Organization, 'name')} FROM {table(Organization)} o"
            f" WHERE o.{column(Organization, 'parent')} = %s AND NOT (o.{column(Organization, 'level')} = %s)"
            f" ORDER BY o.{column(Organization, 'name')} LIMIT %s"
        )
    if name == "changes":  # + the terms' placeholders, then LIMIT %s
        history, user = Seat.history.model, get_user_model()
        return (
            f"SELECT {columns('h', history, ('history_date', 'history_type', 'role', 'end'))},"
            f" p.{column(Person, 'name')}, {columns('u', user, ('username', 'first_name', 'last_name'))}"
            f" FROM {table(history)} h"
            f" LEFT OUTER JOIN {table(Person)} p ON p.{column(Person, 'id')} = h.{column(history, 'person')}"
            f" LEFT OUTER JOIN {table(user)} u ON u.{column(user, 'id')} = h.{column(history, 'history_user')}"
            f" WHERE h.{column(history, 'term')} IN ({{}}) ORDER BY h.{column(history, 'history_date')} DESC LIMIT %s"
        )  # fmt: skip
    raise KeyError(name)


PERSON_SHOWN = ("id", "name")  # what the lineup page shows of a seat's person


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _split(row: tuple, *models_names) -> list[tuple]:
    """A joined row cut into each model's columns."""
    parts, start = [], 0
    for n in models_names:
        parts.append(row[start : start + n])
        start += n
    return parts


def lineup_terms(organization: Organization) -> list[Term]:
    """`organization.terms.select_related("rule").order_by("-start")`: each term with its rule (or None) and its
    organization (the verdict reads its path)."""
    alias, (term_names, rule_names) = connection.alias, (_attnames(Term), _attnames(LineupRule))
    terms = []
    for row in _rows(_lineup_sql("terms"), [organization.pk]):
        term_row, rule_row = _split(row, len(term_names), len(rule_names))
        term = Term.from_db(alias, term_names, term_row)
        Term.organization.field.set_cached_value(term, organization)
        rule = LineupRule.from_db(alias, rule_names, rule_row) if rule_row[0] is not None else None
        Term.rule.field.set_cached_value(term, rule)
        terms.append(term)
    return terms


def lineup_seats(term: Term, on: dt.date) -> list[Seat]:
    """`term.seats.filter(start__lte=on).select_related("person", "category").order_by("start", "id")`, of the
    person only what the page shows (PERSON_SHOWN)."""
    alias, names = connection.alias, (_attnames(Seat), PERSON_SHOWN, _attnames(MemberCategory))
    seats = []
    for row in _rows(_lineup_sql("seats"), [term.pk, on]):
        seat_row, person_row, category_row = _split(row, *map(len, names))
        seat = Seat.from_db(alias, names[0], seat_row)
        Seat.term.field.set_cached_value(seat, term)
        Seat.person.field.set_cached_value(seat, Person.from_db(alias, names[1], person_row))
        category = (
            MemberCategory.from_db(alias, names[2], category_row) if category_row[0] is not None else None
        )
        Seat.category.field.set_cached_value(seat, category)
        seats.append(seat)
    return seats


def lineup_work(seats: list[Seat]) -> dict[int, list[Assignment]]:
    """The seats' assignments by seat, in their order (kind, id), each with its region (or None):
    `Assignment.objects.filter(seat__in=seats).select_related("region").order_by("kind", "id")` grouped by seat
    (the model's ordering would join the seat, term and organization again to sort by them)."""
    work: dict[int, list[Assignment]] = defaultdict(list)
    if not seats:
        return work
    alias, names = connection.alias, (_attnames(Assignment), _attnames(Region))
    ids = [seat.pk for seat in seats]
    for row in _rows(_lineup_sql("work").format(", ".join(["%s"] * len(ids))), ids):
        assignment_row, region_row = _split(row, *map(len, names))
        assignment = Assignment.from_db(alias, names[0], assignment_row)
        region = Region.from_db(alias, names[1], region_row) if region_row[0] is not None else None
        Assignment.region.field.set_cached_value(assignment, region)
        work[assignment.seat_id].append(assignment)
    return work


def lineup_regions(organization: Organization) -> list[Region]:
    """`organization.regions.order_by("order", "name")` (Region's ordering, without joining the organization)."""
    alias, names = connection.alias, _attnames(Region)
    regions = [Region.from_db(alias, names, row) for row in _rows(_lineup_sql("regions"), [organization.pk])]
    for region in regions:
        Region.organization.field.set_cached_value(region, organization)
    return regions


def lineup_changes(terms: list[Term], limit: int = 20) -> list[tuple]:
    """The newest `limit` historical records of these terms' seats: (history_date, history_type, role, end,
    person's name, user's username, first name, last name) each, as `Seat.history.filter(term__organization=…)
    .order_by("-history_date").values_list(…)[:limit]` gives them for the organization of `terms` (all its
    terms): the terms' ids already read instead of a join to the terms. None without terms."""
    if not terms:
        return []
    ids = [t.pk for t in terms]
    rows = _rows(_lineup_sql("changes").format(", ".join(["%s"] * len(ids))), [*ids, limit])
    if settings.USE_TZ and rows and timezone.is_naive(rows[0][0]):  # SQLite: naive, in the database's zone
        rows = [(timezone.make_aware(when, connection.timezone), *rest) for when, *rest in rows]
    return rows


def _attnames(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


@require_GET
def lineup_detail(request, org_id: int):
    """The lineup of a committee on any date (?on=YYYY-MM-DD), its verdict, vacancies and division of work."""
    user = request.user
    organization = policies.get_organization(user, org_id)
    on = _on(request)
    terms = lineup_terms(organization)
    term = next((t for t in terms if t.start <= on), None)
    status, seats = None, []
    if term:
        # The seats that started by `on`: the verdict counts them (held, or ended: since when a post is
        # vacant), the table lists those still held (SeatQuerySet.active), secretary first.
        started = lineup_seats(term, on)
        status = term_status_of_seats(term, started, on=on)
        seats = [seat for seat in started if seat.is_active(on)]
        # Secretary first (SeatQuerySet.order_by_role), sorted here: a stable sort keeps start, id.
        seats.sort(key=lambda seat: ROLE_ORDER.get(seat.role, len(ROLE_ORDER)))
        # A seat's assignments (seat.work) in their order: one query, grouped here (without the prefetch machinery).
        work = lineup_work(seats)
        for seat in seats:
            seat.work = work[seat.pk]
    _label_rows(seats)
    regions = []
    for region in lineup_regions(organization):
        holders = [s for s in seats for a in s.work if a.region_id == region.pk]
        regions.append((region, holders))
    # What a line of the recent changes shows (no password hashes, ID numbers or notes), as plain rows
    # (lineup_tags.lineup_change_rows): no historical record, person and user instances per line.
    roles = {value: str(label) for value, label in Seat._meta.get_field("role").flatchoices}
    changes = [
        (when, kind, roles.get(role, role), *rest) for when, kind, role, *rest in lineup_changes(terms)
    ]
    context = {
        "organization": organization,
        "on": on,
        "is_today": on == timezone.localdate(),
        "terms": terms,
        "term": term,
        "status": status,
        "seats": seats,
        "regions": regions,
        "changes": changes,
        "can_keep": services.may_keep_lineup(user, organization),
        "can_manage": policies.can(user, "manage", organization),
        "is_committee": organization.level == Level.STREET,
    }
    return render(request, "league/lineup_detail.html", context)


@require_http_methods(["GET", "POST"])
def term_create(request, org_id: int):
    organization = policies.get_organization(request.user, org_id, "manage")
    last = Term.objects.filter(organization=organization).order_by("-number").first()
    initial = {"number": (last.number + 1) if last else 1}
    if last:
        initial["start"] = last.end
        initial["end"] = last.end.replace(year=last.end.year + 5)
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_create(by=request.user, organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Term created."))
            return redirect("lineup_detail", organization.pk)
    return render(request, "league/lineup_form.html",
                  {"form": form, "organization": organization, "title": _("New term")})  # fmt: skip


@require_http_methods(["GET", "POST"])
def seat_fill(request, term_id: int):
    term = get_object_or_404(
        policies.scoped(Term.objects.select_related("organization"), request.user), pk=term_id
    )
    organization = term.organization
    _require_keep(request.user, organization)
    people = _people_for(request.user).filter(organization__path__startswith=organization.path)
    initial = {"role": request.GET.get("role", SeatRole.MEMBER), "establishment": Establishment.INSIDE}
    form = SeatFillForm(request.POST or None, people=people.order_by("name"), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_fill(by=request.user, term=term, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Seat filled."))
            return redirect("lineup_detail", organization.pk)
    return render(request, "league/lineup_form.html", {
        "form": form, "organization": organization, "title": _("Fill a seat"),
        "extra_link": (reverse("person_create") + f"?org={organization.pk}", _("Add a person first")),
    })  # fmt: skip


# --- a seat: division of work and supervision ------------------------------------------------------------

SEAT_FORMS = {
    "vacate": SeatVacateForm,
    "pledge": PledgeForm,
    "assignment": AssignmentForm,
    "review": ReviewForm,
    "recommendation": RecommendationForm,
    "talk": TalkForm,
    "order": OrderResignationForm,
}
MANAGE_ONLY = {"talk", "order"}


def _seat_forms(seat, data=None, which=None):
    forms = {}
    for key, cls in SEAT_FORMS.items():
        bound = data if key == which else None
        kwargs = {"prefix": key}
        if key == "assignment":
            kwargs["regions"] = seat.term.organization.regions.all()
        if key == "recommendation":
            kwargs["reviews"] = seat.reviews.all()
        if key == "pledge":
            kwargs["initial"] = {"pledge": seat.pledge, "pledged_on": seat.pledged_on or seat.start}
        forms[key] = cls(bound, **kwargs)
    return forms


def _seat_action(request, seat, which, form):
    d, by = form.cleaned_data, request.user
    if which == "vacate":
        services.seat_vacate(by=by, seat=seat, on=d["on"], reason=d["reason"], note=d["note"])
        return _("The seat is vacant from %(date)s.") % {"date": d["on"]}
    if which == "pledge":
        services.pledge_record(by=by, seat=seat, text=d["pledge"], on=d["pledged_on"])
        return _("Pledge recorded.")
    if which == "assignment":
        services.assignment_add(by=by, seat=seat, kind=d["kind"], region=d["region"], label=d["label"])
        return _("Division of work updated.")
    if which == "review":
        review = services.review_record(by=by, seat=seat, held_on=d["held_on"], period=d["period"],
                                        report=d["report"], scores=d["scores"])  # fmt: skip
        avg = review.scores.aggregate(a=Avg("score"))["a"]
        return _("Review recorded: average %(avg).1f.") % {"avg": avg}
    if which == "recommendation":
        services.recommendation_record(by=by, seat=seat, target=d["target"], proposed_on=d["proposed_on"],
                                       review=d["review"], note=d["note"])  # fmt: skip
        return _("Recommendation recorded.")
    if which == "talk":
        services.talk_record(by=by, seat=seat, held_on=d["held_on"], talked_by=d["talked_by"],
                             content=d["content"], outcome=d["outcome"])  # fmt: skip
        return _("Talk recorded.")
    if which == "order":
        services.seat_order_resignation(by=by, seat=seat, on=d["on"], reason=d["reason"])
        return _("Ordered to resign: the seat is vacant from %(date)s.") % {"date": d["on"]}
    raise ValueError(which)


@require_http_methods(["GET", "POST"])
def seat_detail(request, seat_id: int):
    """A seat with its pledge, division of work and supervision steps; POST `form=<step>` records one."""
    user = request.user
    seat = get_object_or_404(
        _seats_for(user).select_related("term__organization", "person", "category"), pk=seat_id
    )
    organization = seat.term.organization
    can_keep = services.may_keep_lineup(user, organization)
    can_manage = policies.can(user, "manage", organization)
    which = request.POST.get("form") if request.method == "POST" else None
    forms = _seat_forms(seat, request.POST if which else None, which)
    if request.method == "POST":
        if which not in SEAT_FORMS or not can_keep or (which in MANAGE_ONLY and not can_manage):
            raise PermissionDenied
        form = forms[which]
        if form.is_valid():
            try:
                message = _seat_action(request, seat, which, form)
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, message)
                return redirect("seat_detail", seat.pk)
        messages.error(request, _("Nothing was saved: see the form below."))
    reviews = list(seat.reviews.annotate(avg=Avg("scores__score"), n=Count("scores")))
    context = {
        "seat": seat,
        "organization": organization,
        "person_visible": _people_for(user).filter(pk=seat.person_id).exists(),
        "age_warning": seat.person.age_warning(holds_post=seat.end is None),
        "assignments": seat.assignments.select_related("region"),
        "reviews": reviews,
        "recommendations": seat.recommendations.select_related("recorded_by"),
        "talks": seat.talks.select_related("recorded_by"),
        "history": seat.history.select_related("history_user").order_by("-history_date")[:30],
        "forms": forms,
        "open_form": which,
        "can_keep": can_keep and seat.end is None,
        "can_manage": can_manage and seat.end is None,
        "talk_outcomes": TalkOutcome.choices,
    }
    return render(request, "league/seat_detail.html", context)


@require_POST
def assignment_delete(request, assignment_id: int):
    assignment = get_object_or_404(
        policies.scoped(Assignment.objects.select_related("seat__term__organization"), request.user,
                        path_field="seat__term__organization__path"), pk=assignment_id)  # fmt: skip
    _require_keep(request.user, assignment.seat.term.organization)
    seat_id = assignment.seat_id
    services.assignment_remove(by=request.user, assignment=assignment)
    messages.success(request, _("Division of work updated."))
    return redirect("seat_detail", seat_id)


@require_POST
def talk_conclude(request, talk_id: int):
    talk = get_object_or_404(
        policies.scoped(Talk.objects.select_related("seat__term__organization"), request.user,
                        path_field="seat__term__organization__path"), pk=talk_id)  # fmt: skip
    policies.require(request.user, "manage", talk.seat.term.organization)
    try:
        services.talk_conclude(by=request.user, talk=talk, outcome=request.POST.get("outcome", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Talk outcome recorded."))
    return redirect("seat_detail", talk.seat_id)


@require_POST
def recommendation_decide(request, recommendation_id: int):
    item = get_object_or_404(
        policies.scoped(Recommendation.objects.select_related("seat__term__organization"), request.user,
                        path_field="seat__term__organization__path"), pk=recommendation_id)  # fmt: skip
    _require_keep(request.user, item.seat.term.organization)
    try:
        services.recommendation_decide(
            by=request.user, recommendation=item, outcome=request.POST.get("outcome", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Recommendation outcome recorded."))
    return redirect("seat_detail", item.seat_id)


@require_GET
def lineup_panel(request, org_id: int):
    """The lineup panel of the home and organization pages (htmx partial)."""
    organization = policies.get_organization(request.user, org_id)
    if organization.level == Level.STREET:
        panel = {"organization": organization,
                 "status": lineup_statuses(Organization.objects.filter(pk=organization.pk))[organization.pk]}  # fmt: skip
    else:
        panel = {"organization": organization, "total": completion_totals(organization.subtree())}
    return render(request, "league/_lineup_panel.html", {"panel": panel})


# --- statistics and term expiry ----------------------------------------------------------------------------


def _stats_root(request):
    org_id = request.GET.get("org")
    if org_id:
        return policies.get_organization(request.user, org_id)
    # The first root in path order: one's own organization (from the memberships already read) for a secretary or
    # staff member, one query for an admin's national roots.
    roots = policies.scope_root_list(request.user, 1)
    if not roots:
        raise PermissionDenied
    return roots[0]


def _stats_context(request, *, details: bool = False):
    """The figures from the kept verdicts; with `details`, every committee evaluated (for the export)."""
    root = _stats_root(request)
    form = StatsFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {}) or {}
    on = data.get("on") or timezone.localdate()
    if details:
        stats = completion_stats(root.subtree(), on=on, group_by=root)
    else:  # the subtree's streets read as one index range
        stats = completion_summary(root, on=on, group_by=root)
    return root, form, data, on, stats


def stats_children(root: Organization, limit: int = 200) -> list[tuple[int, str]]:
    """(id, name) of the children of `root` but grassroots units, by name, the first `limit`:
    `root.children.exclude(level=Level.GRASSROOTS).order_by("name").values_list("pk", "name")[:limit]`."""
    return _rows(_lineup_sql("children"), [root.pk, Level.GRASSROOTS.value, limit])


def _visible_ancestors(user, root: Organization) -> list[Organization]:
    """The ancestors of `root` the user may see, from the top: only those are read (none for a staff member at
    their own organization), since whether one may see an organization depends on its path alone, which is a
    prefix of `root`'s."""
    paths = {
        pk: root.path[: (depth + 1) * len(path_segment(0))] for depth, pk in enumerate(root.ancestor_ids)
    }
    visible = [pk for pk, path in paths.items() if policies.can(user, "view", Organization(pk=pk, path=path))]
    return list(Organization.objects.filter(pk__in=visible).order_by("depth")) if visible else []


@require_GET
def lineup_stats(request):
    """Completion statistics for a subtree: per child organization, per unit, by establishment/employment/
    category, vacant seats; filterable by date and status; a chart and an Excel export."""
    root, form, data, on, stats = _stats_context(request)
    wanted = data.get("status") or ""
    units = stats.units.where(complete=wanted == "complete") if wanted else stats.units
    # A page of the committees read with their paths and names, in one query (the count is the summary's);
    # the kept verdicts give the figures, the page's own committees are evaluated for their details (rows
    # rendered by lineup_tags.stats_unit_rows).
    page = Paginator(units.named(), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    paths = {org_id: path for org_id, path, _name in page.object_list}
    statuses = lineup_statuses_of(paths, on=on)
    lineup_url = url_for_id("lineup_detail")
    page.object_list = [(name, statuses[i], lineup_url(i)) for i, _path, name in page.object_list]
    t = stats.total
    chart = {
        "labels": [g.organization.name for g in stats.groups],
        "complete": [g.tally.complete for g in stats.groups],
        "incomplete": [g.tally.incomplete for g in stats.groups],
        "label_complete": _("Complete"),
        "label_incomplete": _("Incomplete"),
    }
    context = {
        "root": root, "form": form, "on": on, "stats": stats, "total": t, "page": page, "chart": chart,
        "establishment": [(Establishment(k).label, n) for k, n in t.by_establishment.items()],
        "employment": [(label, t.by_employment.get(k, 0)) for k, label in Seat._meta.get_field("employment").choices],
        "vacant": [(SeatRole(k).label, n) for k, n in t.vacant_seats.items()],
        "ancestors": _visible_ancestors(request.user, root),
        "children": stats_children(root),
        "can_export": policies.can(request.user, "export", root),
    }  # fmt: skip
    return render(request, "league/lineup_stats.html", context)


@require_GET
def lineup_stats_export(request):
    root, form, data, on, stats = _stats_context(request, details=True)
    policies.require(request.user, "export", root)
    names = Organization.objects.in_bulk(list(stats.statuses))
    content = exports_lineups.stats_workbook(root, stats, names)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="lineup-stats-{on:%Y%m%d}.xlsx"'
    return response


@require_GET
def term_expiry(request):
    """Current terms ending within 6 months, or already ended (换届提醒), in the user's scope."""
    on = _on(request)
    # The page's rows (what a row shows) and their number in one statement.
    page = counted_sql_page(
        expiring_terms(request.user, on, months=6), settings.PAGE_SIZE, request.GET.get("page")
    )
    lineup_url = url_for_id("lineup_detail")
    for term in page:
        term.lineup_url = lineup_url(term.organization_id)
    return render(request, "league/term_expiry.html", {"page": page, "on": on})


# --- people -----------------------------------------------------------------------------------------------


@require_GET
def person_list(request):
    from .filters import PersonFilter

    on = timezone.localdate()
    filterset = PersonFilter(request.GET or None, queryset=None)  # its form; its rows are the user's people
    cleaned = {}
    if filterset.is_bound:
        filterset.errors  # noqa: B018  (validated, as filterset.qs would: the fields it filters by are those valid)
        cleaned = filterset.form.cleaned_data
    # The page and its count as SQL written once (league.people_list), or through the ORM for a text with a case.
    people = people_list.people(request.user, cleaned, on)
    if people is None:
        filterset.queryset = _people_for(request.user).order_by("name", "id")
        found = filterset.qs  # counted without the page's per-row subquery
        people = _people_with_seats(found, on)
    else:
        found = people
    # The exact number of people of a province (10,000) or the country (312,000) cost 11-15 ms of the page's
    # 25 (national PostgreSQL): the list counts ten pages ahead at most ("Page 1 of 11+"), as the report
    # lists and the organization search do.
    asked = request.GET.get("page")
    page = CappedPaginator(people, settings.PAGE_SIZE, page=asked, count_rows=found).get_page(asked)
    person_url = url_for_id("person_detail")
    for person in page:
        person.detail_url = person_url(person.pk)
    return render(request, "league/person_list.html", {
        "filter": filterset, "page": page, "on": on,
        "can_import": policies.scope_paths(request.user, "import") != [],
        "can_add": bool(policies.scope_paths(request.user, "manage")) or bool(policies.scope_paths(request.user, "file")),
    })  # fmt: skip


def _people_with_seats(found, on: dt.date):
    """The people list's rows through the ORM (a search text with a case): `found` (PersonFilter's queryset) with
    what a row shows and the seats each person holds on `on`."""
    # A correlated count, evaluated for the page's rows only: a JOIN + GROUP BY here aggregated every
    # person in scope before LIMIT (565 ms for the country at national scale, found by make bench).
    current_seats = (  # held on the day, as the "holds a seat now" filter means it
        Seat.objects.active(on)
        .filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        found.select_related("organization")
        .only("name", "birth_date", "employer", "youth_group", "organization__name")  # what a row shows
        .annotate(current_seats=Coalesce(Subquery(current_seats), 0))
    )


@require_GET
def person_export(request):
    if policies.scope_paths(request.user, "export") == []:
        raise PermissionDenied
    from .filters import PersonFilter

    people = _people_for(request.user, "export").select_related("organization").order_by("name", "id")
    return xlsx_response(PersonResource(), PersonFilter(request.GET or None, queryset=people).qs, "people")


def _person_org(request):
    org_id = request.POST.get("org") or request.GET.get("org")
    if org_id:
        organization = policies.get_organization(request.user, org_id)
    else:
        organization = next((o for _r, _p, o in policies.memberships(request.user)), None)
        if organization is None:
            raise PermissionDenied
    _require_keep(request.user, organization)
    return organization


@require_http_methods(["GET", "POST"])
def person_create(request):
    organization = _person_org(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(by=request.user, organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("%(name)s added.") % {"name": person.name})
            if person.age_warning():
                messages.warning(request, person.age_warning())
            return redirect("person_detail", person.pk)
    return render(request, "league/lineup_form.html", {
        "form": form, "organization": organization, "title": _("Add a person"), "hidden_org": organization.pk,
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
def person_detail(request, person_id: int):
    person = get_object_or_404(_people_for(request.user).select_related("organization"), pk=person_id)
    can_keep = services.may_keep_lineup(request.user, person.organization)
    form = PersonForm(request.POST or None, instance=person) if can_keep else None
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.person_update(by=request.user, person=person,
                                       **{k: form.cleaned_data[k] for k in form.changed_data})  # fmt: skip
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("person_detail", person.pk)
    seats = person.seats.select_related("term__organization").order_by("-start")
    return render(request, "league/person_detail.html", {
        "person": person, "form": form, "seats": seats, "age_warning": person.age_warning(),
        "history": person.history.select_related("history_user").order_by("-history_date")[:20],
    })  # fmt: skip


# --- lineups across the scope: export and import -----------------------------------------------------------


@require_GET
def lineup_export(request):
    """Every seat held on a date (?on=) in the user's export scope (or under ?org=)."""
    if policies.scope_paths(request.user, "export") == []:
        raise PermissionDenied
    on = _on(request)
    seats = _seats_for(request.user, "export").active(on).filter(term__in=Term.objects.current(on))
    if request.GET.get("org"):
        root = policies.get_organization(request.user, request.GET["org"], "export")
        seats = seats.filter(term__organization__path__startswith=root.path)
    seats = seats.select_related("term__organization", "person", "category").order_by(
        "term__organization__path", "role", "start"
    )
    return xlsx_response(SeatResource(), seats, "lineups")


@require_GET
def lineup_import_template(request):
    if policies.scope_paths(request.user, "import") == []:
        raise PermissionDenied
    response = HttpResponse(services.lineup_import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="lineup-template.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def lineup_import(request):
    if policies.scope_paths(request.user, "import") == []:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.lineups_import(by=request.user, upload=form.cleaned_data["file"])
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, _("%(n)s seats imported.") % {"n": result.created})
                return redirect("lineup_stats")
            messages.error(request, _("Nothing was imported: fix the rows below and upload the file again."))
    return render(request, "league/lineup_import.html", {"form": form, "result": result})


# --- a review's score sheet ------------------------------------------------------------------------------


@require_GET
def review_detail(request, review_id: int):
    review = get_object_or_404(
        policies.scoped(Review.objects.select_related("seat__term__organization", "seat__person", "recorded_by"),
                        request.user, path_field="seat__term__organization__path"), pk=review_id)  # fmt: skip
    scores = list(review.scores.all())
    avg = review.scores.aggregate(a=Avg("score"))["a"]
    return render(request, "league/review_detail.html", {"review": review, "scores": scores, "avg": avg})
