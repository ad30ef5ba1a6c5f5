import socket

import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["database"] == "ok" and data["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_broker_down(client, settings):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connection refused
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["database"] == "ok"
    assert data["broker"].startswith("error")
