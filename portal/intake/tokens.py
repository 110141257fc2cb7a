"""Receiving one submission exactly once: form tokens, tracking-code allocation, flood control, in one call."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Subquery
from django.utils import timezone

from portal.intake import limits
from portal.intake.codes import new_code
from portal.intake.origin import Origin

M = TypeVar("M", bound=models.Model)

TOKEN_MAX_LENGTH = 64
CREATE_ATTEMPTS = 5  # create() runs again after an integrity error that is not the token's (a code collision)
INVALID_FORM = "Biểu mẫu không hợp lệ, vui lòng tải lại trang."
_TOKEN = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def check_token(token: str | None) -> str:
    """The form token as given, or a ``ValidationError`` for a missing, too long or odd one."""
    if not token or not _TOKEN.fullmatch(token):
        raise ValidationError(INVALID_FORM, code="invalid_form")
    return token


def submitted(model: type[M], token: str) -> M | None:
    """The ``model`` row this form token already made (one query), else ``None``."""
    from django.contrib.contenttypes.models import ContentType

    from portal.intake.models import FormToken

    ct = ContentType.objects.get_for_model(model)
    ids = FormToken.objects.filter(token=token, content_type=ct).values("object_id")[:1]
    return model._default_manager.filter(pk=Subquery(ids)).first()


def insert_with_code(
    obj: M, *, kind: str, field: str = "tracking_code", attempts: int = 5, savepoint: bool = True
) -> M:
    """``INSERT`` a new row with a fresh tracking code of ``kind`` in ``field`` (kept if already set), drawing a new
    code on the (very unlikely) collision with the unique column. Other integrity errors are raised as they are.

    ``savepoint=False``: one plain ``INSERT`` and a collision is raised as ``IntegrityError``, for a ``create()``
    run by :func:`receive`, whose own savepoint rolls it back and calls ``create()`` again (a new row, a new code):
    two round trips fewer per submission."""
    model = type(obj)
    if not getattr(obj, field):
        setattr(obj, field, new_code(kind))
    if not savepoint:
        obj.save(force_insert=True)
        return obj
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
            return obj
        except IntegrityError:
            code = getattr(obj, field)
            if attempt == attempts - 1 or not model._default_manager.filter(**{field: code}).exists():
                raise
            obj.pk = None
            obj._state.adding = True
            setattr(obj, field, new_code(kind))
    raise AssertionError("unreachable")


def receive(
    *,
    model: type[M],
    token: str,
    create: Callable[[], M],
    origin: Origin | None = None,
    subject=None,
    text: str = "",
    now: dt.datetime | None = None,
) -> tuple[M, bool]:
    """Save one citizen submission once; ``(row, created)``.

    1. the form token is checked (``ValidationError`` "Biểu mẫu không hợp lệ…" if missing or odd);
    2. flood control (:func:`portal.intake.limits.admit`) for ``origin`` on ``subject`` with ``text``; a refusal
       raises :class:`~portal.intake.limits.RateLimited`, unless the token already made a submission: then that one
       is returned (a double click after one's last allowed comment still lands on the receipt);
    3. ``create()`` (which builds and inserts the row, e.g. with :func:`insert_with_code`) and the token's row run in
       one savepoint; if the token was taken meanwhile (a double submit racing on another connection), the savepoint
       is rolled back and the first submission is returned with ``created=False``; on any other integrity error
       (a tracking-code collision of ``insert_with_code(savepoint=False)``) ``create()`` runs again, so it must
       build a new row each time;
    4. the accepted submission is counted against the flood-control rules.

    Run it inside the caller's ``transaction.atomic()`` after the caller's own checks; write the audit row and other
    side effects only when ``created``. A token used by another kind of submission is refused as an invalid form.
    """
    from django.contrib.contenttypes.models import ContentType

    from portal.intake.models import FormToken

    now = now or timezone.now()
    token = check_token(token)
    try:
        admission = limits.admit(origin=origin, subject=subject, text=text, now=now)
    except limits.RateLimited:
        if (existing := submitted(model, token)) is not None:
            return existing, False
        raise
    ct = ContentType.objects.get_for_model(model)
    for attempt in range(CREATE_ATTEMPTS):
        try:
            with transaction.atomic():
                obj = create()
                FormToken.objects.create(token=token, content_type=ct, object_id=obj.pk, created_at=now)
            break
        except IntegrityError:
            if (existing := submitted(model, token)) is not None:
                return existing, False
            if FormToken.objects.filter(token=token).exists():
                raise ValidationError(INVALID_FORM, code="invalid_form") from None
            if attempt == CREATE_ATTEMPTS - 1:
                raise
            # else: a tracking-code collision of a create() that inserts without its own savepoint: once more
    admission.count()
    return obj, True
