"""Task records: one row per background task that must take effect once, claimed before it runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TaskState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("task state", "pending")
    RUNNING = "running", _("running")
    DONE = "done", _("done")


class TaskRecord(models.Model):
    """A task's claim and outcome. Redelivered copies of a task find the row and do nothing twice.

    A worker claims a pending row (or a running one whose lease ran out, because its worker died) with
    one compare-and-set UPDATE; only the claimer may mark it done. `attempts` counts claims,
    `completions` counts finished runs and never exceeds one.
    """

    key = models.CharField(_("key"), max_length=80, unique=True)
    batch = models.CharField(_("batch"), max_length=64, db_index=True)
    task = models.CharField(_("task"), max_length=80)
    state = models.CharField(_("state"), max_length=10, choices=TaskState.choices, default=TaskState.PENDING)
    enqueued_by = models.CharField(_("enqueued by"), max_length=80, blank=True)
    node = models.CharField(_("claimed by"), max_length=120, blank=True)
    done_by = models.CharField(_("done by"), max_length=120, blank=True)
    attempts = models.PositiveIntegerField(pgettext_lazy("task claims", "attempts"), default=0)
    completions = models.PositiveIntegerField(_("completions"), default=0)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("task record")
        verbose_name_plural = _("task records")
        constraints = [
            models.CheckConstraint(condition=models.Q(completions__lte=1), name="ops_task_completes_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"
