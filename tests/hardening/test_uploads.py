"""Uploads are checked by their bytes: decompression bombs and disguised files are refused, metadata is dropped."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal import uploads


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width × height pixels in a few hundred bytes (the probe's 13,300 × 13,300 bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_decompression_bomb_refused_before_decoding():
    bomb = _upload("bang-tin.png", _png_header_only(13_300, 13_300), "image/png")
    with pytest.raises(ValidationError) as exc:
        uploads.image_clean(bomb)
    message = exc.value.message_dict["photo"][0]
    assert message.startswith("Ảnh quá lớn") and "tối đa 40 triệu điểm ảnh" in message


def test_image_over_the_cap_but_under_pillows_bomb_limit_refused_from_its_header():
    big = _upload("bang-tin.png", _png_header_only(8_000, 6_000), "image/png")  # 48 MP
    with pytest.raises(ValidationError) as exc:
        uploads.image_clean(big)
    assert "8000 × 6000" in exc.value.message_dict["photo"][0]


def test_pillow_itself_refuses_bombs_over_the_portal_limit():
    assert Image.MAX_IMAGE_PIXELS == 40_000_000


def test_photo_loses_exif_and_gps():
    raw = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    cleaned = uploads.image_clean(_upload("anh.jpg", raw, "image/jpeg"))
    out = Image.open(io.BytesIO(cleaned.read()))
    assert out.format == "JPEG" and not out.getexif() and "exif" not in out.info


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bao-cao.pdf", b"<html><script>alert(1)</script></html>"),
        ("anh.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("ke-hoach.docx", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
        ("bao-cao.pdf", _jpeg_with_gps()),  # a real JPEG, named .pdf: the name must match the bytes
        ("so-lieu.xlsx", b"PK\x03\x04 not a zip at all"),
    ],
)
def test_disguised_evidence_refused(name, data):
    with pytest.raises(ValidationError) as exc:
        uploads.file_clean(_upload(name, data), field="evidence", what="Tệp minh chứng")
    assert "không đúng loại" in exc.value.message_dict["evidence"][0]


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("bao-cao.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        ("ke-hoach.docx", _docx_bytes(), "docx"),
        ("anh chup.JPG", _jpeg_with_gps(), "jpeg"),
    ],
)
def test_real_evidence_accepted_with_its_name(name, data, kind):
    cleaned = uploads.file_clean(_upload(name, data))
    assert uploads.sniff(cleaned) == kind
    assert cleaned.name.endswith(name.rsplit(".", 1)[-1].lower())
    assert name.split(".")[0].replace(" ", "_") in cleaned.name


@pytest.mark.django_db
def test_task_report_refuses_html_named_pdf_and_says_why(
    client, commune, orgs, staff, leader, settings, tmp_path
):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from portal.documents.services import document_create_from_spec, document_issue
    from tests.documents.factories import minimal_spec

    settings.MEDIA_ROOT = str(tmp_path)
    draft = document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=staff, commune=commune)
    task = document_issue(document=draft, by=leader).tasks.get()
    client.force_login(staff)
    url = reverse("documents:task_report", args=[task.pk])
    html = _upload("bien-ban.pdf", b"<html><body onload=alert(1)>", "application/pdf")
    r = client.post(url, {"text": "Đã làm", "evidence": html})
    assert r.status_code == 302 and not task.reports.exists()
    assert any("không đúng loại" in str(m) for m in get_messages(r.wsgi_request))
    photo = _upload("anh-hoi-nghi.jpg", _jpeg_with_gps(), "image/jpeg")
    client.post(url, {"text": "Đã tổ chức hội nghị", "evidence": photo})
    stored = task.reports.get().evidence
    assert stored.name.endswith(".jpg") and "anh-hoi-nghi" in stored.name
    assert not Image.open(stored.open("rb")).getexif()
