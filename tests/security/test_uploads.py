"""league/uploads.py, tried with hostile files: sniffed type, size cap, clean names, storage, serving."""

import io
import zipfile
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory

from league import uploads


@pytest.fixture(autouse=True)
def _english_messages():
    """The assertions below read the English messages; the Chinese ones are checked by the catalog test."""
    from django.utils import translation

    with translation.override("en"):
        yield


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def ooxml(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name in ("[Content_Types].xml", *members):
            zf.writestr(name, b"<xml/>")
    return buffer.getvalue()


def up(name, data):
    return SimpleUploadedFile(name, data, content_type="application/pdf")  # the browser's claim is ignored


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize(
    "name, data",
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>"),  # HTML dressed as PDF
        ("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),  # SVG can script
        ("table.xlsx", b"code,name\nA,B\n"),  # CSV renamed
        ("table.xlsx", b"PK\x03\x04" + b"\x00" * 64),  # a broken zip
        ("table.xlsx", ooxml("evil.sh")),  # a zip that is not Office
        ("table.xlsx", ooxml("xl/workbook.xml", "xl/vbaProject.bin")),  # macros (.xlsm renamed)
        ("notes.docx", ooxml("word/document.xml", "word/vbaProject.bin")),  # macros (.docm renamed)
        ("run.pdf", b"MZ\x90\x00" + b"\x00" * 64),  # a Windows executable
    ],
)
def test_hostile_content_is_refused_whatever_its_name(name, data):
    with pytest.raises(uploads.UploadError, match="not an accepted file type"):
        uploads.check_upload(up(name, data))


def test_type_and_extension_come_from_the_content():
    png = uploads.check_upload(up("invoice.exe", PNG))
    assert png.content_type == "image/png" and png.name == "invoice.png"
    xlsx = uploads.check_upload(up("data", ooxml("xl/workbook.xml")))
    assert xlsx.extension == "xlsx"
    docx = uploads.check_upload(up("总结.docx", ooxml("word/document.xml")))
    assert docx.extension == "docx" and docx.name == "总结.docx"


def test_size_is_capped_with_a_message_and_empty_files_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(uploads.UploadError, match="at most 1.0 MB"):
        uploads.check_upload(up("big.pdf", PDF + b"0" * (1024 * 1024)))
    with pytest.raises(uploads.UploadError, match="is empty"):
        uploads.check_upload(up("empty.pdf", b""))


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\x\\desktop\\照片.png", "照片.png"),
        ("a\x00b\r\nc.png", "abc.png"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),  # the right-to-left override that hides "exe"
        ('"; filename="evil.html', "filename=evil.html"),
        ("....", "file"),
        ("", "file"),
    ],
)
def test_names_are_sanitized(raw, clean):
    assert uploads.safe_name(raw) == clean


def test_long_names_keep_their_extension():
    name = uploads.safe_name("长" * 300 + ".pdf")
    assert len(name) <= 120 and name.endswith(".pdf")


def test_stored_outside_static_under_a_random_name(media):
    checked = uploads.check_upload(up("../../static/js/app.js.png", PNG))
    stored = uploads.store(checked, folder="../Reports!")
    path = Path(media) / stored
    assert path.is_file() and path.read_bytes() == PNG
    assert stored.startswith("reports/") and "app" not in stored and stored.endswith(".png")
    static_dirs = [Path(django_settings.STATIC_ROOT), *map(Path, django_settings.STATICFILES_DIRS)]
    assert not any(path.resolve().is_relative_to(d.resolve()) for d in static_dirs)
    again = uploads.store(uploads.check_upload(up("x.png", PNG)), folder="reports")
    assert again != stored


def test_served_as_an_attachment_that_never_runs_as_a_page(media):
    stored = uploads.store(uploads.check_upload(up("x.png", PNG)), folder="pilots")
    request = RequestFactory().get("/pilots/attachments/1/")
    middleware = CSPMiddleware(
        lambda r: uploads.serve(stored, download_name='总结"\r\n.html', content_type="image/png")
    )
    response = middleware(request)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize("name", ["../secret.txt", "/etc/passwd", "", "pilots/2026/01/missing.png"])
def test_serving_refuses_paths_outside_storage_and_missing_files(media, name):
    with pytest.raises(Http404):
        uploads.serve(name, download_name="x", content_type="image/png")


def test_media_is_never_served_by_url(media, client_for):
    stored = uploads.store(uploads.check_upload(up("x.png", PNG)), folder="pilots")
    for url in (f"{django_settings.MEDIA_URL}{stored}", f"/media/{stored}", f"/static/../media/{stored}"):
        assert client_for("admin").get(url).status_code == 404, url


def test_a_request_body_above_the_limit_is_refused_before_reading(client_for, settings):
    settings.MAX_REQUEST_BYTES = 1024
    response = client_for("county").post("/orgs/import/", {"file": SimpleUploadedFile("a.xlsx", b"x" * 5000)})
    assert response.status_code == 413 and "MB" in response.content.decode()
