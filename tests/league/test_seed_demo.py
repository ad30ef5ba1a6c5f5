import pytest
from django.core.management import call_command

from league.models import Level, Organization


@pytest.mark.django_db
def test_scale_data_is_deterministic_and_paths_are_right():
    call_command("seed_demo", "--skip-demo", "--scale", "3", "--streets", "2", "--branches", "2")
    assert Organization.objects.filter(level=Level.COUNTY).count() == 3
    assert Organization.objects.filter(level=Level.STREET).count() == 6
    assert Organization.objects.filter(level=Level.GRASSROOTS).count() == 12
    call_command("seed_demo", "--skip-demo", "--scale", "4", "--streets", "2", "--branches", "2")
    assert Organization.objects.filter(level=Level.COUNTY).count() == 4
    for org in Organization.objects.select_related("parent"):
        expected = (org.parent.path if org.parent else "") + f"{org.pk:08d}."
        assert org.path == expected
    # new rows after a bulk load get fresh ids
    branch = Organization.objects.filter(level=Level.GRASSROOTS).first()
    new = Organization(code="AFTER", name="后来的", level=Level.GRASSROOTS, parent=branch)
    new.save()
    assert new.path.startswith(branch.path)


@pytest.mark.django_db
def test_a_scale_load_leaves_the_planner_statistics_fresh():
    """SQLite keeps no statistics until ANALYZE runs; without them it picks the wrong index for lists."""
    from django.db import connection

    call_command("seed_demo", "--skip-demo", "--scale", "2", "--streets", "2", "--branches", "2")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'league_organization'")
            assert cursor.fetchone()[0] > 0
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'league_organization'")
            assert cursor.fetchone()[0] >= Organization.objects.count() > 0
