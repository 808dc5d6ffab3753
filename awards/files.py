"""Attachments of nominations: content-based type checks and private storage under random names.

The type of a file is decided from its bytes, never from its name or the browser's claim. Files live in
settings.PRIVATE_MEDIA_ROOT (outside MEDIA_ROOT and STATIC_ROOT) and are served only by a permission-checked view.
"""

import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
JPEG = "image/jpeg"
PNG = "image/png"

EXTENSIONS = {PDF: "pdf", DOCX: "docx", ODT: "odt", JPEG: "jpg", PNG: "png"}
ALLOWED_DESCRIPTION = _("PDF, Word (DOCX), OpenDocument text (ODT), JPEG or PNG")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


def _sniff_zip(upload) -> str | None:
    """DOCX and ODT are zip packages: tell them apart by their manifest, not by the name."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return ODT if mimetype == ODT else None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                manifest = archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
                if "wordprocessingml.document.main+xml" in manifest:
                    return DOCX
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, KeyError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff_content_type(upload) -> str | None:
    """The allowed content type of `upload` judged from its bytes, or None when it is not one we accept."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime in {PDF, JPEG, PNG}:
        return kind.mime
    if kind.mime in {"application/zip", DOCX, ODT}:
        return _sniff_zip(upload)
    return None


def check_upload(upload) -> CheckedFile:
    """Validate one uploaded file's size and real type; raises ValidationError with a plain message."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file %(name)s is empty."), code="empty", params={"name": upload.name})
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file %(name)s is %(size)s; the largest allowed is %(max)s."),
            code="too_large",
            params={
                "name": upload.name,
                "size": filesizeformat(size),
                "max": filesizeformat(MAX_ATTACHMENT_BYTES),
            },
        )
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise ValidationError(
            _("The file %(name)s is not of an allowed type. Allowed: %(allowed)s."),
            code="type",
            params={"name": upload.name, "allowed": ALLOWED_DESCRIPTION},
        )
    return CheckedFile(content_type=content_type, extension=EXTENSIONS[content_type], size=size)


def private_root() -> Path:
    # Read at call time: tests and deployments point it elsewhere after import.
    return Path(settings.PRIVATE_MEDIA_ROOT)


def attachment_path(stored_name: str) -> Path:
    root = private_root().resolve()
    path = (root / "attachments" / stored_name).resolve()
    if root not in path.parents:
        raise ValueError("Attachment path escapes the private root.")
    return path


def store_upload(upload, checked: CheckedFile) -> str:
    """Write `upload` under a fresh random name; returns the stored name."""
    stored_name = f"{secrets.token_hex(16)}.{checked.extension}"
    path = attachment_path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    upload.seek(0)
    with path.open("xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    path.chmod(0o600)
    return stored_name


def clean_copy_name(stored_name: str) -> str:
    """The stored name of an attachment's cleaned copy (no metadata; awards/documents.py), beside the original."""
    stem, _dot, extension = stored_name.rpartition(".")
    return f"{stem}.clean.{extension}"


def delete_stored(stored_name: str) -> None:
    attachment_path(stored_name).unlink(missing_ok=True)
    attachment_path(clean_copy_name(stored_name)).unlink(missing_ok=True)


def safe_download_name(name: str, extension: str) -> str:
    """The original name without path parts or control characters, with the extension of its real type."""
    base = Path(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*')
    stem = Path(base).stem.strip(" .") or "attachment"
    return f"{stem[:120]}.{extension}"
