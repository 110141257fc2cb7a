"""Safe handling of uploaded proofs: posting photos (re-encoded without metadata) and PDF files (checked by content)."""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PHOTO_MAX_SIDE = 1600  # pixels; a phone photo is resized so the notice stays readable and small


def photo_clean(upload) -> ContentFile:
    """Check a posting photo (JPEG, PNG or WebP; size limit), strip its metadata and resize it."""
    if upload.size > settings.PORTAL_MAX_PHOTO_BYTES:
        limit = settings.PORTAL_MAX_PHOTO_BYTES // (1024 * 1024)
        raise ValidationError({"photo": f"Ảnh quá lớn (tối đa {limit} MB)."})
    try:
        upload.seek(0)
        image = Image.open(upload)
        fmt_name = image.format
        if fmt_name not in PHOTO_FORMATS:
            raise ValidationError({"photo": "Chỉ nhận ảnh JPEG, PNG hoặc WebP."})
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError({"photo": "Tệp tải lên không phải là ảnh hợp lệ."}) from exc
    image = ImageOps.exif_transpose(image)  # keep the orientation the phone meant, then drop EXIF
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    # Re-encode from pixels only: EXIF, GPS, XMP and ICC metadata are not copied.
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if fmt_name != "JPEG" else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    if fmt_name == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    out = io.BytesIO()
    save_kwargs = {"quality": 85} if fmt_name in ("JPEG", "WEBP") else {}
    clean.save(out, format=fmt_name, **save_kwargs)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{PHOTO_FORMATS[fmt_name]}")


def pdf_clean(upload) -> ContentFile:
    """Accept a PDF only (checked by its content, not its name or declared type) within the size limit."""
    limit = settings.PORTAL_MAX_PUBLICATION_BYTES
    if upload.size > limit:
        raise ValidationError({"file": f"Tệp quá lớn (tối đa {limit // (1024 * 1024)} MB)."})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": f"Tệp quá lớn (tối đa {limit // (1024 * 1024)} MB)."})
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError({"file": "Chỉ nhận tệp PDF hợp lệ."})
    return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")
