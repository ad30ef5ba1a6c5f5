"""Panels this app adds to the home and organization pages (see league/panels.py)."""

from django.utils.translation import gettext as _

from league import policies
from league.panels import Panel

from .models import PilotUnit, today

REVIEW_COUNT_CAP = 500
# What pilots/_file_list.html shows of a slot (its program's figure fields and its report's text are never
# decoded for the home page).
HOME_SLOT_FIELDS = ("period_start", "period_end", "deadline", "organization__name", "program__name",
                    "report__state", "report__return_reason", "report__return_comment")  # fmt: skip
# What pilots/_home_review.html shows of the oldest reports awaiting review.
HOME_REVIEW_FIELDS = ("slot__period_start", "slot__period_end", "slot__organization__name")


HOME_SLOT_COUNT = 8


def _before_eighth_deadline(outstanding):
    """`outstanding` (ordered by deadline, then the organization's path) kept to the deadlines up to the eighth
    slot's: the same first eight rows. For a platform admin (every slot of the country), PostgreSQL otherwise
    sorts whole deadline groups of the country by path in parallel workers (60 ms) to find eight rows; the
    eighth deadline is an index walk of a few dozen slots, and the bounded query reads only those (0.3 ms)."""
    deadlines = list(outstanding.order_by("deadline").values_list("deadline", flat=True)[:HOME_SLOT_COUNT])
    if len(deadlines) < HOME_SLOT_COUNT:
        return outstanding
    return outstanding.filter(deadline__lte=deadlines[-1])


def home_panels(request):
    from .selectors import outstanding_slots_for, review_queue_for

    user, panels = request.user, []
    file_paths = policies.scope_paths(user, "file")
    if file_paths != []:
        on = today()
        outstanding = outstanding_slots_for(user, on=on)
        if file_paths is None:
            outstanding = _before_eighth_deadline(outstanding)
        slots = list(
            outstanding.select_related(None)
            .select_related("organization", "program", "report")
            .only(*HOME_SLOT_FIELDS)[:HOME_SLOT_COUNT]
        )
        panels.append(
            Panel(_("Reports to file"), "pilots/_home_file.html", {"slots": slots, "on": on}, order=10)
        )
    if policies.scope_paths(user, "review") != []:
        queue = review_queue_for(user)
        # Count at most REVIEW_COUNT_CAP + 1 rows (an index walk), never every submitted report in scope.
        count = queue.order_by()[: REVIEW_COUNT_CAP + 1].count()
        context = {"count": min(count, REVIEW_COUNT_CAP), "more": count > REVIEW_COUNT_CAP,
                   "oldest": list(queue.select_related(None).select_related("slot__organization")
                                  .only(*HOME_REVIEW_FIELDS)[:5])}  # fmt: skip
        panels.append(Panel(_("Reports awaiting review"), "pilots/_home_review.html", context, order=20))
    from .guidance.panels import home_panels as guidance_panels

    panels.extend(guidance_panels(request))
    return panels


def organization_panels(request, organization):
    units = list(
        PilotUnit.objects.filter(organization=organization)
        .select_related("program__organization")
        .only("program__name", "program__organization__name")[:20]  # what pilots/_org_programs.html shows
    )
    panels = assessment_panels(request, organization)
    if not units:
        return panels
    return [Panel(_("Pilot programs"), "pilots/_org_programs.html", {"units": units}, order=30), *panels]


def assessment_panels(request, organization):
    from league.models import Level

    if organization.level not in (Level.CITY, Level.COUNTY, Level.PROVINCE):
        return []
    return [
        Panel(
            _("Yearly ranking and talks"),
            "pilots/assessment/_org_panel.html",
            {"org": organization},
            order=35,
        )
    ]
