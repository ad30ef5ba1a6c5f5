"""A large export through the real path: Redis broker, a real Celery worker process, the file on disk."""

import io

import pytest
from openpyxl import load_workbook

from league.models import ExportJob, ExportStatus, Notice
from tests.conftest import wait_for
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.realservices, pytest.mark.django_db(transaction=True)]


def test_real_worker_writes_the_filtered_scoped_export(celery_worker_process, client_for, world, settings):
    settings.EXPORT_BACKGROUND_THRESHOLD = 5
    for i in range(12):
        OrganizationFactory(code=f"BIG-ZH-{i:02d}", name=f"中河大批团支部{i}", parent=world.zhonghe)
        OrganizationFactory(code=f"BIG-SN-{i:02d}", name=f"首南大批团支部{i}", parent=world.shounan)
    client = client_for("street_sibling")
    response = client.get("/orgs/export.xlsx?level=grassroots")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    done = wait_for(lambda: ExportJob.objects.filter(pk=job.pk, status=ExportStatus.DONE).first(), timeout=30)
    assert done is not None, ExportJob.objects.get(pk=job.pk).error or "the worker did not finish the export"
    assert done.done_rows == 13
    download = client.get(f"/exports/{job.pk}/download/")
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    codes = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted(["ZJ-NB-YZ-SN-01"] + [f"BIG-SN-{i:02d}" for i in range(12)])
    assert not any("中河" in str(c) for row in ws.iter_rows(values_only=True) for c in row)
    assert Notice.objects.filter(recipient=world.users["street_sibling"], url=f"/exports/{job.pk}/").exists()
    assert client_for("county").get(f"/exports/{job.pk}/download/").status_code == 404
