"""Register the reminder sweeps in django-celery-beat's database schedule (editable in the admin):
weekly on Monday 09:00 Asia/Shanghai, and a daily overdue check at 09:30."""

from django.db import migrations

WEEKLY = "Weekly reporting reminders"
DAILY = "Daily overdue check"


def create_schedules(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    monday, _ = Crontab.objects.get_or_create(minute="0", hour="9", day_of_week="1", day_of_month="*",
                                              month_of_year="*", timezone="Asia/Shanghai")  # fmt: skip
    daily, _ = Crontab.objects.get_or_create(minute="30", hour="9", day_of_week="*", day_of_month="*",
                                             month_of_year="*", timezone="Asia/Shanghai")  # fmt: skip
    PeriodicTask.objects.get_or_create(name=WEEKLY, defaults={"task": "pilots.reminders_sweep", "crontab": monday,
                                                              "enabled": True})  # fmt: skip
    PeriodicTask.objects.get_or_create(name=DAILY, defaults={
        "task": "pilots.reminders_sweep", "crontab": daily, "enabled": True,
        "kwargs": '{"kinds": ["overdue", "escalation", "returned", "due_soon"]}',
    })  # fmt: skip


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[WEEKLY, DAILY]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pilots", "0003_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedules, remove_schedules)]
