"""In-app inbox and email. ``notify`` is idempotent per (recipient, key)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import Notification

logger = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    key: str | None = None,
    now: dt.datetime | None = None,
    email: bool = True,
) -> list[Notification]:
    """Put a notification in each recipient's inbox (once per key) and email those who have an address."""
    now = now or timezone.now()
    created: list[Notification] = []
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        if key and Notification.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    recipient=user, title=title[:300], body=body, url=url, key=key, created_at=now
                )
        except IntegrityError:  # a concurrent run created it first
            continue
        created.append(note)
    if email and created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_notification_emails(ids))
    return created


def send_notification_emails(ids: list[int]) -> int:
    sent = 0
    for note in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("recipient"):
        if not note.recipient.email:
            continue
        try:
            send_mail(
                subject=f"[{settings.PORTAL_SITE_NAME}] {note.title}",
                message=f"{note.body}\n\n{note.url}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[note.recipient.email],
            )
        except OSError:
            logger.exception("email for notification %s failed", note.pk)
            continue
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def notification_mark_read(
    *, user, notification_id: int | None = None, now: dt.datetime | None = None
) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=now or timezone.now())
