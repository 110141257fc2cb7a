"""The portal's sane bounds, in one place: dates, whole numbers, text lengths. Forms (``portal.forms``), models
(field validators) and services (``check_*``) all read them from here, so the admin, a task or a script cannot store
what a form would refuse.

- dates: ``DATE_MIN``–``DATE_MAX`` (year 0001 or 9999 is a typing slip, not a deadline), typed the Vietnamese way
  (``DATE_INPUT_FORMATS``: dd/mm/yyyy first, ISO too; also the ``vi`` format module's input formats);
- whole numbers: a PostgreSQL ``integer`` (``INT_MIN``–``INT_MAX``);
- text: every model text field names its limit (``text_limit(n)`` gives the validator with a Vietnamese message);
  ``TEXT_MAX`` for a form field that names none.

Model fields use them as validators, which ``full_clean()`` (called by every service) runs::

    opens_on = models.DateField("ngày bắt đầu", validators=[bounds.validate_date])
    summary = models.TextField("tóm tắt", max_length=5000, blank=True, validators=bounds.text_limit(5000))
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"]
INT_MIN = -2_147_483_648  # PostgreSQL integer
INT_MAX = 2_147_483_647
TEXT_MAX = 20_000  # a text field that names no limit of its own


def _fmt_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _fmt_date(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"  # strftime prints year 1 as "1"


def length_message(limit: int) -> str:
    return f"Tối đa {_fmt_int(limit)} ký tự (bạn đã nhập %(show_value)s ký tự)."


def check_length(value: str | None, limit: int, label: str) -> str:
    """Service-side: refuse text longer than ``limit`` with a message naming the field and the limit."""
    value = value or ""
    if len(value) > limit:
        raise ValidationError(f"{label}: tối đa {_fmt_int(limit)} ký tự (đã nhập {_fmt_int(len(value))}).")
    return value


def check_date(value: dt.date | None, label: str) -> dt.date | None:
    """Service-side: refuse a date outside [DATE_MIN, DATE_MAX]."""
    if value is None:
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    if not (DATE_MIN <= day <= DATE_MAX):
        raise ValidationError(
            f"{label}: ngày {_fmt_date(day)} nằm ngoài khoảng cho phép "
            f"({_fmt_date(DATE_MIN)}–{_fmt_date(DATE_MAX)})."
        )
    return value


def check_int(value: int | None, label: str, *, minimum: int = 0, maximum: int = INT_MAX) -> int | None:
    """Service-side: refuse a number outside [minimum, maximum]."""
    if value is None:
        return None
    if not (minimum <= value <= maximum):
        raise ValidationError(f"{label}: phải từ {_fmt_int(minimum)} đến {_fmt_int(maximum)}.")
    return value


def validate_date(value: dt.date | None) -> None:
    """Model field validator: a date between ``DATE_MIN`` and ``DATE_MAX``."""
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not (DATE_MIN <= day <= DATE_MAX):
        raise ValidationError(
            f"Ngày {_fmt_date(day)} nằm ngoài khoảng cho phép ({_fmt_date(DATE_MIN)}–{_fmt_date(DATE_MAX)}).",
            code="date_out_of_range",
        )


def validate_fields(instance, *names: str) -> None:
    """Run the model validators of the fields ``names`` (bounds of dates, lengths of texts) for a service that saves
    with ``update_fields`` instead of a whole ``full_clean()``; each message names its field."""
    try:
        instance.clean_fields(exclude=[f.name for f in instance._meta.concrete_fields if f.name not in names])
    except ValidationError as exc:
        labels = {f.name: str(f.verbose_name) for f in instance._meta.concrete_fields}
        raise ValidationError(
            {
                name: [f"{labels.get(name, name).capitalize()}: {m}" for m in messages]
                for name, messages in exc.message_dict.items()
            }
        ) from exc


def text_limit(limit: int) -> list[MaxLengthValidator]:
    """Model field validators for a text of at most ``limit`` characters (a ``TextField``'s ``max_length`` alone is
    only a hint to forms; this is checked by ``full_clean()``)."""
    return [MaxLengthValidator(limit, message=length_message(limit))]
