"""From which IP every change came: django-simple-history records who and when, this adds where.

Every historical row created while a request is being served (HistoryRequestMiddleware keeps it in
simple_history's context) gets a HistoryOrigin row with the client's address, whatever the model: a
feature's `history = HistoricalRecords()` is attributed without any change to the feature.
"""

from __future__ import annotations

from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record


def client_ip(request) -> str | None:
    """REMOTE_ADDR; behind a proxy that sets X-Forwarded-For, the nearest hop it saw (the last entry)."""
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidates = [part.strip() for part in forwarded.split(",") if part.strip()]
    address = candidates[-1] if candidates else request.META.get("REMOTE_ADDR")
    return address or None


@receiver(post_create_historical_record)
def _record_origin(sender, history_instance, **kwargs):
    from .models import HistoryOrigin

    address = client_ip(getattr(HistoricalRecords.context, "request", None))
    if address:
        HistoryOrigin.objects.create(
            history_model=history_instance._meta.label_lower,
            history_id=history_instance.pk,
            ip_address=address,
        )
