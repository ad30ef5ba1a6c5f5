"""The admin shows funds and the ledger read-only, and lets an admin set a program's five-ones targets."""

from pilots.funds.models import LedgerEntry


def test_ledger_is_read_only_in_the_admin(funded, client_for):
    client = client_for("admin")
    for url in ["/admin/pilots/ledgerentry/", "/admin/pilots/fund/", f"/admin/pilots/fund/{funded.pk}/change/",
                "/admin/pilots/projectapplication/", "/admin/pilots/fiveonestarget/", "/admin/pilots/visit/"]:  # fmt: skip
        assert client.get(url).status_code == 200, url
    entry = funded.entries.first()
    assert client.post(f"/admin/pilots/ledgerentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_admin_sets_five_ones_targets(program, client_for):
    client = client_for("admin")
    response = client.post("/admin/pilots/fiveonestarget/add/", {
        "program": program.pk, "plans": 1, "activities": 1, "funding_solved": 1, "visits": 3,
        "visit_period": "month", "difficulties_solved": 1,
    })  # fmt: skip
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.five_ones_target.visits, program.five_ones_target.visit_period) == (3, "month")
