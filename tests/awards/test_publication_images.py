"""Announcement images are checked by their content."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from awards.image_validation import validate_image_content


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_validate_image_content_accepts_real_images(fmt, extension):
    assert validate_image_content(SimpleUploadedFile("x.bin", _image(fmt))) == extension


@pytest.mark.parametrize(
    "content",
    [b"GIF89a" + b"\x00" * 50, b"%PDF-1.4 fake", _image("PNG")[:40], b"<svg xmlns='http://www.w3.org/2000/svg'/>"],
)
def test_validate_image_content_refuses_other_content(content):
    with pytest.raises(ValidationError):
        validate_image_content(SimpleUploadedFile("x.png", content))


@pytest.mark.django_db
def test_admin_inline_checks_the_content_and_names_the_file_by_it():
    from awards.admin import AnnouncementImageForm  # noqa: PLC0415

    data = {"order": 0, "alt_fi": "Voittajat lavalla", "alt_sv": "", "alt_en": "", "caption": ""}
    disguised = AnnouncementImageForm(
        data, {"image": SimpleUploadedFile("kuva.png", b"<html><script>alert(1)</script></html>")}
    )
    assert not disguised.is_valid()
    assert "image" in disguised.errors
    real = AnnouncementImageForm(data, {"image": SimpleUploadedFile("kuva.GIF", _image("PNG"))})
    assert real.is_valid(), real.errors
    assert real.cleaned_data["image"].name == "image.png"
