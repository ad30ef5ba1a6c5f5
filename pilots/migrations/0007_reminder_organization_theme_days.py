"""Reminders name their organization (theme-day reminders have no report slot nor program)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_organization(apps, schema_editor):
    Reminder = apps.get_model("pilots", "Reminder")
    ReportSlot = apps.get_model("pilots", "ReportSlot")
    Reminder.objects.filter(organization__isnull=True).update(
        organization=Subquery(ReportSlot.objects.filter(pk=OuterRef("slot_id")).values("organization_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("league", "0001_initial"),
        ("pilots", "0006_merge_20261124_0549"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reminders",
                to="league.organization",
                verbose_name="organization",
            ),
        ),
        migrations.RunPython(fill_organization, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reminder",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reminders",
                to="league.organization",
                verbose_name="organization",
            ),
        ),
        migrations.AlterField(
            model_name="reminder",
            name="program",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reminders",
                to="pilots.pilotprogram",
                verbose_name="program",
            ),
        ),
        migrations.AlterField(
            model_name="reminder",
            name="slot",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reminders",
                to="pilots.reportslot",
                verbose_name="slot",
            ),
        ),
        migrations.AlterField(
            model_name="remindermessage",
            name="program",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reminder_messages",
                to="pilots.pilotprogram",
                verbose_name="program",
            ),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(
                condition=models.Q(("slot__isnull", True)),
                fields=("organization", "kind", "deadline", "sequence"),
                name="reminder_org_claim_once",
            ),
        ),
    ]
