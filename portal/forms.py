"""The one place typed input becomes values: every form of every app derives from ``PortalForm`` /
``PortalModelForm`` (a test walks all form classes of the project and checks it).

What each field gets, unless it already says otherwise:

- text (``CharField``): cleaned with ``portal.text`` (NFC, no control characters: NUL, escape sequences, bidi
  overrides, zero-width marks); one-line inputs also get their whitespace collapsed; a length limit always
  (``TEXT_MAX`` when the field names none) with a Vietnamese message naming it; passwords are left as typed;
- dates: typed the Vietnamese way (dd/mm/yyyy) or ISO (yyyy-mm-dd), and only between ``DATE_MIN`` and ``DATE_MAX``
  (year 0001 or 9999 is a typing slip, not a deadline);
- whole numbers: between ``INT_MIN`` and ``INT_MAX`` (a PostgreSQL ``integer``), never a database error.

Services check the same bounds again (``check_date``, ``check_int``, ``check_length``) so the admin, a task or a
script cannot store what a form would refuse.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import DataError

from portal import text as txt
from portal.bounds import (  # noqa: F401 - re-exported: services import the bounds from here too
    DATE_INPUT_FORMATS,
    DATE_MAX,
    DATE_MIN,
    INT_MAX,
    INT_MIN,
    TEXT_MAX,
    _fmt_date,
    _fmt_int,
    check_date,
    check_int,
    check_length,
    length_message,
)


def _datetime_in_range(value: dt.datetime) -> None:
    if not (DATE_MIN <= value.date() <= DATE_MAX):
        raise ValidationError(f"Ngày phải từ {_fmt_date(DATE_MIN)} đến {_fmt_date(DATE_MAX)}.")


class _CleanText:
    """A CharField.to_python that cleans the text first (kept on the field instance)."""

    def __init__(self, to_python, multiline: bool):
        self.to_python = to_python
        self.multiline = multiline

    def __call__(self, value):
        if isinstance(value, str):
            value = txt.clean_text(value) if self.multiline else txt.clean_line(value)
        return self.to_python(value)


class _SafeChoiceClean:
    """A model choice field's clean: an id too large for the database (99999999999999999999) is an invalid choice,
    not an OverflowError / DataError from the driver."""

    def __init__(self, clean, message: str):
        self.clean = clean
        self.message = message

    def __call__(self, value):
        try:
            return self.clean(value)
        except (OverflowError, DataError) as exc:
            raise ValidationError(self.message, code="invalid_choice") from exc


BLANK_DASHES = "---------"  # Django's empty choice of a select
BLANK_LABEL = "— Chọn —"


def harden_field(field: forms.Field) -> forms.Field:
    """Give ``field`` the portal's cleaning and bounds (see the module docstring). Idempotent."""
    if getattr(field, "_portal_hardened", False):
        return field
    field._portal_hardened = True
    if isinstance(field, forms.ModelChoiceField):  # ModelMultipleChoiceField too
        field.clean = _SafeChoiceClean(field.clean, "Lựa chọn không hợp lệ.")
        if field.empty_label == BLANK_DASHES:
            field.empty_label = BLANK_LABEL
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        if any(value == "" and label == BLANK_DASHES for value, label in choices):
            field.choices = [
                (v, BLANK_LABEL if v == "" and label == BLANK_DASHES else label) for v, label in choices
            ]
    elif isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
        multiline = isinstance(field.widget, forms.Textarea)
        field.to_python = _CleanText(field.to_python, multiline)
        if field.max_length is None:
            field.max_length = TEXT_MAX
            field.validators.append(MaxLengthValidator(TEXT_MAX))
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("maxlength", str(TEXT_MAX))
        for validator in field.validators:
            if isinstance(validator, MaxLengthValidator):
                validator.message = length_message(validator.limit_value)
    elif isinstance(field, forms.DateField):
        field.input_formats = DATE_INPUT_FORMATS
        field.error_messages["invalid"] = (
            "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 27/12/2026."
        )
        field.validators.append(
            MinValueValidator(DATE_MIN, message=f"Ngày phải từ {_fmt_date(DATE_MIN)} trở về sau.")
        )
        field.validators.append(
            MaxValueValidator(DATE_MAX, message=f"Ngày phải trước {_fmt_date(DATE_MAX)}.")
        )
        if isinstance(field.widget, forms.DateInput) and "date" in (
            field.widget.input_type,
            field.widget.attrs.get("type"),
        ):
            field.widget.attrs.setdefault("min", DATE_MIN.isoformat())
            field.widget.attrs.setdefault("max", DATE_MAX.isoformat())
    elif isinstance(field, forms.DateTimeField):
        field.error_messages["invalid"] = "Thời điểm không hợp lệ: nhập ngày/tháng/năm và giờ:phút."
        field.validators.append(_datetime_in_range)
    elif isinstance(field, forms.IntegerField):
        field.error_messages["invalid"] = "Hãy nhập một số nguyên."
        if field.max_value is None or field.max_value > INT_MAX:
            field.max_value = INT_MAX
            field.validators.append(MaxValueValidator(INT_MAX))
            field.widget.attrs["max"] = str(INT_MAX)
        if field.min_value is None or field.min_value < INT_MIN:
            field.min_value = INT_MIN
            field.validators.append(MinValueValidator(INT_MIN))
        for validator in field.validators:
            if isinstance(validator, MaxValueValidator):
                validator.message = f"Số lớn nhất được nhập là {_fmt_int(validator.limit_value)}."
            elif isinstance(validator, MinValueValidator):
                validator.message = f"Số nhỏ nhất được nhập là {_fmt_int(validator.limit_value)}."
    return field


class HardenedFormMixin:
    """Hardens every field of the form when it is built (forms add fields in ``__init__`` too: call super first)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            harden_field(field)


class PortalForm(HardenedFormMixin, forms.Form):
    pass


class PortalModelForm(HardenedFormMixin, forms.ModelForm):
    pass
