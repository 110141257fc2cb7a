"""Broken import files end as FAILED with a Vietnamese reason (never "pending" for ever), and can be retried."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations import services, tasks
from consultations.models import Comment, ImportBatch
from tests.consultations.factories import at, make_published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _create(c, staff, name, data, now=None):
    return services.import_batch_create(
        consultation=c, by=staff, upload=SimpleUploadedFile(name, data), now=now or at(2024, 3, 10)
    )


def test_csv_field_over_the_csv_limit_fails_with_a_reason(commune, staff):
    c = make_published(commune, staff)
    data = ("Nội dung góp ý,Ngày nhận\n" + '"' + "x" * 140_000 + '",05/03/2024\n').encode()
    batch = _create(c, staff, "y.csv", data)
    assert batch.status == ImportBatch.Status.FAILED
    assert "131.072 ký tự" in batch.errors[0]["message"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is not a workbook",
        b"\x00\x01\x02 garbage",
        b"",
    ],
)
def test_corrupt_xlsx_fails_with_a_reason(commune, staff, data):
    c = make_published(commune, staff)
    batch = _create(c, staff, "y.xlsx", data)
    assert batch.status == ImportBatch.Status.FAILED
    assert "Excel" in batch.errors[0]["message"] or "Tệp" in batch.errors[0]["message"]


def test_xlsx_zip_without_a_sheet_fails(commune, staff):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    c = make_published(commune, staff)
    batch = _create(c, staff, "y.xlsx", buf.getvalue())
    assert batch.status == ImportBatch.Status.FAILED and "Excel" in batch.errors[0]["message"]


def test_a_crash_in_the_worker_ends_the_batch_failed_then_retry_imports(
    commune, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from consultations.services import imports

    monkeypatch.setattr(imports, "ASYNC_BYTES", 10)
    monkeypatch.setattr("django_q.tasks.async_task", lambda *a, **kw: None)
    c = make_published(commune, staff)
    with django_capture_on_commit_callbacks(execute=True):
        batch = _create(c, staff, "y.csv", "Nội dung góp ý,Ngày nhận\nMột ý kiến,05/03/2024\n".encode())
    assert batch.status == ImportBatch.Status.PENDING

    def boom(**kwargs):
        raise MemoryError("the worker ran out of memory")

    monkeypatch.setattr(imports, "parse_import", boom)
    assert tasks.import_comments(batch.pk) == ImportBatch.Status.FAILED
    batch.refresh_from_db()
    assert "Lỗi hệ thống" in batch.errors[0]["message"] and "thử lại" in batch.errors[0]["message"]
    monkeypatch.undo()
    monkeypatch.setattr(imports, "ASYNC_BYTES", 10**9)
    retry = services.import_batch_retry(batch=batch, by=staff, now=at(2024, 3, 10, 10))
    assert retry.pk != batch.pk and retry.status == ImportBatch.Status.DONE
    assert Comment.objects.filter(import_batch=retry).count() == 1


def test_a_batch_the_worker_lost_is_failed_by_the_sweep(commune, staff, monkeypatch):
    from consultations.services import imports

    monkeypatch.setattr(imports, "ASYNC_BYTES", 10)
    monkeypatch.setattr("django_q.tasks.async_task", lambda *a, **kw: None)
    c = make_published(commune, staff)
    batch = _create(c, staff, "y.csv", "Nội dung góp ý\nA\n".encode(), now=at(2024, 3, 10, 9))
    assert tasks.expire_imports(at(2024, 3, 10, 9, 29)) == 0
    assert tasks.expire_imports(at(2024, 3, 10, 9, 31)) == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "gián đoạn" in batch.errors[0]["message"]
    assert tasks.expire_imports(at(2024, 3, 10, 9, 40)) == 0


def test_import_page_offers_retry_and_says_why(client, commune, staff):
    c = make_published(commune, staff)
    client.force_login(staff)
    f = SimpleUploadedFile("y.xlsx", b"PK\x03\x04broken")
    r = client.post(
        reverse("consultations:import", args=[c.pk]), {"file": f, "channel": "paper"}, follow=True
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Không đọc được tệp Excel" in html and "Thử lại với tệp này" in html
    batch = ImportBatch.objects.get()
    r = client.post(reverse("consultations:import_retry", args=[c.pk, batch.pk]), follow=True)
    assert r.status_code == 200 and ImportBatch.objects.count() == 2
