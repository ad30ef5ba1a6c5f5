from django.db import migrations

LADDER = [(1, "提醒约谈"), (2, "告诫约谈"), (3, "建议调整函")]


def forwards(apps, schema_editor):
    Step = apps.get_model("pilots", "EscalationStep")
    for years, name in LADDER:
        Step.objects.get_or_create(years_running=years, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("pilots", "0003_assessment")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
