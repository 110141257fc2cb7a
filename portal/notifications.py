"""In-app inbox and email. ``notify`` is idempotent per (recipient, key)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal import generations, principal
from portal.models import Notification

logger = logging.getLogger(__name__)

# Key prefixes written before topics were passed explicitly, and their topic.
TOPIC_ALIASES = {"documents": "document", "consultations": "consultation", "deadlines": "deadline"}


def topic_of(key: str | None) -> str:
    """The workflow a notification belongs to, from its key ("consultation:12:published" -> "consultation")."""
    if not key:
        return ""
    prefix = re.split(r"[:.]", key, maxsplit=1)[0]
    return TOPIC_ALIASES.get(prefix, prefix)[:40]


def notify(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    key: str | None = None,
    now: dt.datetime | None = None,
    email: bool = True,
    topic: str | None = None,
) -> list[Notification]:
    """Put a notification in each recipient's inbox (once per key) and email those who have an address.

    ``topic`` groups it in the inbox (default: the key's first word); its label is registered with
    ``portal.registry.register_notification_topics``."""
    now = now or timezone.now()
    topic = (topic if topic is not None else topic_of(key))[:40]
    created: list[Notification] = []
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        if key and Notification.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    recipient=user,
                    title=title[:300],
                    body=body,
                    url=url,
                    key=key,
                    created_at=now,
                    topic=topic,
                )
        except IntegrityError:  # a concurrent run created it first
            continue
        created.append(note)
    if created:
        principal.forget_unread(n.recipient_id for n in created)
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
    *, user, notification_id: int | None = None, topic: str | None = None, now: dt.datetime | None = None
) -> int:
    """Mark one notification, one topic's, or all of the user's unread notifications as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    if topic is not None:
        qs = qs.filter(topic=topic)
    marked = qs.update(read_at=now or timezone.now())
    principal.forget_unread([user.pk])
    if marked:  # update() sends no post_save: the home's "Thông báo mới" panel (portal/generations.py)
        generations.bump([generations.person_scope(user.pk)])
    return marked


def notification_groups(notes) -> list[dict]:
    """Group one page of notifications (already unread first) by read state and topic, and fold the ones about
    the same subject (same link) into one entry: ``[{label, unread, topic, entries: [{note, others}]}]``."""
    from portal.registry import notification_topic_label

    groups: list[dict] = []
    index: dict[tuple[bool, str], dict] = {}
    for note in notes:
        unread = note.read_at is None
        group = index.get((unread, note.topic))
        if group is None:
            group = {
                "label": notification_topic_label(note.topic),
                "topic": note.topic,
                "unread": unread,
                "entries": [],
                "by_url": {},
            }
            index[(unread, note.topic)] = group
            groups.append(group)
        entry = group["by_url"].get(note.url) if note.url else None
        if entry is None:
            entry = {"note": note, "others": []}
            group["entries"].append(entry)
            if note.url:
                group["by_url"][note.url] = entry
        else:
            entry["others"].append(note)
    for group in groups:
        del group["by_url"]
    return groups
