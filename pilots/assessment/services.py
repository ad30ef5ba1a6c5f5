"""Writes of assessment, ratings, rectification, inspections, escalation and hearings.

Keyword-only, in a transaction; AssessmentError(message, field) on bad input (nothing stored);
PermissionDenied when the user lacks the right (callers fetched objects through scoped querysets).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from league import policies, uploads
from league.models import Level, Organization

from ..models import PilotProgram, PilotUnit, today
from . import rules, sources
from .models import (
    AssessmentScheme,
    AwardApplication,
    BranchRating,
    Criterion,
    Escalation,
    EscalationStep,
    Hearing,
    HearingReport,
    Inspection,
    InspectionFinding,
    Method,
    RatingRound,
    RectificationItem,
    RectificationTarget,
    Result,
    ReviewState,
    ReviewVeto,
    Score,
    StageReview,
    TargetState,
    VetoItem,
    YearlyRanking,
)

RECHECK_PASS = 70  # a re-checked branch leaves the list at three stars or more (out of 后进 and 软弱涣散)
HEARING_MIN, HEARING_MAX = 5, 8
HEARING_REPORT_DAYS = 7


class AssessmentError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def _require(user, action: str, organization: Organization) -> None:
    if user is None or not policies.can(user, action, organization):
        raise PermissionDenied


def _decimal(value, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise AssessmentError(_("%(label)s: enter a number.") % {"label": label}, field) from None
    if not number.is_finite():
        raise AssessmentError(_("%(label)s: enter a number.") % {"label": label}, field)
    return number.quantize(Decimal("0.1"))


# --- schemes -----------------------------------------------------------------------------------------------


def _check_criteria(criteria: list[dict]) -> None:
    if not criteria:
        raise AssessmentError(_("A scheme needs at least one criterion."), "criteria")
    keys = set()
    for i, c in enumerate(criteria, start=1):
        if not str(c.get("name", "")).strip():
            raise AssessmentError(_("Criterion %(n)s: give it a name.") % {"n": i}, "criteria")
        try:
            points = int(c.get("max_points"))
        except (TypeError, ValueError):
            raise AssessmentError(_("Criterion %(n)s: the maximum must be a whole number.") % {"n": i},
                                  "criteria") from None  # fmt: skip
        if points <= 0:
            raise AssessmentError(
                _("Criterion %(n)s: the maximum must be above zero.") % {"n": i}, "criteria"
            )
        if c["key"] in keys:
            raise AssessmentError(_("Criterion %(n)s: the key is used twice.") % {"n": i}, "criteria")
        if c.get("source") and c["source"] not in sources.SOURCES:
            raise AssessmentError(_("Criterion %(n)s: no figure %(s)s to propose the score from.")
                                  % {"n": i, "s": c["source"]}, "criteria")  # fmt: skip
        keys.add(c["key"])
    total = sum(int(c["max_points"]) for c in criteria)
    if total != 100:
        raise AssessmentError(
            _("The criteria's maximum points sum to %(total)s; they must sum to 100.") % {"total": total},
            "criteria",
        )


def default_criteria() -> list[dict]:
    return [{"key": k, "name": n, "max_points": p, "description": d} for k, n, p, d in rules.DEFAULT_CRITERIA]


@transaction.atomic
def scheme_create(*, by, program: PilotProgram, name: str = "", criteria: list[dict] | None = None,
                  veto_items: list[str] = ()) -> AssessmentScheme:  # fmt: skip
    _require(by, "manage", program.organization)
    criteria = default_criteria() if criteria is None else criteria
    _check_criteria(criteria)
    if AssessmentScheme.objects.filter(program=program).exists():
        raise AssessmentError(_("This program already has an assessment scheme."), "program")
    scheme = AssessmentScheme.objects.create(
        program=program, name=name or _("Assessment of %(p)s") % {"p": program}
    )
    for order, c in enumerate(criteria):
        Criterion.objects.create(scheme=scheme, key=c["key"], name=c["name"].strip(), max_points=int(c["max_points"]),
                                 description=c.get("description", ""), order=order,
                                 source=c.get("source", ""))  # fmt: skip
    for text in veto_items:
        if text.strip():
            VetoItem.objects.create(scheme=scheme, text=text.strip())
    return scheme


@transaction.atomic
def scheme_set_criteria(*, by, scheme: AssessmentScheme, criteria: list[dict]) -> AssessmentScheme:
    """Replace the maxima (and names, descriptions) of the criteria, by key; the sum must stay 100."""
    _require(by, "manage", scheme.program.organization)
    _check_criteria(criteria)
    if scheme.reviews.exists() or Score.objects.filter(review__scheme=scheme).exists():
        raise AssessmentError(_("Stage reviews exist under this scheme; its criteria can no longer change."),
                              "criteria")  # fmt: skip
    existing = {c.key: c for c in scheme.criteria.all()}
    for order, c in enumerate(criteria):
        obj = existing.pop(c["key"], None) or Criterion(scheme=scheme, key=c["key"])
        obj.name, obj.max_points, obj.order = c["name"].strip(), int(c["max_points"]), order
        obj.description = c.get("description", obj.description)
        obj.source = c.get("source", obj.source)
        obj.save()
    for obj in existing.values():
        obj.delete()
    return scheme


def new_criterion_key(scheme: AssessmentScheme, taken: set[str]) -> str:
    """A key for a criterion added on the page (keys are internal; names are what people see)."""
    n = scheme.criteria.count() + 1
    while f"c{n}" in taken:
        n += 1
    return f"c{n}"


@transaction.atomic
def scheme_set_veto_items(*, by, scheme: AssessmentScheme, texts: list[str]) -> AssessmentScheme:
    """Replace the veto items (一票否决); like the criteria, they are frozen once a review exists."""
    _require(by, "manage", scheme.program.organization)
    if scheme.reviews.exists():
        raise AssessmentError(_("Stage reviews exist under this scheme; its veto items can no longer change."),
                              "veto_items")  # fmt: skip
    clean = list(dict.fromkeys(t.strip() for t in texts if t.strip()))
    too_long = [t for t in clean if len(t) > 200]
    if too_long:
        raise AssessmentError(_("A veto item is at most 200 characters: %(t)s…") % {"t": too_long[0][:20]},
                              "veto_items")  # fmt: skip
    scheme.veto_items.exclude(text__in=clean).delete()
    have = set(scheme.veto_items.values_list("text", flat=True))
    VetoItem.objects.bulk_create([VetoItem(scheme=scheme, text=t) for t in clean if t not in have])
    return scheme


# --- stage reviews -----------------------------------------------------------------------------------------


@transaction.atomic
def review_create(*, by, scheme: AssessmentScheme, title: str, members: str, phase=None) -> StageReview:
    _require(by, "manage", scheme.program.organization)
    if not title.strip():
        raise AssessmentError(_("Give the review a title."), "title")
    names = [line.strip() for line in members.splitlines() if line.strip()]
    if not names:
        raise AssessmentError(_("Record the review group's members, one per line."), "members")
    if phase is not None and phase.program_id != scheme.program_id:
        raise AssessmentError(_("The phase belongs to another program."), "phase")
    return StageReview.objects.create(
        scheme=scheme, phase=phase, title=title.strip(), members="\n".join(names)
    )


def reporting_rate(review: StageReview, unit: PilotUnit) -> tuple[int, int]:
    """(on time, expected) of the unit's reports due by the end of the review's phase (or today)."""
    cutoff = review.phase.ends_on if review.phase_id else today()
    slots = review.scheme.program.slots.filter(organization=unit.organization_id, deadline__lt=cutoff)
    return slots.on_time().count(), slots.count()


def reporting_proposal(review: StageReview, unit: PilotUnit, criterion: Criterion) -> Decimal:
    on_time, expected = reporting_rate(review, unit)
    return rules.proposed_reporting_points(criterion.max_points, on_time, expected)


def _editable(review: StageReview) -> None:
    if review.is_frozen:
        raise AssessmentError(
            _("This review is published and frozen; correct it as a new version."), "review"
        )


@transaction.atomic
def unit_score(*, by, review: StageReview, unit: PilotUnit, points: dict, comments: dict | None = None,
               adjust_reason: str = "", vetoes: list[VetoItem] = ()) -> list[Score]:  # fmt: skip
    """Score one unit on every criterion: `points` and `comments` map criterion keys to values."""
    _require(by, "manage", review.scheme.program.organization)
    review = (
        StageReview.objects.select_for_update(of=("self",))
        .select_related("scheme", "phase")
        .get(pk=review.pk)
    )
    _editable(review)
    if unit.program_id != review.scheme.program_id:
        raise AssessmentError(_("This unit is not in the review's program."), "unit")
    comments = comments or {}
    rows = []
    for criterion in review.scheme.criteria.all():
        raw = points.get(criterion.key)
        if raw in (None, ""):
            raise AssessmentError(_("%(c)s: enter a score.") % {"c": criterion.name}, criterion.key)
        value = _decimal(raw, criterion.key, criterion.name)
        if value < 0 or value > criterion.max_points:
            raise AssessmentError(
                _("%(c)s: %(v)s is outside 0–%(max)s.")
                % {"c": criterion.name, "v": value, "max": criterion.max_points},
                criterion.key,
            )
        proposal = sources.propose(review, unit, criterion)
        proposed = None if proposal is None else proposal.points
        if proposed is not None and value != proposed and not adjust_reason.strip():
            if sources.source_of(criterion).key == rules.REPORTING_KEY:
                message = _(
                    "%(c)s: the proposal from on-time reporting is %(p)s; give a reason to change it."
                )
            else:
                message = _("%(c)s: the proposal from %(source)s is %(p)s; give a reason to change it.")
            raise AssessmentError(
                message % {"c": criterion.name, "p": proposed, "source": sources.source_of(criterion).label},
                "adjust_reason",
            )
        rows.append((criterion, value, proposed))
    saved = []
    for criterion, value, proposed in rows:
        score, _created = Score.objects.update_or_create(
            review=review, unit=unit, criterion=criterion,
            defaults={"points": value, "comment": comments.get(criterion.key, "").strip(), "proposed": proposed,
                      "adjust_reason": adjust_reason.strip() if proposed is not None and value != proposed else ""},
        )  # fmt: skip
        saved.append(score)
    ReviewVeto.objects.filter(review=review, unit=unit).exclude(item__in=list(vetoes)).delete()
    for item in vetoes:
        if item.scheme_id != review.scheme_id:
            raise AssessmentError(_("The veto item belongs to another scheme."), "vetoes")
        ReviewVeto.objects.get_or_create(review=review, unit=unit, item=item)
    return saved


def totals(review: StageReview) -> list[dict]:
    """Rows {unit, total, vetoed, scored, rank} sorted by rank (unscored last); three queries."""
    units = list(review.scheme.program.units.select_related("organization"))
    n_criteria = review.scheme.criteria.count()
    sums: dict[int, Decimal] = {}
    counts: dict[int, int] = {}
    for unit_id, points in Score.objects.filter(review=review).values_list("unit_id", "points"):
        sums[unit_id] = sums.get(unit_id, Decimal(0)) + points
        counts[unit_id] = counts.get(unit_id, 0) + 1
    vetoed = set(ReviewVeto.objects.filter(review=review).values_list("unit_id", flat=True))
    rows = []
    for unit in units:
        scored = counts.get(unit.pk, 0) == n_criteria
        total = Decimal(0) if unit.pk in vetoed else sums.get(unit.pk, Decimal(0))
        rows.append({"unit": unit, "total": total, "vetoed": unit.pk in vetoed, "scored": scored})
    rows.sort(key=lambda r: (not r["scored"], r["vetoed"], -r["total"], r["unit"].organization.path))
    ranked = [r for r in rows if r["scored"]]
    for row, rank in zip(
        ranked, rules.competition_ranks([(r["vetoed"], r["total"]) for r in ranked]), strict=False
    ):
        row["rank"] = rank
    return rows


@transaction.atomic
def review_publish(*, by, review: StageReview, now: dt.datetime | None = None) -> StageReview:
    _require(by, "manage", review.scheme.program.organization)
    review = StageReview.objects.select_for_update().get(pk=review.pk)
    _editable(review)
    rows = totals(review)
    missing = [str(r["unit"]) for r in rows if not r["scored"]]
    if not rows:
        raise AssessmentError(_("The program has no units to publish."), "review")
    if missing:
        raise AssessmentError(
            _("Scores are missing for: %(units)s.") % {"units": "、".join(missing)}, "review"
        )
    for row in rows:
        Result.objects.create(review=review, unit=row["unit"], total=row["total"], rank=row["rank"],
                              vetoed=row["vetoed"])  # fmt: skip
    review.state, review.published_at, review.published_by = ReviewState.PUBLISHED, now or timezone.now(), by
    review.save(update_fields=["state", "published_at", "published_by"])
    if review.corrects_id:
        StageReview.objects.filter(pk=review.corrects_id).update(state=ReviewState.SUPERSEDED)
    return review


@transaction.atomic
def review_correct(*, by, review: StageReview, reason: str) -> StageReview:
    """A correction of a published review: a new draft version with the same scores, and the reason."""
    _require(by, "manage", review.scheme.program.organization)
    review = (
        StageReview.objects.select_for_update(of=("self",))
        .select_related("scheme", "phase")
        .get(pk=review.pk)
    )
    if review.state != ReviewState.PUBLISHED:
        raise AssessmentError(_("Only a published review can be corrected."), "review")
    if not reason.strip():
        raise AssessmentError(_("Give the reason for the correction."), "reason")
    if StageReview.objects.filter(corrects=review).exists():
        raise AssessmentError(_("A correction of this review is already under way."), "review")
    new = StageReview.objects.create(scheme=review.scheme, phase=review.phase, title=review.title,
                                     members=review.members, version=review.version + 1, corrects=review,
                                     correction_reason=reason.strip())  # fmt: skip
    Score.objects.bulk_create([
        Score(review=new, unit_id=s.unit_id, criterion_id=s.criterion_id, points=s.points, comment=s.comment,
              proposed=s.proposed, adjust_reason=s.adjust_reason)
        for s in review.scores.all()
    ])  # fmt: skip
    ReviewVeto.objects.bulk_create(
        [
            ReviewVeto(review=new, unit_id=v.unit_id, item_id=v.item_id, note=v.note)
            for v in review.vetoes.all()
        ]
    )
    return new


def current_result(unit: PilotUnit) -> Result | None:
    """The unit's result in the latest published (not superseded) review of its program."""
    return (
        Result.objects.filter(unit=unit, review__state=ReviewState.PUBLISHED)
        .select_related("review")
        .order_by("-review__published_at", "-review_id")
        .first()
    )


@transaction.atomic
def award_apply(*, by, unit: PilotUnit, award: str, statement: str) -> AwardApplication:
    org = unit.organization
    if not (policies.can(by, "file", org) or policies.can(by, "manage", org)):
        raise PermissionDenied
    from .models import Award

    if award not in Award.values:
        raise AssessmentError(_("Choose an award."), "award")
    if not statement.strip():
        raise AssessmentError(_("Describe the unit's deeds."), "statement")
    result = current_result(unit)
    if result is None:
        raise AssessmentError(
            _("%(unit)s has no published assessment; an application cannot be filed without one.")
            % {"unit": org},
            "award",
        )
    return AwardApplication.objects.create(unit=unit, award=award, result=result, statement=statement.strip(),
                                           filed_by=by)  # fmt: skip


# --- star ratings ------------------------------------------------------------------------------------------


def branches_of(county: Organization):
    return county.descendants().filter(level=Level.GRASSROOTS).order_by("path")


@transaction.atomic
def round_open(*, by, county: Organization, year: int, five_star_quota: int = 20,
               four_star_quota: int = 60) -> RatingRound:  # fmt: skip
    _require(by, "manage", county)
    if county.level not in (Level.COUNTY, Level.CITY):
        raise AssessmentError(_("Ratings are opened by a county or city committee."), "county")
    if not (0 <= five_star_quota <= 100 and 0 <= four_star_quota <= 100):
        raise AssessmentError(_("Quotas are percentages between 0 and 100."), "five_star_quota")
    if RatingRound.objects.filter(county=county, year=year).exists():
        raise AssessmentError(_("%(county)s already rates its branches for %(year)s.") % {"county": county, "year": year},
                              "year")  # fmt: skip
    rnd = RatingRound.objects.create(county=county, year=year, five_star_quota=five_star_quota,
                                     four_star_quota=four_star_quota)  # fmt: skip
    BranchRating.objects.bulk_create([BranchRating(round=rnd, branch=b) for b in branches_of(county)])
    return rnd


def _goods(scores: dict) -> tuple[dict, Decimal]:
    clean, total = {}, Decimal(0)
    for key, label in rules.FIVE_GOODS:
        raw = scores.get(key)
        if raw in (None, ""):
            raise AssessmentError(_("%(good)s: enter a score.") % {"good": label}, key)
        value = _decimal(raw, key, label)
        if value < 0 or value > rules.GOOD_MAX:
            raise AssessmentError(_("%(good)s: %(v)s is outside 0–%(max)s.") % {"good": label, "v": value,
                                                                                  "max": rules.GOOD_MAX}, key)  # fmt: skip
        clean[key] = str(value)
        total += value
    return clean, total


@transaction.atomic
def self_rate(*, by, rating: BranchRating, scores: dict, now=None) -> BranchRating:
    branch = rating.branch
    if not (policies.can(by, "file", branch) or policies.can(by, "manage", branch)):
        raise PermissionDenied
    rating = BranchRating.objects.select_for_update().get(pk=rating.pk)
    if rating.is_reviewed:
        raise AssessmentError(_("The level above has reviewed this rating; the self-rating can no longer change."),
                              "self_scores")  # fmt: skip
    clean, total = _goods(scores)
    rating.self_scores, rating.self_total, rating.self_rated_at = clean, total, now or timezone.now()
    rating.save(update_fields=["self_scores", "self_total", "self_rated_at"])
    return rating


def can_review_rating(user, rating: BranchRating) -> bool:
    parent = rating.branch.parent
    return parent is not None and policies.can(user, "review", parent)


@transaction.atomic
def rating_review(*, by, rating: BranchRating, scores: dict, vetoed: bool = False, comment: str = "",
                  now=None) -> BranchRating:  # fmt: skip
    """The level above sets the final score; the stars follow the thresholds (a veto item: weak)."""
    if not can_review_rating(by, rating):
        raise PermissionDenied
    rating = BranchRating.objects.select_for_update(of=("self",)).select_related("round").get(pk=rating.pk)
    if rating.round.finalized_at:
        raise AssessmentError(_("The county has finalized this year's ratings."), "round")
    if rating.self_total is None:
        raise AssessmentError(_("The branch has not rated itself yet."), "self_scores")
    clean, total = _goods(scores)
    if vetoed and not comment.strip():
        raise AssessmentError(_("Say which veto item applies."), "review_comment")
    rating.final_scores, rating.final_total, rating.vetoed = clean, total, vetoed
    rating.review_comment, rating.stars = comment.strip(), rules.stars_for(total, vetoed=vetoed)
    rating.reviewed_by, rating.reviewed_at = by, now or timezone.now()
    rating.save(update_fields=["final_scores", "final_total", "vetoed", "review_comment", "stars", "reviewed_by",
                               "reviewed_at"])  # fmt: skip
    return rating


def quota_overages(rnd: RatingRound, ratings: list[BranchRating] | None = None) -> list[dict]:
    """For each capped grade over its quota: {stars, limit, count, over: [branches beyond the quota]}.

    Four-star quota counts four and five stars together (at most 60% at four stars or more)."""
    ratings = ratings if ratings is not None else list(rnd.ratings.select_related("branch"))
    n = len(ratings)
    out = []
    for stars, percent in ((5, rnd.five_star_quota), (4, rnd.four_star_quota)):
        holders = sorted([r for r in ratings if (r.stars or 0) >= stars],
                         key=lambda r: (-(r.final_total or 0), r.branch.path))  # fmt: skip
        limit = rules.quota_limit(n, percent)
        if len(holders) > limit:
            beyond = [r for r in holders[limit:] if stars == 4 or r.stars == 5]
            out.append(
                {"stars": stars, "limit": limit, "count": len(holders), "percent": percent, "over": beyond}
            )
    return out


@transaction.atomic
def round_finalize(*, by, rnd: RatingRound, now=None) -> RatingRound:
    _require(by, "manage", rnd.county)
    rnd = RatingRound.objects.select_for_update().get(pk=rnd.pk)
    if rnd.finalized_at:
        raise AssessmentError(_("Already finalized."), "round")
    ratings = list(rnd.ratings.select_related("branch"))
    pending = [str(r.branch) for r in ratings if not r.is_reviewed]
    if pending:
        raise AssessmentError(_("Not yet reviewed: %(b)s.") % {"b": "、".join(pending)}, "round")
    over = quota_overages(rnd, ratings)
    if over:
        parts = [
            _("%(stars)s stars: %(count)s branches, quota %(limit)s; over quota: %(names)s")
            % {"stars": o["stars"], "count": o["count"], "limit": o["limit"],
               "names": "、".join(str(r.branch) for r in o["over"])}
            for o in over
        ]  # fmt: skip
        raise AssessmentError("; ".join(parts) + ".", "round")
    rnd.finalized_at = now or timezone.now()
    rnd.save(update_fields=["finalized_at"])
    return rnd


# --- rectification -----------------------------------------------------------------------------------------


@transaction.atomic
def targets_select(*, by, rnd: RatingRound, percent: int = 20) -> list[RectificationTarget]:
    """The bottom `percent` % of the county's branches (and every weak one) become targets for the year."""
    _require(by, "manage", rnd.county)
    rnd = RatingRound.objects.get(pk=rnd.pk)
    if not rnd.finalized_at:
        raise AssessmentError(_("Finalize the ratings before choosing rectification targets."), "round")
    ratings = sorted(rnd.ratings.select_related("branch"), key=lambda r: (r.final_total, r.branch.path))
    chosen = ratings[: rules.bottom_count(len(ratings), percent)]
    chosen += [r for r in ratings if r.stars == rules.WEAK and r not in chosen]
    out = []
    for rating in chosen:
        target, _created = RectificationTarget.objects.get_or_create(
            branch=rating.branch, year=rnd.year, defaults={"rating": rating}
        )
        out.append(target)
    return out


@transaction.atomic
def item_add(*, by, target: RectificationTarget, problem: str, action: str, owner: str, deadline: dt.date,
             finding: InspectionFinding | None = None) -> RectificationItem:  # fmt: skip
    if not (policies.can(by, "manage", target.branch) or policies.can(by, "file", target.branch)):
        raise PermissionDenied
    for field, value, label in (("problem", problem, _("problem")), ("action", action, pgettext("rectification", "action")),
                                ("owner", owner, pgettext("rectification", "owner"))):  # fmt: skip
        if not value.strip():
            raise AssessmentError(_("Fill in the %(f)s.") % {"f": label}, field)
    if deadline is None:
        raise AssessmentError(_("Give a deadline."), "deadline")
    if target.state != TargetState.OPEN:
        raise AssessmentError(_("This target is no longer open."), "target")
    return RectificationItem.objects.create(target=target, problem=problem.strip(), action=action.strip(),
                                            owner=owner.strip(), deadline=deadline, finding=finding)  # fmt: skip


@transaction.atomic
def item_close(*, by, item: RectificationItem, evidence: str, upload=None, now=None) -> RectificationItem:
    """对账销号: the reviewer (the level above the branch) closes an item with its evidence."""
    parent = item.target.branch.parent
    if parent is None or not policies.can(by, "review", parent):
        raise PermissionDenied
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if item.is_closed:
        raise AssessmentError(_("This item is already closed."), "item")
    if not evidence.strip():
        raise AssessmentError(_("Closing an item needs its evidence: describe what was done."), "evidence")
    fields = ["evidence", "closed_at", "signed_off_by"]
    if upload is not None:
        try:
            checked = uploads.check_upload(upload)
        except uploads.UploadError as exc:
            raise AssessmentError(str(exc), "evidence_file") from None
        item.evidence_file = uploads.store(checked, folder="rectification")
        item.evidence_name, item.evidence_type = checked.name, checked.content_type
        fields += ["evidence_file", "evidence_name", "evidence_type"]
    item.evidence, item.closed_at, item.signed_off_by = evidence.strip(), now or timezone.now(), by
    item.save(update_fields=fields)
    return item


@transaction.atomic
def target_recheck(*, by, target: RectificationTarget, score, now=None) -> RectificationTarget:
    parent = target.branch.parent
    if parent is None or not policies.can(by, "review", parent):
        raise PermissionDenied
    if target.state != TargetState.OPEN:
        raise AssessmentError(_("This target is no longer open."), "target")
    value = _decimal(score, "recheck_score", _("re-checked score"))
    if value < 0 or value > 100:
        raise AssessmentError(_("The re-checked score must be between 0 and 100."), "recheck_score")
    open_items = target.items.filter(closed_at__isnull=True).count()
    if not target.items.exists() or open_items:
        raise AssessmentError(_("%(n)s items are still open; close every item before the re-check.")
                              % {"n": open_items}, "recheck_score")  # fmt: skip
    target.recheck_score = value
    fields = ["recheck_score"]
    if value >= RECHECK_PASS:
        target.state, target.closed_at = TargetState.CLOSED, now or timezone.now()
        fields += ["state", "closed_at"]
    target.save(update_fields=fields)
    return target


@transaction.atomic
def targets_carry_over(*, by, county: Organization, year: int) -> list[RectificationTarget]:
    """Open targets of `year` carry into the next year as a new round, with their unfinished items."""
    _require(by, "manage", county)
    carried = []
    for target in RectificationTarget.objects.open().filter(year=year, branch__path__startswith=county.path):
        nxt, _created = RectificationTarget.objects.get_or_create(
            branch=target.branch, year=year + 1,
            defaults={"round_number": target.round_number + 1, "carried_from": target, "rating": target.rating},
        )  # fmt: skip
        for item in target.items.filter(closed_at__isnull=True):
            RectificationItem.objects.create(target=nxt, problem=item.problem, action=item.action, owner=item.owner,
                                             deadline=dt.date(year + 1, 6, 30), finding=item.finding)  # fmt: skip
        target.state = TargetState.CARRIED
        target.save(update_fields=["state"])
        carried.append(nxt)
    return carried


# --- inspections -------------------------------------------------------------------------------------------


def _check_date(value: dt.date | None, field: str) -> None:
    if value is None or not 2000 <= value.year <= 2100:
        raise AssessmentError(_("Give a date between 2000 and 2100."), field)


def _check_inspection(city, quarter, plan, team, methods, units) -> None:
    if quarter not in (1, 2, 3, 4):
        raise AssessmentError(_("The quarter is 1 to 4."), "quarter")
    if not plan.strip():
        raise AssessmentError(_("Write the inspection plan."), "plan")
    if not team.strip():
        raise AssessmentError(_("Name the inspection team."), "team")
    unknown = [m for m in methods if m not in Method.values]
    if not methods or unknown:
        raise AssessmentError(_("Choose the methods from the list."), "methods")
    if not units:
        raise AssessmentError(_("Choose the units visited."), "units")
    outside = [str(u) for u in units if not u.path.startswith(city.path) or u.pk == city.pk]
    if outside:
        raise AssessmentError(
            _("Not under %(city)s: %(u)s.") % {"city": city, "u": "、".join(outside)}, "units"
        )


@transaction.atomic
def inspection_update(*, by, inspection: Inspection, year: int, quarter: int, plan: str, team: str,
                      methods: list[str], units: list[Organization], held_on: dt.date) -> Inspection:  # fmt: skip
    _require(by, "manage", inspection.city)
    _check_inspection(inspection.city, quarter, plan, team, methods, units)
    _check_date(held_on, "held_on")
    kept = {f.organization_id for f in inspection.findings.all()} - {u.pk for u in units}
    if kept:
        names = "、".join(str(o) for o in Organization.objects.filter(pk__in=kept).order_by("path"))
        raise AssessmentError(_("Findings are recorded for %(u)s; keep these units.") % {"u": names}, "units")
    inspection.year, inspection.quarter, inspection.plan, inspection.team = (
        year,
        quarter,
        plan.strip(),
        team.strip(),
    )
    inspection.methods, inspection.held_on = list(methods), held_on
    inspection.save(update_fields=["year", "quarter", "plan", "team", "methods", "held_on"])
    inspection.units.set(units)
    return inspection


@transaction.atomic
def inspection_create(*, by, city: Organization, year: int, quarter: int, plan: str, team: str, methods: list[str],
                      units: list[Organization], held_on: dt.date) -> Inspection:  # fmt: skip
    _require(by, "manage", city)
    _check_inspection(city, quarter, plan, team, methods, units)
    _check_date(held_on, "held_on")
    inspection = Inspection.objects.create(city=city, year=year, quarter=quarter, plan=plan.strip(),
                                           team=team.strip(), methods=list(methods), held_on=held_on)  # fmt: skip
    inspection.units.set(units)
    return inspection


@transaction.atomic
def finding_add(*, by, inspection: Inspection, organization: Organization, text: str, action: str = "",
                owner: str = "", deadline: dt.date | None = None) -> InspectionFinding:  # fmt: skip
    """A finding; with an action it becomes an item of the unit's open rectification target."""
    _require(by, "manage", inspection.city)
    if not text.strip():
        raise AssessmentError(_("Describe the finding."), "text")
    if not organization.path.startswith(inspection.city.path):
        raise AssessmentError(_("The unit is not under the inspecting committee."), "organization")
    finding = InspectionFinding.objects.create(
        inspection=inspection, organization=organization, text=text.strip()
    )
    if action.strip():
        target = RectificationTarget.objects.open().filter(branch=organization).order_by("-year").first()
        if target is None:
            raise AssessmentError(_("%(u)s is not a rectification target; record the finding without an action.")
                                  % {"u": organization}, "action")  # fmt: skip
        item_add(by=by, target=target, problem=text, action=action, owner=owner or _("secretary"),
                 deadline=deadline or inspection.held_on + dt.timedelta(days=30), finding=finding)  # fmt: skip
    return finding


# --- yearly ranking and the ladder -------------------------------------------------------------------------


@transaction.atomic
def ranking_record(
    *, by, city: Organization, year: int, scores: dict[Organization, object]
) -> list[YearlyRanking]:
    _require(by, "manage", city)
    if len(scores) < 4:
        raise AssessmentError(_("A ranking needs at least four units."), "scores")
    clean = []
    for org, raw in scores.items():
        if not org.path.startswith(city.path) or org.pk == city.pk:
            raise AssessmentError(_("Not under %(city)s: %(u)s.") % {"city": city, "u": org}, "scores")
        value = _decimal(raw, "scores", str(org))
        if value < 0 or value > 100:
            raise AssessmentError(_("%(u)s: the score must be between 0 and 100.") % {"u": org}, "scores")
        clean.append((org, value))
    if Escalation.objects.filter(city=city, year=year).exists():
        raise AssessmentError(_("Talks are recorded against the %(y)s ranking; it can no longer change.")
                              % {"y": year}, "year")  # fmt: skip
    clean.sort(key=lambda p: (-p[1], p[0].path))
    YearlyRanking.objects.filter(city=city, year=year).delete()
    ranks = rules.competition_ranks([v for _o, v in clean])
    n = len(clean)
    return YearlyRanking.objects.bulk_create([
        YearlyRanking(city=city, year=year, organization=org, score=value, rank=rank, in_bottom_three=i >= n - 3)
        for i, ((org, value), rank) in enumerate(zip(clean, ranks, strict=False))
    ])  # fmt: skip


DEFAULT_LADDER = [(1, "提醒约谈"), (2, "告诫约谈"), (3, "建议调整函")]


def ensure_ladder() -> list[EscalationStep]:
    """The default ladder (migration 0004 stores it; a flushed database gets it back here)."""
    for years, name in DEFAULT_LADDER:
        EscalationStep.objects.get_or_create(years_running=years, defaults={"name": name})
    return list(EscalationStep.objects.all())


def escalation_proposals(city: Organization, year: int) -> list[dict]:
    """For each unit in this year's bottom three: the years running, the step of the ladder and the evidence."""
    steps = list(EscalationStep.objects.all()) or ensure_ladder()
    rows = list(YearlyRanking.objects.filter(city=city, year__lte=year).select_related("organization"))
    by_org: dict[int, dict[int, YearlyRanking]] = {}
    for row in rows:
        by_org.setdefault(row.organization_id, {})[row.year] = row
    recorded = {
        e.organization_id: e for e in Escalation.objects.filter(city=city, year=year).select_related("step")
    }
    out = []
    for row in sorted((r for r in rows if r.year == year and r.in_bottom_three), key=lambda r: r.rank):
        history, y = [], year
        while y in by_org[row.organization_id] and by_org[row.organization_id][y].in_bottom_three:
            history.append(by_org[row.organization_id][y])
            y -= 1
        running = len(history)
        step = next((s for s in reversed(steps) if s.years_running <= running), None)
        evidence = "；".join(f"{h.year}年 第{h.rank}名 {h.score}分" for h in reversed(history))
        out.append({"ranking": row, "organization": row.organization, "years": running, "step": step,
                    "evidence": evidence, "recorded": recorded.get(row.organization_id)})  # fmt: skip
    return out


@transaction.atomic
def escalation_record(*, by, city: Organization, organization: Organization, year: int, held_on: dt.date,
                      note: str = "") -> Escalation:  # fmt: skip
    _require(by, "manage", city)
    proposal = next(
        (p for p in escalation_proposals(city, year) if p["organization"].pk == organization.pk), None
    )
    if proposal is None or proposal["step"] is None:
        raise AssessmentError(_("%(u)s is not in the bottom three in %(y)s.") % {"u": organization, "y": year},
                              "organization")  # fmt: skip
    if proposal["recorded"] is not None:
        raise AssessmentError(_("Already recorded."), "organization")
    if held_on is None:
        raise AssessmentError(_("Give the date it happened."), "held_on")
    return Escalation.objects.create(city=city, organization=organization, year=year, step=proposal["step"],
                                     evidence=proposal["evidence"], held_on=held_on, note=note.strip(),
                                     recorded_by=by)  # fmt: skip


# --- monthly hearings --------------------------------------------------------------------------------------


@transaction.atomic
def hearing_schedule(*, by, organization: Organization, held_on: dt.date, units: list[Organization],
                     comments: str = "") -> Hearing:  # fmt: skip
    _require(by, "manage", organization)
    _check_date(held_on, "held_on")
    if not HEARING_MIN <= len(units) <= HEARING_MAX:
        raise AssessmentError(_("A hearing hears %(a)s to %(b)s secretaries; %(n)s chosen.")
                              % {"a": HEARING_MIN, "b": HEARING_MAX, "n": len(units)}, "units")  # fmt: skip
    outside = [str(u) for u in units if not u.path.startswith(organization.path) or u.pk == organization.pk]
    if outside:
        raise AssessmentError(_("Not under %(city)s: %(u)s.") % {"city": organization, "u": "、".join(outside)},
                              "units")  # fmt: skip
    hearing = Hearing.objects.create(organization=organization, held_on=held_on, comments=comments.strip())
    due = held_on + dt.timedelta(days=HEARING_REPORT_DAYS)
    HearingReport.objects.bulk_create(
        [HearingReport(hearing=hearing, organization=u, due_on=due) for u in units]
    )
    return hearing


@transaction.atomic
def hearing_comment(*, by, report: HearingReport, comment: str) -> HearingReport:
    """The hosting committee's comment on one secretary's report at the hearing."""
    _require(by, "manage", report.hearing.organization)
    if not comment.strip():
        raise AssessmentError(_("Write the comment."), "comment")
    report.comment = comment.strip()
    report.save(update_fields=["comment"])
    return report


@transaction.atomic
def hearing_report_submit(
    *, by, report: HearingReport, text: str, on: dt.date | None = None
) -> HearingReport:
    if not (policies.can(by, "file", report.organization) or policies.can(by, "manage", report.organization)):
        raise PermissionDenied
    if report.submitted_on:
        raise AssessmentError(_("Already submitted."), "text")
    if not text.strip():
        raise AssessmentError(_("Write the rectification report."), "text")
    report.text, report.submitted_on = text.strip(), on or today()
    report.save(update_fields=["text", "submitted_on"])
    return report


def reference_figures(review: StageReview, unit: PilotUnit) -> list[tuple[str, str]]:
    """Optional inputs for the review group from the grassroots work records (when that app is installed):
    the unit's theme-day rate in the review's last month and its youth funding per person that year."""
    try:
        from grassroots import rollups
    except ImportError:  # the grassroots app is optional
        return []
    on = min(review.phase.ends_on if review.phase_id else today(), today())
    org = unit.organization
    figures = []
    rate = rollups.theme_day_rate(org, on.replace(day=1)).rate
    figures.append((_("Theme-day rate (%(m)s)") % {"m": f"{on:%Y-%m}"}, "—" if rate is None else f"{rate}%"))
    funding = rollups.per_capita_funding(org, on.year)
    per_capita = getattr(funding, "per_capita", None)
    figures.append((_("Youth funding per person (%(y)s)") % {"y": on.year},
                    "—" if per_capita is None else f"{per_capita} ¥"))  # fmt: skip
    return figures
