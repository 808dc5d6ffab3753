"""Checks of uploaded announcement images by their content, never by the name or type the browser sends."""

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000


def validate_image_content(upload) -> str:
    """Raise ValidationError unless `upload` is a JPEG, PNG or WebP image of sensible size; return its extension."""
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("The image is larger than 5 MB."), code="too_large")
    upload.seek(0)
    kind = filetype.guess(upload.read(261))
    upload.seek(0)
    if kind is None or kind.mime not in ALLOWED_IMAGE_TYPES:
        raise ValidationError(_("The file is not a JPEG, PNG or WebP image."), code="bad_type")
    try:
        with Image.open(upload) as picture:
            width, height = picture.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The image file is damaged."), code="damaged") from exc
    finally:
        upload.seek(0)
    return ALLOWED_IMAGE_TYPES[kind.mime]
