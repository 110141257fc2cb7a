"""Helpers for publicity tests: publications made through the services."""

import datetime as dt
import io
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.publicity import services
from portal.publicity.models import Form

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DECIDED = dt.date(2026, 3, 2)  # a Monday


def at(y, m, d, hour=9, minute=0):
    return dt.datetime(y, m, d, hour, minute, tzinfo=TZ)


def pdf_upload(name="du-toan.pdf", size_pad=0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b" " * size_pad + b"\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def jpeg_upload(name="bang-tin.jpg") -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def make_budget(commune, staff, *, forms=(Form.POSTING, Form.RADIO, Form.VILLAGE_HEAD), now=None, **kw):
    """Item 2 (budget estimate) with a PDF, posted, on the radio and through the village heads."""
    return services.publication_create(
        commune=commune,
        title=kw.pop("title", "Dự toán ngân sách xã năm 2026"),
        item=kw.pop("item", 2),
        decided_on=kw.pop("decided_on", DECIDED),
        forms=list(forms),
        file=kw.pop("file", pdf_upload()),
        by=staff,
        now=now or at(2026, 3, 2),
        **kw,
    )
