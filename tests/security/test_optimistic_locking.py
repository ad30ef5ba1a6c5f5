"""Lost updates are impossible: the second of two saves from the same version is refused, with who/when."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from league.locking import StaleObjectError, save_versioned
from league.models import Organization
from tests.conftest import wait_for


def form_data(org, **changes):
    return {"name": org.name, "kind": org.kind, "domain": org.domain, "version": org.version, **changes}


def test_the_second_of_two_editors_is_refused_with_who_and_when(world, client_for):
    county, city = client_for("county"), client_for("city")
    opened = Organization.objects.get(pk=world.zhonghe.pk)  # both open the page at version 1
    assert 'name="version" value="1"' in county.get(f"/orgs/{opened.pk}/edit/").content.decode()
    first = county.post(f"/orgs/{opened.pk}/edit/", form_data(opened, name="中河街道（区委改）"))
    assert first.status_code == 302
    second = city.post(f"/orgs/{opened.pk}/edit/", form_data(opened, name="中河街道（市委改）"))
    assert second.status_code == 409
    body = second.content.decode()
    assert "county" in body and "刷新" in body  # "changed by county at …, reload"
    assert "中河街道（市委改）" in body  # what the user typed is still in the form
    current = Organization.objects.get(pk=opened.pk)
    assert current.name == "中河街道（区委改）" and current.version == 2
    assert current.updated_by == world.users["county"]
    # After reloading, the second editor's save goes through.
    again = city.post(f"/orgs/{opened.pk}/edit/", form_data(current, name="中河街道（市委改）"))
    assert again.status_code == 302
    assert Organization.objects.get(pk=opened.pk).version == 3


def test_bad_input_on_the_edit_form_names_the_field_and_stores_nothing(world, client_for):
    client = client_for("county")
    for data in (
        form_data(world.zhonghe, name="   "),
        form_data(world.zhonghe, kind="nonsense"),
        form_data(world.zhonghe, version="abc"),
        form_data(world.zhonghe, name="长" * 121),
    ):
        response = client.post(f"/orgs/{world.zhonghe.pk}/edit/", data)
        body = response.content.decode()
        assert response.status_code == 200 and ("invalid-feedback" in body or "alert-danger" in body), data
    assert Organization.objects.get(pk=world.zhonghe.pk).version == 1


def test_save_versioned_refuses_a_stale_instance(world):
    a = Organization.objects.get(pk=world.county.pk)
    b = Organization.objects.get(pk=world.county.pk)
    a.name = "甲"
    save_versioned(a, by=world.users["city"], expected_version=1, update_fields=["name"])
    b.name = "乙"
    with pytest.raises(StaleObjectError) as caught:
        save_versioned(b, by=world.users["province"], expected_version=1, update_fields=["name"])
    assert caught.value.changed_by == world.users["city"]
    assert Organization.objects.get(pk=world.county.pk).name == "甲"


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_postgresql_exactly_one_wins(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrency are proven on PostgreSQL (make test's second pass)")
    org = Organization.objects.get(pk=world.zhonghe.pk)
    results: dict[str, int] = {}

    def post(persona, name):
        client = Client()
        client.force_login(world.users[persona])
        try:
            results[persona] = client.post(f"/orgs/{org.pk}/edit/", form_data(org, name=name)).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(p, f"{p} 的名字")) for p in ("county", "city")]
    with transaction.atomic():
        # Hold the row so both requests reach the version check at the same time, then let them race.
        Organization.objects.select_for_update().get(pk=org.pk)
        for t in threads:
            t.start()
        waiting = (
            "SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted"  # live, unlike pg_stat_activity
        )

        def both_waiting():
            with connection.cursor() as cursor:
                cursor.execute(waiting)
                return cursor.fetchone()[0] >= 2

        assert wait_for(both_waiting, timeout=20), results
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == [302, 409], results
    final = Organization.objects.get(pk=org.pk)
    winner = "county" if results["county"] == 302 else "city"
    assert final.version == 2 and final.name == f"{winner} 的名字"
    assert final.history.filter(history_type="~").count() == 1  # one change kept, none lost silently
