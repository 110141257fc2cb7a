"""Proofs and files of publicity, checked through portal/uploads.py (the one place uploads are checked)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile

from portal import uploads

PHOTO_FORMATS = uploads.PHOTO_FORMATS
PHOTO_MAX_SIDE = uploads.PHOTO_MAX_SIDE


def photo_clean(upload) -> ContentFile:
    """A posting photo: JPEG, PNG or WebP by its bytes, size and pixel limits, metadata stripped, resized."""
    return uploads.image_clean(upload, field="photo", max_side=PHOTO_MAX_SIDE, formats=PHOTO_FORMATS)


def pdf_clean(upload) -> ContentFile:
    """A publicized file: a PDF by its bytes (HTML named .pdf is refused), within the register's size limit."""
    return uploads.file_clean(
        upload, kinds=("pdf",), field="file", max_bytes=settings.PORTAL_MAX_PUBLICATION_BYTES, what="Tệp"
    )
