"""Attachments: the type is judged from content, sizes and counts are limited, files are private and served
only as downloads to those who may see the nomination."""

import io
import zipfile
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from awards import files
from awards.models import Attachment
from awards.services import nominations as services
from tests.factories import OrganisationFactory, complete_draft, nominator_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Pages under /en/: the assertions read English source strings, whatever the catalogues translate.
    with translation.override("en"):
        yield


def _pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, fmt)
    return buffer.getvalue()


# Real, tiny files: the checks read their structure (pages, pixels), not only their first bytes.
PDF_BYTES = _pdf()
PNG_BYTES = _image("PNG")
JPEG_BYTES = _image("JPEG")


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX_BYTES = _zip(
    {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": b"<w:document/>",
    }
)
ODT_BYTES = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})
XLSX_BYTES = _zip(
    {
        "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sheet.main+xml"/></Types>',
        "xl/workbook.xml": b"<workbook/>",
    }
)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def draft():
    return complete_draft()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("esite.pdf", PDF_BYTES, files.PDF),
        ("kuva.png", PNG_BYTES, files.PNG),
        ("kuva.jpg", JPEG_BYTES, files.JPEG),
        ("kuvaus.docx", DOCX_BYTES, files.DOCX),
        ("kuvaus.odt", ODT_BYTES, files.ODT),
        ("väärä-nimi.txt", PDF_BYTES, files.PDF),  # the name does not matter, the content does
    ],
)
def test_attachment_allowed_type_is_stored_privately_under_random_name(draft, name, content, expected):
    attachment = services.attachment_add(nomination=draft, upload=upload(name, content), by=draft.created_by)
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / "attachments" / attachment.stored_name
    assert attachment.content_type == expected
    assert stored.read_bytes() == content
    assert Path(name).stem not in attachment.stored_name
    assert attachment.stored_name.endswith("." + files.EXTENSIONS[expected])
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))
    assert attachment.original_name.endswith("." + files.EXTENSIONS[expected])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("raportti.pdf", b"<html><script>alert(1)</script></html>"),  # HTML dressed as a PDF
        ("ohjelma.docx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),  # an executable
        ("arkisto.docx", _zip({"readme.txt": b"hello"})),  # a zip without a document inside
        ("taulukko.docx", XLSX_BYTES),  # a spreadsheet named as a document
        ("animaatio.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),  # an image of a type not allowed
        ("tyhja.pdf", b""),
    ],
)
def test_attachment_disguised_or_disallowed_file_is_refused(draft, name, content):
    with pytest.raises(ValidationError):
        services.attachment_add(nomination=draft, upload=upload(name, content, "application/pdf"), by=draft.created_by)
    assert not Attachment.objects.exists()
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / "attachments").exists() or not any(
        (Path(settings.PRIVATE_MEDIA_ROOT) / "attachments").iterdir()
    )


def test_attachment_over_10_mb_is_refused_and_exactly_10_mb_accepted(draft):
    limit = files.MAX_ATTACHMENT_BYTES
    exact = PDF_BYTES + b"\x00" * (limit - len(PDF_BYTES))
    services.attachment_add(nomination=draft, upload=upload("iso.pdf", exact), by=draft.created_by)
    with pytest.raises(ValidationError, match="largest allowed"):
        services.attachment_add(nomination=draft, upload=upload("liian-iso.pdf", exact + b"\x00"), by=draft.created_by)
    assert draft.attachments.count() == 1


def test_attachment_sixth_is_refused_in_the_form_next_to_the_field(client, draft):
    for n in range(5):
        services.attachment_add(nomination=draft, upload=upload(f"liite{n}.pdf", PDF_BYTES), by=draft.created_by)
    draft.refresh_from_db()
    client.force_login(draft.created_by)
    response = client.post(
        reverse("awards:nomination_edit", args=[draft.pk]),
        {
            "version": draft.version,
            "name": draft.name,
            "summary": "Muuttunut kuvaus",
            "action": "save",
            "new_attachments": [upload("kuudes.pdf", PDF_BYTES)],
        },
    )
    body = response.content.decode()
    draft.refresh_from_db()
    assert response.status_code == 400
    assert draft.attachments.count() == 5
    assert "at most 5 attachments" in body
    assert 'id="error_1_id_new_attachments"' in body
    assert draft.summary == "Muuttunut kuvaus"  # the text typed alongside was still saved


def test_attachment_bad_file_and_good_file_in_one_save(client, draft):
    client.force_login(draft.created_by)
    response = client.post(
        reverse("awards:nomination_edit", args=[draft.pk]),
        {
            "version": draft.version,
            "name": draft.name,
            "action": "save",
            "new_attachments": [upload("hyva.pdf", PDF_BYTES), upload("paha.pdf", b"<html></html>")],
        },
    )
    assert response.status_code == 400
    assert [a.original_name for a in draft.attachments.all()] == ["hyva.pdf"]
    assert "paha.pdf is not of an allowed type" in response.content.decode()


def test_attachment_download_is_forced_download_with_nosniff(client, draft):
    attachment = services.attachment_add(nomination=draft, upload=upload("esite.pdf", PDF_BYTES), by=draft.created_by)
    client.force_login(draft.created_by)
    response = client.get(reverse("awards:attachment_download", args=[draft.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="esite.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_attachment_download_for_other_organisation_or_anonymous_is_refused(client, draft):
    attachment = services.attachment_add(nomination=draft, upload=upload("esite.pdf", PDF_BYTES), by=draft.created_by)
    url = reverse("awards:attachment_download", args=[draft.pk, attachment.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    client.force_login(nominator_for(OrganisationFactory()))
    assert client.get(url).status_code == 404
    # An attachment id under the wrong nomination is not found either.
    other = complete_draft()
    client.force_login(other.created_by)
    assert client.get(reverse("awards:attachment_download", args=[other.pk, attachment.pk])).status_code == 404


def test_attachment_download_by_staff(client, draft, django_user_model, otp_login):
    attachment = services.attachment_add(nomination=draft, upload=upload("esite.pdf", PDF_BYTES), by=draft.created_by)
    staff = django_user_model.objects.create_user("staff@example.fi", "x", is_staff=True)
    otp_login(client, staff)
    assert client.get(reverse("awards:attachment_download", args=[draft.pk, attachment.pk])).status_code == 200


def test_attachment_name_with_path_and_markup_is_cleaned(client, draft):
    attachment = services.attachment_add(
        nomination=draft, upload=upload('../../<img src=x onerror="alert(1)">.pdf', PDF_BYTES), by=draft.created_by
    )
    assert "/" not in attachment.original_name
    assert "<" not in attachment.original_name
    assert attachment.original_name.endswith(".pdf")
    client.force_login(draft.created_by)
    body = client.get(reverse("awards:nomination_edit", args=[draft.pk])).content.decode()
    assert "<img src=x" not in body


def test_attachment_delete_removes_row_and_file(client, draft, django_capture_on_commit_callbacks):
    attachment = services.attachment_add(nomination=draft, upload=upload("esite.pdf", PDF_BYTES), by=draft.created_by)
    path = files.attachment_path(attachment.stored_name)
    client.force_login(draft.created_by)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion is committed
        response = client.post(reverse("awards:attachment_delete", args=[draft.pk, attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()


def test_attachment_delete_by_other_organisation_is_404(client, draft):
    attachment = services.attachment_add(nomination=draft, upload=upload("esite.pdf", PDF_BYTES), by=draft.created_by)
    client.force_login(nominator_for(OrganisationFactory()))
    response = client.post(reverse("awards:attachment_delete", args=[draft.pk, attachment.pk]))
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_attachment_add_to_submitted_nomination_is_refused(draft):
    services.nomination_submit(nomination=draft, by=draft.created_by)
    with pytest.raises(ValidationError, match="Reopen"):
        services.attachment_add(nomination=draft, upload=upload("esite.pdf", PDF_BYTES), by=draft.created_by)


def test_attachment_path_cannot_escape_private_root():
    with pytest.raises(ValueError, match="escapes"):
        files.attachment_path("../../etc/passwd")
