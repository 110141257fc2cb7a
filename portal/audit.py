"""Writing the audit trail. Every service that changes a workflow object calls :func:`audit_record`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from portal.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
    commune=None,
    now: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event. ``changes`` maps a field to ``[old, new]`` (or to a single value for a creation)."""
    commune_id = getattr(obj, "commune_id", None) if commune is None else commune.pk
    event = AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=now or timezone.now(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=_jsonable(changes or {}),
        note=note,
        commune_id=commune_id,
    )
    event.save()
    return event


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}


def audit_for(obj: models.Model):
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEvent.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")
