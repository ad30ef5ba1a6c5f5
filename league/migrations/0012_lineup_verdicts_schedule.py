"""Every night: drop retired lineup verdicts and work out the day's (django-celery-beat's database schedule,
editable in the admin). Not needed for correctness — readers work out what is missing — but the first
national dashboard of a day after many changes then finds them ready."""

from django.db import migrations

NAME = "Refresh kept lineup verdicts"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": "league.lineup_verdicts_refresh", "crontab": nightly, "enabled": True}
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("league", "0011_lineup_verdicts_kept"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
