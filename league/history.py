"""History rows that say who, when and from which IP (django-simple-history). See league/audit.py."""

from __future__ import annotations

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class IPAddressHistoricalModel(models.Model):
    """Abstract base of every historical row: the address the change came from."""

    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        abstract = True


def AuditedHistory(**kwargs) -> HistoricalRecords:
    bases = kwargs.pop("bases", [])
    return HistoricalRecords(bases=[IPAddressHistoricalModel, *bases], **kwargs)


def client_ip(request) -> str | None:
    """REMOTE_ADDR; behind a proxy that sets X-Forwarded-For, the nearest hop it saw (the last entry)."""
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidates = [part.strip() for part in forwarded.split(",") if part.strip()]
    address = candidates[-1] if candidates else request.META.get("REMOTE_ADDR")
    return address or None


@receiver(pre_create_historical_record)
def _stamp_ip(sender, history_instance, **kwargs):
    if hasattr(history_instance, "ip_address") and not history_instance.ip_address:
        request = getattr(HistoricalRecords.context, "request", None)
        history_instance.ip_address = client_ip(request)
