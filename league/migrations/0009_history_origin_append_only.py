from django.db import migrations

from league.immutability import Immutable


class Migration(migrations.Migration):
    dependencies = [("league", "0008_audit_origin_and_versions")]

    operations = [Immutable("league.HistoryOrigin")]
