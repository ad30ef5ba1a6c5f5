"""Writes to pilot funds. Every ledger write locks the fund row first (SELECT … FOR UPDATE on PostgreSQL;
SQLite runs write transactions one at a time), so two staff acting at once are serialized: the second
sees the first's entry, and a pending check ("not decided yet", "not beyond what is approved", "not below
zero") fails with a message instead of paying twice. Bad input raises PilotError naming the field and
changes nothing; a missing right is PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from league import policies
from league.models import Level, Organization

from ..models import PilotProgram, PilotUnit, today
from ..services import PilotError
from .models import (
    DECIDED,
    ZERO,
    ApplicationStatus,
    EntryKind,
    Fund,
    LedgerEntry,
    ProjectApplication,
)
from .money import AmountError, parse_amount, yuan


def _require(user, action: str, organization: Organization) -> None:
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not policies.can(user, action, organization)
    ):
        raise PermissionDenied


def _amount(value, field: str, label: str) -> Decimal:
    try:
        return parse_amount(value, field=field, label=label)
    except AmountError as exc:
        raise PilotError(exc.message, field) from None


def _date(value, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise PilotError(_("A date is required."), field)
    if value > today():
        raise PilotError(_("The date %(date)s is in the future.") % {"date": value.isoformat()}, field)
    return value


def _locked(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _last(fund: Fund) -> LedgerEntry | None:
    return fund.entries.order_by("-seq").first()


def balance_of(fund: Fund) -> Decimal:
    last = _last(fund)
    return last.balance_after if last else ZERO


def _append(*, fund: Fund, by, kind: str, amount: Decimal, entry_date: dt.date, source: str = "", memo: str = "",
            organization=None, application=None, reverses=None) -> LedgerEntry:  # fmt: skip
    """Append one entry to a fund already locked by the caller; the balance after it must not go below zero."""
    last = _last(fund)
    balance = (last.balance_after if last else ZERO) + amount
    if balance < 0:
        raise PilotError(
            _("The fund holds %(balance)s yuan; %(amount)s yuan would take it below zero.")
            % {"balance": yuan(balance - amount), "amount": yuan(abs(amount))},
            "amount",
        )
    return LedgerEntry.objects.create(
        fund=fund, seq=(last.seq if last else 0) + 1, kind=kind, amount=amount, balance_after=balance,
        entry_date=entry_date, source=source.strip(), memo=memo.strip(), organization=organization,
        application=application, reverses=reverses, created_by=by,
    )  # fmt: skip


def eligible_units(fund: Fund):
    """Organizations that may apply to (or receive from) the fund: its program's pilot units, or its subtree."""
    if fund.program_id:
        return Organization.objects.filter(pilot_units__program_id=fund.program_id)
    return Organization.objects.filter(path__startswith=fund.organization.path).exclude(
        pk=fund.organization_id
    )


def _check_unit(fund: Fund, organization, field: str = "organization") -> Organization:
    if organization is None:
        raise PilotError(_("Choose the pilot unit."), field)
    if not eligible_units(fund).filter(pk=organization.pk).exists():
        raise PilotError(_("%(org)s is not a pilot unit of this fund.") % {"org": organization}, field)
    return organization


# --- funds and direct entries ----------------------------------------------------------------------------


# Who holds a fund: a committee with staff to approve and disburse (团省委/团市委/团县委), not a street's
# working committee or a branch (they apply to a fund as its units).
FUND_HOLDER_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)


@transaction.atomic
def fund_create(*, by, organization: Organization, name: str, program: PilotProgram | None = None) -> Fund:
    _require(by, "manage", organization)
    if organization.level not in FUND_HOLDER_LEVELS:
        raise PilotError(_("A fund is held by a province, city or county committee, whose staff approve and "
                           "disburse; %(org)s can apply to one as a unit.") % {"org": organization},
                         "organization")  # fmt: skip
    name = (name or "").strip()
    if not name:
        raise PilotError(_("Name is required."), "name")
    if program is not None and program.organization_id != organization.pk:
        raise PilotError(_("The program is not run by %(org)s.") % {"org": organization}, "program")
    if Fund.objects.filter(organization=organization, name=name).exists():
        raise PilotError(_("%(org)s already has a fund with that name.") % {"org": organization}, "name")
    return Fund.objects.create(organization=organization, program=program, name=name, created_by=by)


@transaction.atomic
def entry_add(*, by, fund: Fund, kind: str, amount, entry_date: dt.date, source: str = "", memo: str = "",
              organization: Organization | None = None) -> LedgerEntry:  # fmt: skip
    """A source (经费来源), refunded dues (团费退返, for a unit) or a one-off reward (一次性奖励, to a unit)."""
    _require(by, "manage", fund.organization)
    labels = {
        EntryKind.SOURCE: _("Source"),
        EntryKind.REFUND: _("Refunded dues"),
        EntryKind.REWARD: _("Reward"),
    }
    if kind not in labels:
        raise PilotError(_("Choose a source, refunded dues or a reward; disbursements go through an approved "
                           "application."), "kind")  # fmt: skip
    value = _amount(amount, "amount", _("Amount"))
    entry_date = _date(entry_date, "entry_date")
    if kind == EntryKind.SOURCE:
        if not (source or "").strip():
            raise PilotError(_("Say where the money comes from (e.g. 工作经费, 社会筹集)."), "source")
        organization = None
    else:
        _check_unit(fund, organization)
    fund = _locked(fund)
    signed = value if kind in (EntryKind.SOURCE, EntryKind.REFUND) else -value
    return _append(fund=fund, by=by, kind=kind, amount=signed, entry_date=entry_date, source=source, memo=memo,
                   organization=organization)  # fmt: skip


@transaction.atomic
def entry_reverse(*, by, entry: LedgerEntry, reason: str, on: dt.date | None = None) -> LedgerEntry:
    """Undo a mistaken entry with an opposite one; the original stays, marked as reversed."""
    _require(by, "manage", entry.fund.organization)
    reason = (reason or "").strip()
    if not reason:
        raise PilotError(_("Say why the entry is reversed."), "reason")
    fund = _locked(entry.fund)
    entry = LedgerEntry.objects.get(pk=entry.pk)
    if entry.reverses_id:
        raise PilotError(_("A reversal cannot itself be reversed; record a new entry instead."), "entry")
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise PilotError(_("Entry no. %(seq)s is already reversed.") % {"seq": entry.seq}, "entry")
    return _append(fund=fund, by=by, kind=entry.kind, amount=-entry.amount, entry_date=on or today(),
                   source=entry.source, memo=_("Reversal of no. %(seq)s: %(reason)s") % {"seq": entry.seq,
                                                                                          "reason": reason},
                   organization=entry.organization, application=entry.application, reverses=entry)  # fmt: skip


# --- applications ----------------------------------------------------------------------------------------


def _clean_budget(lines, requested: Decimal) -> list[dict]:
    out = []
    total = ZERO
    for i, line in enumerate(lines or [], start=1):
        item = str(line.get("item", "")).strip()
        raw = line.get("amount", "")
        if not item and str(raw).strip() == "":
            continue
        if not item:
            raise PilotError(_("Budget line %(n)s needs an item.") % {"n": i}, "budget_lines")
        try:
            amount = parse_amount(raw, field="budget_lines", label=_("Budget line %(n)s") % {"n": i})
        except AmountError as exc:
            raise PilotError(exc.message, "budget_lines") from None
        total += amount
        out.append({"item": item, "amount": str(amount)})
    if out and total != requested:
        raise PilotError(_("The budget lines add up to %(total)s yuan, not the %(requested)s yuan requested.")
                         % {"total": yuan(total), "requested": yuan(requested)}, "budget_lines")  # fmt: skip
    return out


def can_apply(user, organization: Organization) -> bool:
    return policies.can(user, "file", organization) or policies.can(user, "manage", organization)


@transaction.atomic
def application_submit(*, by, fund: Fund, organization: Organization, title: str, plan: str, amount,
                       budget_lines: list[dict] | None = None) -> ProjectApplication:  # fmt: skip
    _check_unit(fund, organization)
    if not can_apply(by, organization):
        raise PermissionDenied
    title, plan = (title or "").strip(), (plan or "").strip()
    if not title:
        raise PilotError(_("Give the project a title."), "title")
    if not plan:
        raise PilotError(_("Describe the plan."), "plan")
    requested = _amount(amount, "amount_requested", _("Amount requested"))
    lines = _clean_budget(budget_lines, requested)
    return ProjectApplication.objects.create(fund=fund, organization=organization, title=title, plan=plan,
                                             amount_requested=requested, budget_lines=lines, applied_by=by)  # fmt: skip


@transaction.atomic
def application_decide(*, by, application: ProjectApplication, approve: bool, amount=None, reason: str = "",
                       disburse_now: bool = False, on: dt.date | None = None) -> ProjectApplication:  # fmt: skip
    """Approve in full or in part (amount ≤ request) or reject with a reason; optionally pay out at once."""
    _require(by, "manage", application.fund.organization)
    _locked(application.fund)
    application = ProjectApplication.objects.select_for_update().get(pk=application.pk)
    if not application.is_pending:
        raise PilotError(_("This application was already decided (%(status)s).")
                         % {"status": application.get_status_display()}, "status")  # fmt: skip
    reason = (reason or "").strip()
    if approve:
        approved = application.amount_requested if amount in (None, "") else _amount(
            amount, "amount_approved", _("Amount approved"))  # fmt: skip
        if approved > application.amount_requested:
            raise PilotError(_("The amount approved (%(approved)s yuan) exceeds the %(requested)s yuan requested.")
                             % {"approved": yuan(approved), "requested": yuan(application.amount_requested)},
                             "amount_approved")  # fmt: skip
        full = approved == application.amount_requested
        application.status = ApplicationStatus.APPROVED if full else ApplicationStatus.PARTLY
        application.amount_approved = approved
    else:
        if not reason:
            raise PilotError(_("Give the reason for rejecting the application."), "reason")
        application.status = ApplicationStatus.REJECTED
    application.decision_reason = reason
    application.decided_by, application.decided_at = by, timezone.now()
    application.save(
        update_fields=["status", "amount_approved", "decision_reason", "decided_by", "decided_at"]
    )
    if approve and disburse_now:
        disburse(by=by, application=application, amount=application.amount_approved, on=on)
    return application


@transaction.atomic
def disburse(*, by, application: ProjectApplication, amount, on: dt.date | None = None) -> LedgerEntry:
    """Pay (part of) an approved project out of the fund: never beyond what is approved, nor below zero."""
    _require(by, "manage", application.fund.organization)
    value = _amount(amount, "amount", _("Amount"))
    on = _date(on or today(), "entry_date")
    fund = _locked(application.fund)
    application = ProjectApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in DECIDED:
        raise PilotError(_("Only an approved application can be paid (this one is %(status)s).")
                         % {"status": application.get_status_display()}, "amount")  # fmt: skip
    remaining = application.remaining()
    if value > remaining:
        raise PilotError(_("%(amount)s yuan is more than the %(remaining)s yuan approved and not yet paid.")
                         % {"amount": yuan(value), "remaining": yuan(remaining)}, "amount")  # fmt: skip
    return _append(fund=fund, by=by, kind=EntryKind.DISBURSEMENT, amount=-value, entry_date=on,
                   source=application.organization.name, memo=application.title,
                   organization=application.organization, application=application)  # fmt: skip


def unit_for(fund: Fund, organization: Organization) -> PilotUnit | None:
    if not fund.program_id:
        return None
    return PilotUnit.objects.filter(program_id=fund.program_id, organization=organization).first()
