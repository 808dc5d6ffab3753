"""Attachments of nominations: content-based type checks and private storage under random names.

The type of a file is decided from its bytes, never from its name or the browser's claim. Files live in
settings.PRIVATE_MEDIA_ROOT (outside MEDIA_ROOT and STATIC_ROOT) and are served only by a permission-checked view.
"""

import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5

# Bounds of what an attachment may unpack to. A DOCX or ODT is a zip archive: its directory is checked before a
# byte is inflated, and then every part is inflated in small chunks, counting, so a bomb is refused with the
# server's memory bounded by CHUNK_BYTES whatever the archive claims.
MAX_ARCHIVE_ENTRIES = 2000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed, for parts over RATIO_FLOOR_BYTES (document XML packs 5–20 times)
RATIO_FLOOR_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024
ALLOWED_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
# Archives inside the document (an embedded spreadsheet is one too) are refused: by name and by their first bytes.
NESTED_SUFFIXES = (".zip", ".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".odt", ".ods", ".odp", ".jar", ".7z")
NESTED_SUFFIXES += (".rar", ".gz", ".tgz", ".bz2", ".xz", ".cab")
NESTED_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ")
NESTED_MAGIC += (b"MSCF",)
# Images: the pixels a decoder would allocate are read from the header, never decoded here.
MAX_IMAGE_PIXELS = 40_000_000
# PDFs: pages and declared objects, and the bytes any one stream may inflate to while the structure is read.
MAX_PDF_PAGES = 500
MAX_PDF_OBJECTS = 200_000
PDF_STREAM_OUTPUT_BYTES = 20 * 1024 * 1024

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


def _refuse(message, code: str, name: str, **params):
    raise ValidationError(message, code=code, params={"name": name, **params})


def _damaged(name: str):
    _refuse(_("The file %(name)s is damaged and cannot be opened. Save it again, or as PDF."), "damaged", name)


def _check_archive_directory(archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    """Refuse on what the archive's directory declares, before anything is inflated."""
    entries = archive.infolist()
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        _refuse(
            _("The file %(name)s contains too many parts (%(count)d; at most %(max)d). Save it again, or as PDF."),
            "archive_entries",
            name,
            count=len(entries),
            max=MAX_ARCHIVE_ENTRIES,
        )
    declared = sum(info.file_size for info in entries)
    if declared > MAX_UNPACKED_BYTES:
        _unpacks_too_large(name, declared)
    for info in entries:
        if info.flag_bits & 0x1:
            _refuse(_("The file %(name)s is protected with a password. Save it without a password."), "encrypted", name)
        if info.compress_type not in ALLOWED_ZIP_METHODS:
            _refuse(
                _("The file %(name)s is packed in a way that is not accepted. Save it again, or as PDF."),
                "archive_method",
                name,
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            _refuse(
                _("The file %(name)s is packed suspiciously tightly and cannot be accepted. Save it again, or as PDF."),
                "archive_ratio",
                name,
            )
        if info.filename.lower().endswith(NESTED_SUFFIXES):
            _nested(name, info.filename)
    return entries


def _unpacks_too_large(name: str, size: int):
    _refuse(
        _(
            "The file %(name)s would take %(size)s unpacked; at most %(max)s is allowed. Make the document smaller "
            "(e.g. with smaller images), or save it as PDF."
        ),
        "archive_size",
        name,
        size=filesizeformat(size),
        max=filesizeformat(MAX_UNPACKED_BYTES),
    )


def _nested(name: str, part: str):
    _refuse(
        _(
            "The file %(name)s contains another packed file (%(part)s). Remove embedded files from the document, "
            "or save it as PDF."
        ),
        "archive_nested",
        name,
        part=Path(part).name[:80],
    )


# Parts read for telling DOCX from ODT, and how much of each is kept.
_MANIFESTS = {"mimetype": 100, "[Content_Types].xml": 200_000}


def _inflate_bounded(archive: zipfile.ZipFile, entries, name: str) -> dict[str, bytes]:
    """Inflate every part in chunks, counting the bytes (the directory may lie); refuse nested archives by their
    first bytes. Returns the beginnings of the manifest parts. Memory stays within a chunk and the manifests."""
    kept: dict[str, bytes] = {}
    total = 0
    for info in entries:
        if info.is_dir():
            continue
        limit = _MANIFESTS.get(info.filename, 0)
        head = b""
        with archive.open(info) as member:
            while chunk := member.read(CHUNK_BYTES):
                if not head:
                    head = chunk[:8]
                    if head.startswith(NESTED_MAGIC):
                        _nested(name, info.filename)
                if limit and len(kept.get(info.filename, b"")) < limit:
                    kept[info.filename] = (kept.get(info.filename, b"") + chunk)[:limit]
                total += len(chunk)
                if total > MAX_UNPACKED_BYTES:
                    _unpacks_too_large(name, total)
    return kept


def _sniff_zip(upload, name: str) -> str | None:
    """DOCX and ODT are zip packages: checked as archives first, then told apart by their manifest, not the name.
    Raises ValidationError for a bomb, a nested archive, a password or a damaged package."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = _check_archive_directory(archive, name)
            names = {info.filename for info in entries}
            kept = _inflate_bounded(archive, entries, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, ValueError, KeyError):
        # zipfile's own errors of a broken, truncated or overlapping ("quine") archive
        _damaged(name)
    finally:
        upload.seek(0)
    if "mimetype" in names:
        return ODT if kept.get("mimetype", b"").decode("ascii", "replace").strip() == ODT else None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        manifest = kept.get("[Content_Types].xml", b"").decode("utf-8", "replace")
        if "wordprocessingml.document.main+xml" in manifest:
            return DOCX
    return None


def _check_image(upload, name: str, content_type: str) -> None:
    """The image's pixels from its header (never decoded here), then its structure."""
    upload.seek(0)
    too_many = _("The image %(name)s has too many pixels (at most %(max)s million). Make it smaller.")
    try:
        with Image.open(upload) as picture:
            if Image.MIME.get(picture.format) != content_type:
                _damaged(name)
            if picture.width * picture.height > MAX_IMAGE_PIXELS:
                _refuse(too_many, "too_many_pixels", name, max=MAX_IMAGE_PIXELS // 1_000_000)
            picture.verify()
    except Image.DecompressionBombError:
        _refuse(too_many, "too_many_pixels", name, max=MAX_IMAGE_PIXELS // 1_000_000)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        _damaged(name)
    finally:
        upload.seek(0)


def _check_pdf(upload, name: str) -> None:
    """The PDF's structure, read with pypdf under tight bounds: pages, declared objects, and how far any stream
    (object streams included) may inflate while reading it. Password-protected files are refused."""
    upload.seek(0)
    try:
        with pypdf.apply_configuration(
            zlib_maximum_output_length=PDF_STREAM_OUTPUT_BYTES,
            maximum_declared_stream_length=MAX_ATTACHMENT_BYTES,
            page_tree_maximum_entries=MAX_PDF_PAGES * 2,
            page_tree_maximum_page_entries=MAX_PDF_PAGES * 200,
        ):
            reader = pypdf.PdfReader(upload, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                _refuse(
                    _("The file %(name)s is protected with a password. Save it without a password."),
                    "encrypted",
                    name,
                )
            objects = int(reader.trailer.get("/Size", 0))
            pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception:  # a parser of hostile input: any failure of it means a file we cannot accept
        _damaged(name)
    finally:
        upload.seek(0)
    if pages > MAX_PDF_PAGES or objects > MAX_PDF_OBJECTS:
        _refuse(
            _("The file %(name)s is too large a document (%(pages)d pages; at most %(max)d). Send a shorter one."),
            "pdf_too_large",
            name,
            pages=pages,
            max=MAX_PDF_PAGES,
        )
    if pages == 0:
        _damaged(name)


def sniff_content_type(upload, name: str = "") -> str | None:
    """The allowed content type of `upload` judged from its bytes, or None when it is not one we accept.
    A file of an allowed type that is hostile or damaged (a bomb, a nested archive, too many pixels or pages,
    a password) raises ValidationError with a message saying what to do."""
    name = name or getattr(upload, "name", "") or ""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime in {JPEG, PNG}:
        _check_image(upload, name, kind.mime)
        return kind.mime
    if kind.mime == PDF:
        _check_pdf(upload, name)
        return PDF
    if kind.mime in {"application/zip", DOCX, ODT}:
        return _sniff_zip(upload, name)
    return None


def check_upload(upload) -> CheckedFile:
    """Validate one uploaded file's size, real type and content bounds; raises ValidationError with a plain
    message."""
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
    content_type = sniff_content_type(upload, upload.name)
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
