"""django-q2 tasks (thin, take ids): render many documents to files outside the request cycle."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db.models import Count, Sum
from django.db.models.functions import Length
from django.urls import reverse

from portal.documents.models import Document
from portal.documents.rendering import render_docx, render_pdf
from portal.notifications import notify

BATCH_SALT = "documents.batch"
BATCH_MAX_AGE = 7 * 24 * 3600  # a prepared bundle can be downloaded for a week
BATCH_LIMIT = 100

logger = logging.getLogger(__name__)

# PDF of one document: up to INLINE_PDF_CHARS characters of section text it is rendered in the request (about 2 s,
# 7 s on a loaded 2-core server); above that a django-q2 worker renders it (stopped after PDF_RENDER_TIMEOUT s) and
# the person sees a status page that reloads itself, then the download. A document holds at most
# services.DOCUMENT_MAX_CHARS characters (measured: 213,000 characters = 66 s on a loaded 2-core server).
INLINE_PDF_CHARS = 20_000
PDF_RENDER_TIMEOUT = 180
PDF_STATE_TTL = 24 * 3600


def rendered_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "documents" / "rendered"


def pdf_job(document: Document) -> tuple[int, str, Path]:
    """(characters of section text, cache key, file path) of the document's current PDF: the key and file change
    whenever the document or any of its sections does."""
    agg = document.sections.aggregate(n=Count("id"), chars=Sum(Length("text")))
    chars = (agg["chars"] or 0) + len(document.title or "")
    stamp = f"{document.pk}:{document.version}:{document.updated_at.isoformat()}:{agg['n']}:{chars}"
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    return chars, f"documents.pdf.{digest}", rendered_dir() / f"{document.pk}-{digest}.pdf"


def pdf_state(key: str) -> str | None:
    """None (never asked), "pending", "done" or "failed"."""
    return cache.get(key)


def enqueue_pdf(document: Document, key: str) -> bool:
    """Queue the render unless it is already queued; True if it was queued now."""
    if not cache.add(key, "pending", PDF_STATE_TTL):
        if cache.get(key) != "failed":
            return False
        cache.set(key, "pending", PDF_STATE_TTL)
    from django_q.tasks import async_task

    async_task(
        "portal.documents.tasks.render_document_pdf",
        document.pk,
        key,
        timeout=PDF_RENDER_TIMEOUT,
        task_name=f"documents.pdf.{document.pk}",
    )
    return True


def render_document_pdf(document_id: int, key: str) -> str:
    """Render one document's PDF to its file (written whole, then renamed) and record the state for the page."""
    try:
        doc = Document.objects.select_related("issuer", "commune").get(pk=document_id)
        _, _, path = pdf_job(doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(render_pdf(doc))
        os.replace(tmp, path)
    except Exception:
        logger.exception("PDF render of document %s failed", document_id)
        cache.set(key, "failed", PDF_STATE_TTL)
        raise
    cache.set(key, "done", PDF_STATE_TTL)
    return str(path)


def batch_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "documents" / "batches"


def render_batch(document_ids: list[int], fmt: str = "pdf", out_dir: str | None = None) -> list[str]:
    """Render each document to MEDIA_ROOT/documents/rendered/<id>.<fmt>; returns the paths written."""
    target = Path(out_dir or Path(settings.MEDIA_ROOT) / "documents" / "rendered")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in Document.objects.filter(pk__in=document_ids).select_related("issuer", "commune"):
        data = render_pdf(doc) if fmt == "pdf" else render_docx(doc)
        path = target / f"{doc.pk}.{fmt}"
        path.write_bytes(data)
        written.append(str(path))
    return written


def render_bundle(document_ids: list[int], user_id: int) -> str:
    """Render the documents into one ZIP of PDFs and notify the user with a signed, personal download link."""
    user = get_user_model().objects.get(pk=user_id)
    batch_dir().mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(12)}.zip"
    path = batch_dir() / name
    docs = Document.objects.filter(pk__in=document_ids[:BATCH_LIMIT]).select_related("issuer", "commune")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for doc in docs:
            label = doc.symbol.replace("/", "-") if doc.symbol else f"du-thao-{doc.pk}"
            bundle.writestr(f"van-ban-{label}.pdf", render_pdf(doc))
    token = signing.dumps({"u": user.pk, "f": name}, salt=BATCH_SALT)
    notify(
        recipients=[user],
        title="Gói văn bản PDF đã sẵn sàng",
        body=f"{len(docs)} văn bản; tải về trong 7 ngày.",
        url=reverse("documents:bundle", args=[token]),
        key=f"documents.bundle.{name}",
        email=False,
    )
    return str(path)


def enqueue_render_bundle(document_ids: list[int], user_id: int) -> str:
    from django_q.tasks import async_task

    return async_task(
        "portal.documents.tasks.render_bundle",
        list(document_ids)[:BATCH_LIMIT],
        user_id,
        task_name="documents.render_bundle",
    )
