"""Reusable handling of uploaded files: check, store, serve.

- The type is sniffed from the file's first bytes, never taken from its name or the browser's header;
  only the kinds in ALLOWED are accepted (images, PDF, Word/Excel both OOXML and the old OLE2 format).
- Size is capped (MAX_UPLOAD_BYTES, settings.UPLOAD_MAX_BYTES overrides it).
- The stored name is generated (a random token plus a safe extension in a dated folder under
  settings.MEDIA_ROOT, never under static); the original name is kept only as data, sanitized.
- Files are served only by `serve()`, called from a view that has already fetched the owning object
  through league.policies, with `Content-Disposition: attachment` and `nosniff`.

    checked = check_upload(request.FILES["file"])          # raises UploadError with a clear message
    stored_name = store(checked, folder="reports")          # relative to MEDIA_ROOT
    return serve(stored_name, download_name=checked.name, content_type=checked.content_type)
"""

from __future__ import annotations

import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

PNG, JPEG, GIF, WEBP, PDF = "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLE2 = "application/x-ole-storage"  # .doc / .xls (the old Office formats)

EXTENSIONS = {PNG: "png", JPEG: "jpg", GIF: "gif", WEBP: "webp", PDF: "pdf", DOCX: "docx", XLSX: "xlsx"}
OLE2_EXTENSIONS = {"doc": "application/msword", "xls": "application/vnd.ms-excel"}
ALLOWED = frozenset(EXTENSIONS) | {OLE2}


class UploadError(ValueError):
    """The message names what is wrong with the file; nothing was stored."""


@dataclass
class CheckedUpload:
    file: File
    name: str  # sanitized original name, for display and download
    content_type: str
    extension: str
    size: int


def max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", MAX_UPLOAD_BYTES))


def sniff(head: bytes, file=None) -> str | None:
    """The content type told by the bytes themselves, or None when not one we accept."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE2
    if head.startswith(b"PK\x03\x04") and file is not None:
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            return None  # macro-enabled (.docm/.xlsm renamed): refused

        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
    return None


def safe_name(name: str, limit: int = 120) -> str:
    """A display name without paths, control characters or characters that break headers."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    # Control and format characters (NUL, newlines, right-to-left overrides that disguise "exe.pdf") go.
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp", "Cs"})
    name = re.sub(r"[\x00-\x1f\x7f\"'<>:|?*;]", "", name).strip(" .")
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: limit - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else name[:limit]
    return name or "file"


def check_upload(upload, *, allowed: frozenset[str] = ALLOWED) -> CheckedUpload:
    """Check size and sniffed type; raise UploadError with a message naming the file."""
    name = safe_name(getattr(upload, "name", "") or "file")
    size = upload.size if getattr(upload, "size", None) is not None else len(upload.read())
    limit = max_bytes()
    if size == 0:
        raise UploadError(_("“%(name)s” is empty.") % {"name": name})
    if size > limit:
        raise UploadError(
            _("“%(name)s” is %(size)s MB; files may be at most %(limit)s MB.")
            % {"name": name, "size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head, upload)
    if content_type not in allowed:
        raise UploadError(
            _("“%(name)s” is not an accepted file type (images, PDF, Word or Excel).") % {"name": name}
        )
    if content_type == OLE2:
        ext = name.rpartition(".")[2].lower()
        extension = ext if ext in OLE2_EXTENSIONS else "doc"
        content_type = OLE2_EXTENSIONS[extension]
    else:
        extension = EXTENSIONS[content_type]
    stem = name.rpartition(".")[0] or name
    return CheckedUpload(upload, f"{stem}.{extension}", content_type, extension, size)


def store(checked: CheckedUpload, *, folder: str) -> str:
    """Save under MEDIA_ROOT/<folder>/<yyyy>/<mm>/<random>.<ext>; return the stored name."""
    folder = re.sub(r"[^a-z0-9_-]", "", folder.lower()) or "uploads"
    stamp = timezone.localdate()
    target = f"{folder}/{stamp:%Y}/{stamp:%m}/{secrets.token_hex(16)}.{checked.extension}"
    checked.file.seek(0)
    return default_storage.save(target, checked.file)


def delete(stored_name: str) -> None:
    if stored_name:
        default_storage.delete(stored_name)


def serve(stored_name: str, *, download_name: str, content_type: str) -> FileResponse:
    """Send a stored file as a download. Call only after the owning object passed a scope check."""
    if not stored_name or ".." in stored_name or stored_name.startswith("/"):
        raise Http404
    try:
        handle = default_storage.open(stored_name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=safe_name(download_name),
                            content_type=content_type)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"  # never run as a page of the site
    return response


def in_memory(data: bytes, name: str):
    """An uploaded-file-like object from bytes (for services and tests)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


__all__ = ["UploadError", "CheckedUpload", "check_upload", "store", "serve", "delete", "sniff", "safe_name"]
