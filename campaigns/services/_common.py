"""What every contest service shares: permission checks, the finalize lock, the clock."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

LOCKED_MESSAGE = "Cuộc thi đã tổng kết: điểm và hồ sơ đã khóa, không ai sửa được nữa."


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def require(user, perm: str, obj, message: str) -> None:
    """``user`` None is the system (demo seed, management command); everyone else must hold the permission."""
    if user is None:
        return
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def require_open(contest) -> None:
    if contest.status == "finalized":
        raise ValidationError(LOCKED_MESSAGE)


def points_of(item, *, points=None, count=None):
    """The criterion's points from the input, a refusal as a ValidationError (Vietnamese, shown as is)."""
    from campaigns.scoring import ScoreError, criterion_points

    try:
        return criterion_points(item, points=points, count=count)
    except ScoreError as exc:
        raise ValidationError(str(exc)) from exc
