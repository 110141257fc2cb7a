"""A large comment export is built once by the worker into a file; the person sees its progress, then gets it."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal import exports
from tests.consultations.factories import make_published, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(exports, "EXPORT_INLINE_MAX", 2)
    jobs = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda func, *args, **kw: jobs.append((func, args)))
    return jobs


def _run(jobs):
    """What the django-q2 worker does with each queued job."""
    from django.utils.module_loading import import_string

    for func, args in jobs:
        import_string(func)(*args)
    jobs.clear()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_large_export_is_built_by_the_worker_once_and_served_as_a_file(
    client, commune, village, staff, queued, fmt
):
    c = make_published(commune, staff)
    for n in range(3):
        submit(c, text=f"Ý kiến số {n}", village=village)
    client.force_login(staff)
    url = reverse("consultations:export", args=[c.pk, fmt])

    first = client.get(url)
    assert (
        first.status_code == 202
        and "3 dòng" in first.content.decode()
        and 'http-equiv="refresh"' in first.content.decode()
    )
    assert len(queued) == 1
    assert client.get(url).status_code == 202 and len(queued) == 1  # polling does not queue it again

    _run(queued)
    done = client.get(url)
    assert done.status_code == 200 and f"y-kien-{c.pk}.{fmt}" in done["Content-Disposition"]
    body = b"".join(done.streaming_content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(body)).active.iter_rows()]
    assert rows[0][0] == "Mã" and sorted(r[7] for r in rows[1:]) == [
        "Ý kiến số 0",
        "Ý kiến số 1",
        "Ý kiến số 2",
    ]
    assert not queued and client.get(url).status_code == 200  # served from the file, nothing rebuilt

    # A new comment changes the data: the old file is not served; the next build replaces it.
    submit(c, text="Ý kiến số 3", village=village)
    assert client.get(url).status_code == 202 and len(queued) == 1
    _run(queued)
    body = b"".join(client.get(url).streaming_content)
    assert (
        (b"\xe1\xbb\x91 3" in body) if fmt == "csv" else load_workbook(io.BytesIO(body)).active.max_row == 5
    )
    assert len(list((exports._export_dir()).glob(f"*.{fmt}"))) == 1


def test_export_file_is_only_for_who_may_read_the_list(client, commune, village, staff, village_head, queued):
    c = make_published(commune, staff)
    for n in range(3):
        submit(c, text=f"Ý kiến số {n}", village=village)
    client.force_login(staff)
    url = reverse("consultations:export", args=[c.pk, "csv"])
    client.get(url)
    _run(queued)
    client.force_login(village_head)
    assert client.get(url).status_code in (403, 404)


def test_failed_build_says_so_and_can_be_retried(client, commune, village, staff, queued, monkeypatch):
    c = make_published(commune, staff)
    for n in range(3):
        submit(c, text=f"Ý kiến số {n}", village=village)
    client.force_login(staff)
    url = reverse("consultations:export", args=[c.pk, "xlsx"])
    client.get(url)

    def broken(*a, **kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "xlsx_bytes", broken)
    with pytest.raises(RuntimeError):
        _run(queued)
    queued.clear()
    page = client.get(url).content.decode()
    assert "Không tạo được tệp XLSX" in page and "Thử lại" in page and not queued  # shown, not queued again
    monkeypatch.undo()
    monkeypatch.setattr(exports, "EXPORT_INLINE_MAX", 2)
    jobs = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda func, *args, **kw: jobs.append((func, args)))
    assert client.post(url, {"thu-lai": "1"}).status_code == 202 and len(jobs) == 1
    _run(jobs)
    assert client.get(url).status_code == 200
