"""django-q2 tasks (thin, take ids): render many documents to files outside the request cycle."""

from __future__ import annotations

import secrets
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from portal.documents.models import Document
from portal.documents.rendering import render_docx, render_pdf
from portal.notifications import notify

BATCH_SALT = "documents.batch"
BATCH_MAX_AGE = 7 * 24 * 3600  # a prepared bundle can be downloaded for a week
BATCH_LIMIT = 100


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
