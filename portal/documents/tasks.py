"""django-q2 tasks (thin, take ids): render a batch of documents to files outside the request cycle."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from portal.documents.models import Document
from portal.documents.rendering import render_docx, render_pdf


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


def enqueue_render_batch(document_ids: list[int], fmt: str = "pdf") -> str:
    from django_q.tasks import async_task

    return async_task("portal.documents.tasks.render_batch", list(document_ids), fmt, task_name="documents.render_batch")
