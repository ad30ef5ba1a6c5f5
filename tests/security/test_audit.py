"""Every write attributed (who, when, IP) and an organization's audit page, scoped like everything else."""

import pytest
from django.test import Client

from league.audit import audited_models, client_ip
from league.models import Organization


def test_every_historical_model_records_the_ip_and_reaches_an_organization(db):
    models = audited_models()
    assert {m._meta.label for m in models} >= {"league.Organization", "league.Region", "league.Membership"}
    for model in models:
        history = getattr(model, model._meta.simple_history_manager_attribute).model
        names = {f.name for f in history._meta.get_fields()}
        assert "ip_address" in names, f"{model._meta.label}: use league.audit.AuditedHistory()"
        assert getattr(model, "audit_path_field", None), f"{model._meta.label}: set audit_path_field"
        history.objects.filter(**{f"{model.audit_path_field}__startswith": "0"}).exists()  # the lookup works


def edit(client, org, **changes):
    data = {"name": org.name, "kind": org.kind, "domain": org.domain, "version": org.version, **changes}
    return client.post(f"/orgs/{org.pk}/edit/", data, REMOTE_ADDR="10.8.8.8")


def test_a_change_through_the_site_records_who_when_and_ip(world, client_for):
    response = edit(client_for("county"), world.zhonghe, name="中河街道团工委（新）")
    assert response.status_code == 302
    latest = world.zhonghe.history.latest()
    assert latest.history_user == world.users["county"]
    assert latest.ip_address == "10.8.8.8"
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


@pytest.mark.parametrize("size", [3, 30])
def test_audit_page_queries_do_not_grow(world, client_for, django_assert_max_num_queries, size):
    for i in range(size):
        Organization.objects.create(code=f"A{i}", name=f"单位{i}", level="grassroots", parent=world.zhonghe)
    client = client_for("county")
    with django_assert_max_num_queries(10):
        assert client.get(f"/orgs/{world.zhonghe.pk}/audit/").status_code == 200


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
    assert latest.ip_address is None and latest.name == "后台任务改名"


def test_anonymous_cannot_see_the_audit_page(world):
    response = Client().get(f"/orgs/{world.zhonghe.pk}/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
