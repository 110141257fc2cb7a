"""The one place uploaded files are checked, for every app (posting photos, evidence of tasks, …).

- ``image_clean(upload, field=…)``: a photo is JPEG, PNG or WebP *by its bytes*; its pixel count is read from the
  header and refused above ``settings.PORTAL_MAX_IMAGE_PIXELS`` before anything is decoded (a 500 KB PNG can
  declare 13,300 × 13,300 px = 1.5 GB of memory); it is re-encoded from pixels only (EXIF, GPS, XMP, ICC dropped)
  and made at most ``max_side`` pixels wide or high.
- ``file_clean(upload, kinds=…, field=…)``: a document is what its bytes say (``sniff``), not what its name
  says: HTML named .pdf, SVG named .png or an EXE named .docx are refused; an image among them is cleaned as above.

- ``data_file_check(upload, exts=…)``: a data file to import (CSV, XLSX) whose bytes are plainly something else (an
  HTML or SVG page, a program, a PDF or a Word file renamed) is refused at upload; a merely broken one is kept, so
  the import fails with its reason and can be retried.

All raise ``ValidationError({field: "<Vietnamese message>"})`` and return a ``ContentFile`` with a fresh random
name (documents keep a cleaned form of the uploader's file name after it, for the download).
"""

from __future__ import annotations

import io
import uuid
import warnings
import zipfile

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PHOTO_MAX_SIDE = 1600  # pixels; a phone photo is resized so the notice stays readable and small

# kind -> (extensions accepted for it, Vietnamese name)
KINDS = {
    "pdf": (("pdf",), "PDF"),
    "jpeg": (("jpg", "jpeg"), "ảnh JPEG"),
    "png": (("png",), "ảnh PNG"),
    "webp": (("webp",), "ảnh WebP"),
    "docx": (("docx",), "Word (.docx)"),
    "xlsx": (("xlsx",), "Excel (.xlsx)"),
    "odt": (("odt",), "OpenDocument (.odt)"),
    "ods": (("ods",), "OpenDocument (.ods)"),
    "ole": (("doc", "xls"), "Word/Excel cũ (.doc, .xls)"),
}
IMAGE_KINDS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
EVIDENCE_KINDS = ("pdf", "jpeg", "png", "docx", "xlsx", "odt", "ods", "ole")


def max_pixels() -> int:
    return int(getattr(settings, "PORTAL_MAX_IMAGE_PIXELS", 40_000_000))


def _error(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: message}) if field else ValidationError(message)


def _head(upload, n: int = 4096) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _zip_kind(upload) -> str | None:
    """docx / xlsx / odt / ods are ZIP files; tell them apart by their parts, not by the file name."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mimetype = zf.read("mimetype")[:100]
                if mimetype == b"application/vnd.oasis.opendocument.text":
                    return "odt"
                if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
                    return "ods"
                return None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "docx"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff(upload) -> str | None:
    """The kind of file the bytes say (a key of KINDS), or None for anything else (HTML, SVG, programs…)."""
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return None


EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa", b"#!")


def _is_markup(head: bytes) -> bool:
    """HTML, SVG, XML: text whose first non-blank character is ``<`` (a browser may run script in it)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n\x00").startswith(b"<")


def data_file_check(
    upload, *, exts: tuple[str, ...] = ("csv", "xlsx"), field: str | None = None, what="Tệp"
) -> None:
    """Refuse a data file (see the module docstring) whose extension is not in ``exts`` or whose bytes are markup,
    a program or another known kind of document than its extension says."""
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    listed = ", ".join(f".{e}" for e in exts)
    if ext not in exts:
        raise _error(field, f"{what} phải có đuôi {listed}.")
    head = _head(upload)
    kind = sniff(upload)
    expected = "xlsx" if ext == "xlsx" else None
    if _is_markup(head) or head.startswith(EXECUTABLE_MAGIC) or (kind is not None and kind != expected):
        raise _error(
            field,
            f"{what} “{upload.name[:80]}” không đúng loại: nội dung không phải là tệp .{ext}. Chỉ nhận: {listed}.",
        )


def _only(formats) -> str:
    names = [{"WEBP": "WebP"}.get(f, f) for f in formats]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " hoặc " + names[-1]
    return f"Chỉ nhận ảnh {listed}."


def _max_bytes_message(limit: int, what: str) -> str:
    return f"{what} quá lớn (tối đa {limit // (1024 * 1024)} MB)."


def image_clean(
    upload,
    *,
    field: str | None = "photo",
    max_bytes: int | None = None,
    max_side: int = PHOTO_MAX_SIDE,
    formats: dict[str, str] = PHOTO_FORMATS,
) -> ContentFile:
    """A checked, metadata-free, resized copy of an uploaded photo (see the module docstring)."""
    max_bytes = max_bytes or settings.PORTAL_MAX_PHOTO_BYTES
    if upload.size > max_bytes:
        raise _error(field, _max_bytes_message(max_bytes, "Ảnh"))
    kind = sniff(upload)
    if IMAGE_KINDS.get(kind or "") not in formats:
        raise _error(field, _only(formats))
    limit = max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below, with its size
            upload.seek(0)
            image = Image.open(upload)  # reads the header only
            width, height = image.size
            if image.format not in formats:
                raise _error(field, _only(formats))
            if width * height > limit:
                raise _error(
                    field,
                    f"Ảnh quá lớn: {width} × {height} điểm ảnh (tối đa {limit // 1_000_000} triệu điểm ảnh). "
                    "Hãy chụp lại hoặc thu nhỏ ảnh.",
                )
            fmt_name = image.format
            if fmt_name == "JPEG":
                image.draft(
                    "RGB", (max_side, max_side)
                )  # decode at a reduced scale: a fraction of the memory
            image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise _error(
            field, f"Ảnh quá lớn (tối đa {limit // 1_000_000} triệu điểm ảnh). Hãy chụp lại hoặc thu nhỏ ảnh."
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise _error(field, "Tệp tải lên không phải là ảnh hợp lệ.") from exc
    image = ImageOps.exif_transpose(image)  # keep the orientation the phone meant, then drop EXIF
    image.thumbnail((max_side, max_side))
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
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{formats[fmt_name]}")


def file_clean(
    upload,
    *,
    kinds: tuple[str, ...] = EVIDENCE_KINDS,
    field: str | None = None,
    max_bytes: int = 10 * 1024 * 1024,
    what: str = "Tệp",
) -> ContentFile:
    """A checked copy of an uploaded document: its bytes must be one of ``kinds`` and match its extension."""
    if upload.size > max_bytes:
        raise _error(field, _max_bytes_message(max_bytes, what))
    allowed = ", ".join(KINDS[k][1] for k in kinds)
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    kind = sniff(upload)
    if kind not in kinds or ext not in KINDS[kind][0]:
        raise _error(
            field,
            f"{what} “{upload.name[:80]}” không đúng loại hoặc nội dung không khớp với đuôi tệp. Chỉ nhận: {allowed}.",
        )
    try:
        stem = get_valid_filename(upload.name.rsplit(".", 1)[0])[:60]
    except SuspiciousFileOperation:
        stem = "tep"
    name = f"{uuid.uuid4().hex[:8]}-{stem}.{ext}"
    if kind in IMAGE_KINDS:
        cleaned = image_clean(
            upload,
            field=field,
            max_bytes=max_bytes,
            max_side=4000,
            formats={IMAGE_KINDS[kind]: ext},
        )
        cleaned.name = name
        return cleaned
    upload.seek(0)
    return ContentFile(upload.read(), name=name)
