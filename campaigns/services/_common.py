"""What every contest service shares: permission checks, the finalize lock, the clock, row locks, sheets, dates."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal.bounds import check_date

FOREIGN_CRITERION_MESSAGE = (
    "Tiêu chí không thuộc bộ tiêu chí của cuộc thi (hoặc là nhóm tiêu chí, không chấm điểm)."
)
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


def require_sane_dates(**dates: dt.date | None) -> None:
    """Refuse a typed date outside the portal's sane range (portal/bounds.py ``check_date``), naming the field."""
    for label, day in dates.items():
        check_date(day, label)


def lock_participant(participant):
    """The participant's row, locked for the transaction, with its contest and criteria set."""
    from campaigns.models import Participant

    return (
        Participant.objects.select_for_update(of=("self",))
        .select_related("contest__criteria_set")
        .get(pk=participant.pk)
    )


def _blank(entry: dict) -> bool:
    return entry.get("points") in (None, "") and entry.get("count") in (None, "")


def sheet_save(*, criteria_set_id: int, entries: dict[int, dict], save_one) -> dict[int, str]:
    """Save a sheet of scores (self-scores, a judge's, the panel's): all or nothing, inside the caller's
    transaction. ``entries`` maps a criterion id to ``{"points", "count", "comment"}``; blank entries are skipped, a
    criterion outside the set (or a group, which is not scored) is an error; ``save_one(criterion, entry)`` saves one,
    its bounds checked by the entry's service (``points_of``, ``check_length``). Returns {criterion id: error}; on any
    error the caller's transaction is rolled back: nothing of the sheet is saved."""
    from campaigns.models import Criterion

    criteria = {
        c.pk: c
        for c in Criterion.objects.filter(
            criteria_set_id=criteria_set_id, kind="criterion", pk__in=list(entries)
        )
    }
    errors: dict[int, str] = {}
    for cid, entry in entries.items():
        criterion = criteria.get(cid)
        if criterion is None:
            errors[cid] = FOREIGN_CRITERION_MESSAGE
            continue
        if _blank(entry):
            continue
        try:
            with transaction.atomic():
                save_one(criterion, entry)
        except ValidationError as exc:
            errors[cid] = exc.messages[0]
    if errors:
        transaction.set_rollback(True)
    return errors


def open_participant(participant, *, by, perm: str, message: str, on_contest: bool = False):
    """The preamble of every write on a participant: the permission (on the participant, or on its contest for
    the organizers' steps), the row lock, and the finalize lock. Returns the locked participant."""
    require(by, perm, participant.contest if on_contest else participant, message)
    participant = lock_participant(participant)
    require_open(participant.contest)
    return participant


def plan_due(day: dt.date | None) -> dt.date | None:
    """A date the contest plan sets ("hạn đăng ký ngày 15/3"), as the deadline engine counts it: a last day that
    is a day off moves to the next working day (portal/duerules.py, Bộ luật Dân sự 2015 Điều 148)."""
    from portal.duerules import DueRule

    return None if day is None else DueRule.on(day).next_due(day)
