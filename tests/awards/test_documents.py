"""Reading attachments and stripping their metadata, on real files made by the tests (tests/factories/documents.py):
a JPEG with EXIF and GPS, a PNG with text chunks, a DOCX with core properties and a comment, an ODT with metadata
and an annotation, a PDF with document information."""

import io
import zipfile

import pytest
from PIL import Image

from awards import documents
from awards.files import DOCX, JPEG, ODT, PDF, PNG
from tests.factories import documents as make


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _clean(tmp_path, source, content_type):
    target = tmp_path / f"clean-{source.name}"
    documents.clean_copy(source, target, content_type)
    return target


def test_jpeg_exif_and_location_are_read_and_stripped(tmp_path):
    source = _write(tmp_path, "photo.jpg", make.jpeg_with_exif())
    content = documents.read_document(source, JPEG)
    assert ("Artist", make.EXIF_AUTHOR) in content.metadata
    assert any(make.PHONE in value for _name, value in content.metadata)
    assert content.has_location
    clean = _clean(tmp_path, source, JPEG)
    with Image.open(clean) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (40, 30)
        assert image.format == "JPEG"
    assert make.EXIF_AUTHOR.encode() not in clean.read_bytes()
    assert documents.read_document(clean, JPEG).metadata == []


def test_jpeg_orientation_is_applied_before_exif_goes(tmp_path):
    source = _write(tmp_path, "turned.jpg", make.jpeg_with_exif(orientation=6))  # rotated 90° on display
    clean = _clean(tmp_path, source, JPEG)
    with Image.open(clean) as image:
        assert image.size == (30, 40)
        assert 0x0112 not in image.getexif()


def test_png_text_chunks_are_read_and_stripped(tmp_path):
    source = _write(tmp_path, "logo.png", make.png_with_text())
    assert ("Author", make.AUTHOR) in documents.read_document(source, PNG).metadata
    clean = _clean(tmp_path, source, PNG)
    with Image.open(clean) as image:
        assert "Author" not in image.info
        assert "Comment" not in image.info
    assert make.IDENTITY_CODE.encode() not in clean.read_bytes()


def test_docx_core_properties_and_comments_are_read_and_stripped(tmp_path):
    import docx  # noqa: PLC0415

    source = _write(tmp_path, "plan.docx", make.docx_with_properties())
    content = documents.read_document(source, DOCX)
    assert make.IDENTITY_CODE in content.pages[0]
    assert ("author", make.AUTHOR) in content.metadata
    assert ("comment author", make.AUTHOR) in content.metadata
    assert any(make.PHONE in comment for comment in content.comments)

    clean = _clean(tmp_path, source, DOCX)
    cleaned = docx.Document(str(clean))
    assert "Perheiden kotikäynnit viikoittain." in [p.text for p in cleaned.paragraphs]  # the text stays
    core = cleaned.core_properties
    assert (core.author, core.last_modified_by, core.comments, core.title) == ("", "", "", "")
    assert list(cleaned.comments) == []
    with zipfile.ZipFile(clean) as archive:
        names = archive.namelist()
        assert not [n for n in names if "comments" in n]
        everything = b"".join(archive.read(n) for n in names)
    assert make.AUTHOR.encode() not in everything
    assert make.PHONE.encode() not in everything
    assert documents.read_document(clean, DOCX).metadata == []


def test_odt_metadata_and_annotations_are_read_and_stripped(tmp_path):
    source = _write(tmp_path, "plan.odt", make.odt_with_meta())
    content = documents.read_document(source, ODT)
    assert ("initial creator", make.AUTHOR) in content.metadata
    assert ("description", f"Yhteys {make.PHONE}") in content.metadata
    assert any(make.IDENTITY_CODE in comment for comment in content.comments)

    clean = _clean(tmp_path, source, ODT)
    with zipfile.ZipFile(clean) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        everything = b"".join(archive.read(n) for n in archive.namelist())
    assert make.AUTHOR.encode() not in everything
    assert make.IDENTITY_CODE.encode() not in everything  # it was only in the annotation
    read_again = documents.read_document(clean, ODT)
    assert read_again.metadata == []
    assert read_again.comments == []
    assert "Toinen kappale." in read_again.pages[0]


def test_pdf_document_information_is_read_and_stripped(tmp_path):
    from pypdf import PdfReader  # noqa: PLC0415

    source = _write(tmp_path, "plan.pdf", make.pdf_with_metadata())
    content = documents.read_document(source, PDF)
    assert ("Author", make.AUTHOR) in content.metadata
    assert make.IDENTITY_CODE in content.pages[0]
    clean = _clean(tmp_path, source, PDF)
    reader = PdfReader(clean)
    assert reader.metadata is None or dict(reader.metadata) == {}
    assert reader.xmp_metadata is None
    assert make.IDENTITY_CODE in reader.pages[0].extract_text()  # the page itself is unchanged
    assert b"Meik" not in clean.read_bytes()
    assert make.PHONE.encode() not in clean.read_bytes()


@pytest.mark.parametrize("content_type", [PDF, DOCX, ODT, JPEG, PNG])
def test_damaged_files_raise_document_error_only(tmp_path, content_type):
    source = _write(tmp_path, "broken", b"PK\x03\x04 not really anything" + b"\x00" * 100)
    with pytest.raises(documents.DocumentError):
        documents.read_document(source, content_type)
    with pytest.raises(documents.DocumentError):
        documents.clean_copy(source, tmp_path / "out", content_type)


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_UNPACKED_BYTES", 1000)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * 5000)
    source = _write(tmp_path, "bomb.docx", data.getvalue())
    with pytest.raises(documents.DocumentError):
        documents.read_document(source, DOCX)
