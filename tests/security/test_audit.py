"""Every write attributed (who, when, IP) and an organization's audit page, scoped like everything else."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from league.audit import audited_models, client_ip, path_field_of
from league.models import HistoryOrigin, Organization


def test_every_historical_model_is_placed_under_an_organization(db):
    models = audited_models()
    assert {m._meta.label for m in models} >= {"league.Organization", "league.Region", "league.Membership"}
    unplaced = [m._meta.label for m in models if path_field_of(m) is None]
    assert not unplaced, f"set audit_path_field on {unplaced} (a lookup to an Organization path)"
    for model in models:
        history = getattr(model, model._meta.simple_history_manager_attribute).model
        history.objects.filter(**{f"{path_field_of(model)}__startswith": "0"}).exists()  # the lookup runs


def edit(client, org, **changes):
    data = {"name": org.name, "kind": org.kind, "domain": org.domain, "version": org.version, **changes}
    return client.post(f"/orgs/{org.pk}/edit/", data, REMOTE_ADDR="10.8.8.8")


def test_a_change_through_the_site_records_who_when_and_ip(world, client_for):
    response = edit(client_for("county"), world.zhonghe, name="中河街道团工委（新）")
    assert response.status_code == 302
    latest = world.zhonghe.history.latest()
    assert latest.history_user == world.users["county"]
    origin = HistoryOrigin.objects.get(history_model=latest._meta.label_lower, history_id=latest.history_id)
    assert origin.ip_address == "10.8.8.8"
    assert latest.history_type == "~" and latest.name == "中河街道团工委（新）"


def test_the_forwarded_address_from_the_proxy_is_used():
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.9")
    assert client_ip(request) == "10.0.0.9"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.1.1.1")) == "10.1.1.1"


def test_audit_page_shows_the_subtree_changes_to_those_who_manage_it(world, client_for):
    edit(client_for("county"), world.zhonghe, name="中河改名")
    edit(client_for("county"), world.shounan, name="首南改名")
    page = client_for("county").get(f"/orgs/{world.zhonghe.pk}/audit/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "中河改名" in body and "10.8.8.8" in body and "county" in body
    assert "首南改名" not in body  # a sibling's changes are not under 中河
    assert client_for("street").get(f"/orgs/{world.zhonghe.pk}/audit/").status_code == 403
    assert client_for("street_sibling").get(f"/orgs/{world.zhonghe.pk}/audit/").status_code == 404
    assert client_for("other_county").get(f"/orgs/{world.zhonghe.pk}/audit/").status_code == 404
    detail = client_for("county").get(f"/orgs/{world.zhonghe.pk}/").content.decode()
    assert f"/orgs/{world.zhonghe.pk}/audit/" in detail  # reachable by a link


def test_audit_page_queries_do_not_grow_with_data(world, client_for):
    client = client_for("county")
    counts = []
    for size in (3, 30):
        for i in range(size):
            Organization.objects.create(
                code=f"A{size}-{i}", name=f"单位{i}", level="grassroots", parent=world.zhonghe
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/orgs/{world.zhonghe.pk}/audit/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= len(audited_models()) + 10  # one query per audited model, plus the page's own


def test_audit_page_filters_by_record_type(world, client_for):
    edit(client_for("county"), world.zhonghe, name="中河改名")
    client = client_for("county")
    only_regions = client.get(f"/orgs/{world.zhonghe.pk}/audit/?model=league.region").content.decode()
    assert "中河改名" not in only_regions.split('data-testid="audit-table"')[1]
    junk = client.get(f"/orgs/{world.zhonghe.pk}/audit/?model=<script>&page=abc")
    assert junk.status_code == 200


def test_writes_without_a_request_are_kept_without_an_ip(world):
    world.zhonghe.name = "后台任务改名"
    world.zhonghe.save(update_fields=["name"])
    latest = world.zhonghe.history.latest()
    assert latest.name == "后台任务改名"
    assert not HistoryOrigin.objects.filter(history_id=latest.history_id).exists()


def test_anonymous_cannot_see_the_audit_page(world):
    response = Client().get(f"/orgs/{world.zhonghe.pk}/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
