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


@shared_task(name="league.lineup_verdicts_refresh")
def lineup_verdicts_refresh() -> int:
    """After a rule change retired every kept lineup verdict: work today's out again in the background, so
    the next national dashboard does not do it (league.lineup_snapshots); returns how many were missing."""
    from . import lineup_snapshots
    from .models import Organization

    lineup_snapshots.prune()
    return lineup_snapshots.refresh(Organization.objects.all(), on=timezone.localdate())
