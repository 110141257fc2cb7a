"""Large documents are rendered by the worker within a bound, with a status page, then the download."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.documents import tasks
from portal.documents.services import DOCUMENT_MAX_CHARS, document_create_from_spec, section_add
from tests.documents.factories import minimal_spec

pytestmark = pytest.mark.django_db
PARA = (
    "Ủy ban nhân dân xã tổ chức thực hiện dân chủ ở cơ sở theo đúng quy định của pháp luật hiện hành. " * 40
)


@pytest.fixture
def doc(commune, orgs, staff, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=staff, commune=commune)


def test_small_document_pdf_in_the_request(client, doc, staff):
    client.force_login(staff)
    r = client.get(reverse("documents:pdf", args=[doc.pk]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_large_document_pdf_goes_to_the_worker_with_a_status_then_the_download(
    client, doc, staff, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks, "INLINE_PDF_CHARS", 100)
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args, **kw: queued.append((args, kw)))
    section_add(document=doc, by=staff, heading="Mục dài", text=PARA)
    client.force_login(staff)
    url = reverse("documents:pdf", args=[doc.pk])
    r = client.get(url)
    assert r.status_code == 202 and "đang được tạo" in r.content.decode()
    assert 'http-equiv="refresh"' in r.content.decode()
    assert client.get(url).status_code == 202 and len(queued) == 1  # a second click queues nothing more
    (func, doc_id, key), options = queued[0]
    assert (
        func == "portal.documents.tasks.render_document_pdf"
        and options["timeout"] == tasks.PDF_RENDER_TIMEOUT
    )
    tasks.render_document_pdf(doc_id, key)
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")


def test_a_failed_render_says_so_and_can_be_retried(client, doc, staff, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "INLINE_PDF_CHARS", 100)
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args, **kw: queued.append(args))
    section_add(document=doc, by=staff, heading="Mục dài", text=PARA)
    client.force_login(staff)
    url = reverse("documents:pdf", args=[doc.pk])
    client.get(url)

    def boom(document, **kw):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(tasks, "render_pdf", boom)
    with pytest.raises(RuntimeError):
        tasks.render_document_pdf(*queued[0][1:])
    r = client.get(url)
    assert r.status_code == 200 and "Không tạo được tệp PDF" in r.content.decode()
    assert client.post(url).status_code == 202 and len(queued) == 2


def test_a_document_is_bounded_in_size(doc, staff):
    text = "a" * 19_000
    with pytest.raises(ValidationError, match="tối đa 200.000 ký tự"):
        for _ in range(DOCUMENT_MAX_CHARS // len(text) + 1):
            section_add(document=doc, by=staff, heading="Mục", text=text)


def test_a_maximal_document_renders_within_the_worker_bound(doc, staff):
    while sum(len(s.text) for s in doc.sections.all()) + len(PARA) * 4 <= DOCUMENT_MAX_CHARS:
        section_add(document=doc, by=staff, heading="Mục", text=(PARA + "\n") * 4)
    doc.refresh_from_db()
    _, key, path = tasks.pdf_job(doc)
    started = time.monotonic()
    tasks.render_document_pdf(doc.pk, key)
    elapsed = time.monotonic() - started
    assert path.read_bytes().startswith(b"%PDF") and tasks.pdf_state(key) == "done"
    assert elapsed < tasks.PDF_RENDER_TIMEOUT, f"{elapsed:.0f} s"
