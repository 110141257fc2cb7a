"""django-q2 entry points of citizen intake: thin, take ``now`` as ISO text."""

from __future__ import annotations

from portal.intake.limits import forget_expired
from portal.tasks import _parse_now


def forget_counters(now: str | None = None) -> int:
    """Delete the flood-control counters whose window is over (idempotent)."""
    return forget_expired(now=_parse_now(now))
