"""Background tasks of the league app. A task is thin: it loads by id and calls a service."""

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(name="league.heartbeat")
def heartbeat(name: str = "worker") -> str:
    """Record that a worker ran a task now (scheduled every minute by beat; /healthz shows it)."""
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
    return name


@shared_task(name="league.export_run", acks_late=True)
def export_run(job_id: int) -> int | None:
    from . import services

    job = services.export_job_run(job_id=job_id)
    return job.done_rows if job else None


@shared_task(name="league.exports_expire")
def exports_expire() -> int:
    """Hourly (beat): delete expired export files, and previewed import files never applied."""
    from . import imports, services

    imports.imports_cleanup()
    return services.exports_expire()
