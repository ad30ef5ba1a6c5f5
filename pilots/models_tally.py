"""Report counters for the live dashboard (issue 10): one row per (organization, program, schedule, period,
deadline, reporting level) counting the slots of that organization's whole subtree — the organization
itself and every ancestor of a reporting organization carry a row. The services that create slots or change
a report's state update them with increments in the same transaction (pilots/tallies.py), so the
dashboard of the whole country reads a few dozen rows instead of half a million slots, and is never behind.

Counters: `slots` (expected), filed on time / late (submitted or accepted), `returned`, `accepted`. A slot
not filed is `slots - filed_on_time - filed_late`; whether it is missing or pending depends on its deadline
against today, which is why the deadline is part of the key.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from league.models import Level, Organization


class ReportTally(models.Model):
    # db_index=False: the unique key below starts with the organization and serves its lookups.
    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.CASCADE,
                                     related_name="+", db_index=False)  # fmt: skip
    program = models.ForeignKey("pilots.PilotProgram", verbose_name=_("program"), on_delete=models.CASCADE,
                                related_name="+")  # fmt: skip
    schedule = models.ForeignKey("pilots.ReportingSchedule", verbose_name=_("schedule"),
                                 on_delete=models.CASCADE, related_name="+")  # fmt: skip
    period_start = models.DateField(_("period start"))
    deadline = models.DateField(_("deadline"))
    level = models.CharField(_("reporting level"), max_length=12, choices=Level.choices)
    slots = models.IntegerField(_("expected reports"), default=0)
    filed_on_time = models.IntegerField(_("filed on time"), default=0)
    filed_late = models.IntegerField(_("filed late"), default=0)
    returned = models.IntegerField(_("returned"), default=0)
    accepted = models.IntegerField(_("accepted"), default=0)

    class Meta:
        verbose_name = _("report tally")
        verbose_name_plural = _("report tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "program", "schedule", "period_start", "deadline", "level"],
                name="tally_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.period_start} · {self.slots}"
