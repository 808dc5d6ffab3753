"""Hostile attachments: real zip bombs (DOCX and ODT, made here), an archive whose directory lies, a nested
archive, a decompression-bomb PNG and an oversized PDF are refused with a clear message, nothing is stored, and
the server's memory stays bounded while it finds out (traced with tracemalloc, and by counting the bytes read)."""

import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from awards import files
from awards.models import Attachment
from awards.services import nominations as services
from tests.factories import complete_draft

pytestmark = pytest.mark.django_db

BOMB_BYTES = 800 * 1024 * 1024  # what the bomb inflated to
# Generous: the checks keep a 64 KB chunk and the small manifests; zipfile and Pillow add their buffers.
MEMORY_BOUND = 8 * 1024 * 1024

CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _zip(entries, *, method=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive; an entry's content may be bytes or (head, byte, count): `head` and then `count` copies of a
    byte, streamed in (never held in memory whole)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, content in entries.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            head, byte, count = content
            block = byte * (1024 * 1024)
            with archive.open(name, "w", force_zip64=count > 2**31) as member:
                member.write(head)
                for _ in range(count // len(block)):
                    member.write(block)
    return buffer.getvalue()


def docx(**extra) -> bytes:
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>", **extra})


def odt(**extra) -> bytes:
    return _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>", **extra})


def _lie_about_sizes(data: bytes, size: int) -> bytes:
    """Rewrite every declared uncompressed size (local headers and the central directory) to `size`."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := raw.find(signature, start)) != -1:
            raw[at + offset : at + offset + 4] = struct.pack("<I", size)
            start = at + 4
    return bytes(raw)


class CountingUpload(SimpleUploadedFile):
    """An upload that counts the bytes the checks read from it."""

    bytes_read = 0

    def read(self, *args, **kwargs):
        data = super().read(*args, **kwargs)
        self.bytes_read += len(data)
        return data


def upload(name, content) -> CountingUpload:
    return CountingUpload(name, content, content_type="application/octet-stream")


def checked_within_memory(file):
    """Run the checks on `file` and return the ValidationError, asserting the traced peak memory stays bounded."""
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            files.check_upload(file)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, peak
    return refused.value


@pytest.fixture(scope="module")
def docx_bomb():
    # The manifest itself is the bomb: a valid start, then 800 MB of blanks (the part a type check reads).
    return _zip({"[Content_Types].xml": (CONTENT_TYPES, b" ", BOMB_BYTES), "word/document.xml": b"<w:document/>"})


@pytest.fixture(scope="module")
def odt_bomb():
    return _zip({"mimetype": (b"application/vnd.oasis.opendocument.text", b" ", BOMB_BYTES), "content.xml": b"<o/>"})


@pytest.mark.parametrize("bomb", ["docx_bomb", "odt_bomb"])
def test_zip_bomb_is_refused_from_its_directory_without_inflating(request, bomb):
    content = request.getfixturevalue(bomb)
    assert len(content) < files.MAX_ATTACHMENT_BYTES  # it passes the size limit of uploads
    file = upload("kuvaus.docx" if bomb == "docx_bomb" else "kuvaus.odt", content)
    error = checked_within_memory(file)
    assert error.code == "archive_size"
    assert "unpacked" in error.messages[0]
    assert "kuvaus" in error.messages[0]
    # Only the archive's directory was read, not the packed data (around 800 kB).
    assert file.bytes_read < 64 * 1024 + 8192, file.bytes_read


def test_zip_bomb_whose_directory_lies_is_refused_after_a_bounded_read(docx_bomb):
    liar = _lie_about_sizes(docx_bomb, 4096)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(liar)).infolist()) < 20_000
    error = checked_within_memory(upload("valehtelija.docx", liar))
    assert error.code in {"damaged", "archive_ratio", "archive_size"}


def test_many_small_parts_declaring_little_but_inflating_much_are_refused():
    # 110 parts of 1 MB of zeros each: every part passes the ratio floor, together they pass the limit.
    entries = {f"word/part{n}.xml": (b"", b"\x00", 1024 * 1024) for n in range(110)}
    error = checked_within_memory(upload("monta.docx", docx(**entries)))
    assert error.code == "archive_size"


def test_tightly_packed_part_is_refused_by_its_ratio():
    content = docx(**{"word/filler.xml": (b"", b"\x00", 20 * 1024 * 1024)})
    error = checked_within_memory(upload("tiivis.docx", content))
    assert error.code == "archive_ratio"


def test_too_many_parts_are_refused():
    entries = {f"word/p{n}.xml": b"x" for n in range(files.MAX_ARCHIVE_ENTRIES + 1)}
    assert checked_within_memory(upload("osat.docx", docx(**entries))).code == "archive_entries"


@pytest.mark.parametrize(
    ("extra", "part"),
    [
        ({"word/embeddings/taulukko.xlsx": _zip({"xl/workbook.xml": b"<workbook/>"})}, "taulukko.xlsx"),
        ({"word/media/kuva.png": _zip({"inner.txt": b"hidden"})}, "kuva.png"),  # an archive dressed as an image
        ({"word/media/arkisto.gz": b"\x1f\x8b\x08\x00" + b"\x00" * 16}, "arkisto.gz"),
    ],
)
def test_nested_archive_is_refused_by_name_or_content(extra, part):
    error = checked_within_memory(upload("sisakkain.docx", docx(**extra)))
    assert error.code == "archive_nested"
    assert part in error.messages[0]


def test_encrypted_part_and_unknown_method_are_refused():
    encrypted = bytearray(docx())
    at = encrypted.find(b"PK\x01\x02")
    encrypted[at + 8] |= 0x1  # the central directory's "encrypted" flag
    assert checked_within_memory(upload("salattu.docx", bytes(encrypted))).code == "encrypted"
    bzip = _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"}, method=zipfile.ZIP_BZIP2)
    assert checked_within_memory(upload("bzip.docx", bzip)).code == "archive_method"


def test_truncated_archive_is_refused_as_damaged():
    content = docx(**{"word/text.xml": b"teksti " * 5000})
    assert checked_within_memory(upload("rikki.docx", content[: len(content) // 2] + content[-22:])).code == "damaged"


def _png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height pixels, with a tiny compressed body: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1024 * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("width", "height"), [(50_000, 50_000), (8_000, 6_000), (200_000, 200_000)])
def test_decompression_bomb_png_is_refused_from_its_header(width, height):
    content = _png_declaring(width, height)
    assert len(content) < 1024
    error = checked_within_memory(upload("pommi.png", content))
    assert error.code == "too_many_pixels"
    assert "pixels" in error.messages[0]


def test_big_but_allowed_image_passes():
    buffer = io.BytesIO()
    Image.new("L", (4000, 3000)).save(buffer, "PNG")
    assert files.check_upload(upload("iso.png", buffer.getvalue())).content_type == files.PNG


def _pdf(pages: int) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=100, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_with_too_many_pages_is_refused_and_the_limit_accepted():
    assert files.check_upload(upload("raja.pdf", _pdf(files.MAX_PDF_PAGES))).content_type == files.PDF
    error = checked_within_memory(upload("kirja.pdf", _pdf(files.MAX_PDF_PAGES + 1)))
    assert error.code == "pdf_too_large"


def test_pdf_whose_object_stream_inflates_beyond_the_bound_is_refused():
    # The page tree lives in a compressed object stream that inflates to more than the bound allows.
    filler = b"%" + b" " * (files.PDF_STREAM_OUTPUT_BYTES + 1024) + b"\n"
    objects = b"1 0 2 50 " + b" " * 40 + b"<</Type/Catalog/Pages 2 0 R>> <</Type/Pages/Kids[]/Count 0>>" + filler
    stream = zlib.compress(objects, 9)
    body = b"%PDF-1.5\n"
    offsets = [len(body)]
    body += (
        b"3 0 obj<</Type/ObjStm/N 2/First 50/Filter/FlateDecode/Length %d>>stream\n" % len(stream)
        + stream
        + b"\nendstream endobj\n"
    )
    xref = len(body)
    body += b"xref\n0 4\n0000000000 65535 f \n0000000000 00000 f \n0000000000 00000 f \n"
    body += b"%010d 00000 n \n" % offsets[0]
    body += b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    assert len(body) < 100_000
    checked_within_memory(upload("virta.pdf", body))


def test_password_protected_pdf_is_refused():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt(user_password="salasana", owner_password="omistaja")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert checked_within_memory(upload("salattu.pdf", buffer.getvalue())).code == "encrypted"


def test_bomb_through_the_form_gives_the_nominator_a_message_and_stores_nothing(client, docx_bomb):
    draft = complete_draft()
    client.force_login(draft.created_by)
    response = client.post(
        reverse("awards:nomination_edit", args=[draft.pk]),
        {
            "version": draft.version,
            "name": draft.name,
            "summary": "Muutettu kuvaus.",
            "new_attachments": SimpleUploadedFile("kuvaus.docx", docx_bomb),
        },
    )
    assert response.status_code == 400
    assert "would take" in response.content.decode()
    assert not Attachment.objects.exists()
    attachments = Path(settings.PRIVATE_MEDIA_ROOT) / "attachments"
    assert not attachments.exists() or not any(attachments.iterdir())
    draft.refresh_from_db()
    assert draft.summary == "Muutettu kuvaus."  # what was typed is kept


def test_ordinary_documents_still_pass():
    assert files.check_upload(upload("kuvaus.docx", docx())).content_type == files.DOCX
    assert files.check_upload(upload("kuvaus.odt", odt())).content_type == files.ODT
    text = docx(**{"word/text.xml": "Lastensuojelun kehittämistyö. ".encode() * 20_000})
    assert services.files.check_upload(upload("pitka.docx", text)).content_type == files.DOCX
