"""Reports keep their slot's period start (Report.period_start), filled here from their slots, with the report
list's index (newest period, then tree order) in place of the slots' one by organization id."""

from django.db import migrations, models

FILL = """UPDATE pilots_report SET period_start = (
    SELECT s.period_start FROM pilots_reportslot s WHERE s.id = pilots_report.slot_id)"""


class Migration(migrations.Migration):

    dependencies = [
        ('pilots', '0012_report_path_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='period_start',
            field=models.DateField(editable=False, null=True, verbose_name='period start'),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='report',
            name='period_start',
            field=models.DateField(editable=False, verbose_name='period start'),
        ),
        migrations.AlterModelOptions(
            name='report',
            options={'ordering': ['-period_start', 'path', 'id'], 'verbose_name': 'report', 'verbose_name_plural': 'reports'},
        ),
        migrations.RemoveIndex(
            model_name='reportslot',
            name='slot_period_desc_org',
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(fields=['-period_start', 'path', 'id'], name='report_period_path', opclasses=['date_ops', 'varchar_pattern_ops', 'int8_ops']),
        ),
    ]
