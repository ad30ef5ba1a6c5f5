"""Where a change came from: the client IP of each historical row (see league/history.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HistoryOrigin(models.Model):
    history_model = models.CharField(_("history table"), max_length=100)
    history_id = models.BigIntegerField(_("history id"))
    ip_address = models.GenericIPAddressField(_("IP address"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("change origin")
        verbose_name_plural = _("change origins")
        constraints = [
            models.UniqueConstraint(fields=["history_model", "history_id"], name="history_origin_unique")
        ]

    def __str__(self) -> str:
        return f"{self.history_model}#{self.history_id} ← {self.ip_address}"
