"""Helpers shared by the dialogue services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dialogues.models import EARLIEST_YEAR, LATEST_YEAR
from portal import lookups
from portal.models import AdministrativeUnit, Role

EARLIEST = dt.date(EARLIEST_YEAR, 1, 1)
MAX_YEARS_AHEAD = 2


def today_of(now: dt.datetime | None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def fmt(d: dt.date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else "—"


def require_perm(by, perm: str, obj, message: str = "Bạn không có quyền thực hiện việc này.") -> None:
    if by is None or not by.has_perm(perm, obj):
        raise PermissionDenied(message)


def check_date(value: dt.date | None, *, label: str, today: dt.date, allow_future: bool = True) -> None:
    """A sane date: not before 2000, not more than two years ahead (never past 2100), not in the future where that
    makes no sense."""
    if value is None:
        return
    if value < EARLIEST or value.year > min(today.year + MAX_YEARS_AHEAD, LATEST_YEAR):
        raise ValidationError(f"{label} không hợp lệ ({fmt(value)}).")
    if not allow_future and value > today:
        raise ValidationError(f"{label} không được sau ngày hôm nay ({fmt(today)}).")


def check_village(commune_id: int, village: AdministrativeUnit | None) -> None:
    if village is None:
        return
    if village.level != AdministrativeUnit.Level.VILLAGE or village.commune_id != commune_id:
        raise ValidationError("Thôn không thuộc xã này.")
    if not village.active:
        raise ValidationError("Thôn này đã giải thể hoặc sáp nhập.")


def members(commune_id: int, *roles) -> list:
    return lookups.member_users(commune_id, *roles)


def village_heads(village_ids) -> list:
    seen, users = set(), []
    for village_id in village_ids:
        for user in lookups.village_heads(village_id):
            if user.pk not in seen:
                seen.add(user.pk)
                users.append(user)
    return users


def check_office_member(commune_id: int, user, *, label: str = "Cán bộ được giao") -> None:
    ok = lookups.member_user_ids(commune_id, Role.STAFF, Role.LEADER).filter(user_id=user.pk).exists()
    if not ok:
        raise ValidationError(f"{label} phải là cán bộ, công chức hoặc lãnh đạo UBND của xã.")


def check_year(year: int, *, today: dt.date) -> None:
    if not (EARLIEST_YEAR <= year <= min(today.year + 1, LATEST_YEAR)):
        raise ValidationError(f"Năm {year} không hợp lệ (từ {EARLIEST_YEAR} đến năm sau).")
