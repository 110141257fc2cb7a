"""django-q2 entry points of the portal core: thin, take ``now`` as ISO text, call services."""

from __future__ import annotations

import datetime as dt

from portal.deadlines import deadline_sweep


def sweep_deadlines(now: str | None = None) -> dict[str, int]:
    when = dt.datetime.fromisoformat(now) if now else None
    return deadline_sweep(now=when).as_dict()
