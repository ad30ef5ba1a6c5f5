"""Uploads: the type comes from the bytes, the size is capped, names are sanitized, files stay private."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from league import uploads
from pilots import services
from pilots.models import Attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    "data,name,expected",
    [
        (PNG, "photo.jpg", "image/png"),
        (PDF, "a.exe", "application/pdf"),
        (docx_bytes(), "x.zip", uploads.DOCX),
    ],
)
def test_type_is_sniffed_from_the_bytes_not_the_name(data, name, expected):
    checked = uploads.check_upload(uploads.in_memory(data, name))
    assert checked.content_type == expected
    assert checked.name.endswith("." + uploads.EXTENSIONS[expected])


def test_disguised_script_is_refused():
    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_upload(uploads.in_memory(b"<script>alert(1)</script>", "report.pdf"))
    assert "report.pdf" in str(exc.value)


def test_plain_zip_is_not_an_office_file():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("evil.sh", "rm -rf /")
    with pytest.raises(uploads.UploadError):
        uploads.check_upload(uploads.in_memory(buf.getvalue(), "a.docx"))


def test_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(uploads.UploadError) as exc:
        uploads.check_upload(uploads.in_memory(PNG + b"\x00" * 2000, "big.png"))
    assert "big.png" in str(exc.value) and "MB" in str(exc.value)


def test_names_are_sanitized_and_files_stored_under_media_root():
    checked = uploads.check_upload(uploads.in_memory(PDF, '../../etc/pass"wd<>.pdf'))
    assert checked.name == "pass" + "wd.pdf"
    stored = uploads.store(checked, folder="../pilots")
    assert stored.startswith("pilots/") and ".." not in stored and "passwd" not in stored
    path = Path(settings.MEDIA_ROOT) / stored
    assert path.read_bytes() == PDF
    assert not str(path).startswith(str(settings.STATIC_ROOT))


def test_attachment_on_a_draft_and_bad_files_store_nothing(jan_slot, world):
    street = world.users["street"]
    report = services.report_start(slot=jan_slot, by=street, on=dt.date(2026, 1, 5))
    attachment = services.attachment_add(report=report, by=street, upload=uploads.in_memory(PNG, "活动.png"))
    assert attachment.content_type == "image/png" and attachment.original_name == "活动.png"
    with pytest.raises(services.PilotError) as exc:
        services.attachment_add(report=report, by=street, upload=uploads.in_memory(b"MZ\x90\x00", "x.docx"))
    assert exc.value.field == "file"
    assert Attachment.objects.count() == 1
    files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(files) == 1
