"""django-q2 entry points of the portal core: thin, take ``now`` as ISO text, call services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.deadlines import deadline_sweep


def _parse_now(now: str | None) -> dt.datetime | None:
    """ISO text to an aware datetime; a time without an offset is the portal's local time (TIME_ZONE)."""
    if not now:
        return None
    when = dt.datetime.fromisoformat(now)
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def sweep_deadlines(now: str | None = None) -> dict[str, int]:
    return deadline_sweep(now=_parse_now(now)).as_dict()
