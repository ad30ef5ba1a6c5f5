"""The Celery app. Broker from CELERY_BROKER_URL (filesystem transport by default, Redis at scale)."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "league.settings")

app = Celery("league")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _announce(sender, **kwargs):
    """Record a heartbeat as soon as a worker is up, so /healthz shows it without waiting for beat."""
    sender.app.send_task("league.heartbeat")
