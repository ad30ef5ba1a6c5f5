"""Platform admins set programs up in the admin; saving generates the expected report slots."""

from pilots.models import ReportSlot


def test_admin_pages_load_and_the_action_fills_missing_slots(program, client_for):
    client = client_for("admin")
    for url in ["/admin/pilots/pilotprogram/", f"/admin/pilots/pilotprogram/{program.pk}/change/",
                "/admin/pilots/pilotunit/", "/admin/pilots/report/", "/admin/pilots/briefing/"]:  # fmt: skip
        assert client.get(url).status_code == 200, url
    ReportSlot.objects.filter(program=program, period_start__month=12).delete()
    client.post("/admin/pilots/pilotprogram/", {"action": "generate_slots", "_selected_action": [program.pk]})
    assert ReportSlot.objects.filter(program=program).count() == 24


def test_county_staff_do_not_get_the_admin(client_for):
    assert client_for("county").get("/admin/pilots/pilotprogram/").status_code == 302
