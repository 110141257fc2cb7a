"""Helpers shared by the consultation services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from consultations import cache as public_cache
from consultations.models import Article, Consultation
from portal import access

LAW = "Luật 10/2022/QH15"


def today_of(now: dt.datetime | None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def fmt(d: dt.date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else "—"


def require_perm(by, perm: str, obj) -> None:
    """``by=None`` is the system (a scheduled task, a command); a person needs ``perm`` (portal/access.py)."""
    access.require_perm(by, perm, obj)


def lock(consultation: Consultation) -> Consultation:
    """Reload the consultation under a row lock (the transition re-checks its rules on fresh data)."""
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def require_status(consultation: Consultation, *allowed: str, action: str) -> None:
    if consultation.status not in allowed:
        labels = ", ".join(str(Consultation.Status(s).label) for s in allowed)
        raise ValidationError(
            f"Không thể {action} khi cuộc lấy ý kiến đang ở trạng thái “{consultation.get_status_display()}” "
            f"(chỉ được khi: {labels})."
        )


def touch(consultation: Consultation, now: dt.datetime | None, fields: list[str]) -> None:
    consultation.updated_at = now or timezone.now()
    consultation.full_clean()
    consultation.save(update_fields=[*fields, "updated_at"])


def public_changed(consultation_id: int) -> None:
    """Bump the consultation's public (and staff) version in the writer's transaction, and drop the cached public
    state on commit: this process (and every process, with a shared cache) serves the new version at once, other
    processes with a per-process cache within ``settings.PORTAL_PUBLIC_STATE_TTL`` (see consultations/cache.py)."""
    Consultation.objects.filter(pk=consultation_id).update(
        public_version=F("public_version") + 1, staff_version=F("staff_version") + 1
    )
    public_cache.forget(consultation_id)
    transaction.on_commit(lambda: public_cache.forget(consultation_id, state=True, tally=True))


def counts_changed(consultation_id: int) -> None:
    """A comment arrived while only counts show on the public page (before results): the staff lists are rendered
    again (``staff_version``), the public page keeps its HTML and shows the new counts from the tally, dropped from
    the cache on commit (no cache round trip inside the submission's transaction; a reader that counted just before
    the commit may store the old counts back: they live ``settings.PORTAL_PUBLIC_STATE_TTL`` seconds at most)."""
    staff_changed(consultation_id, tally=True)


def staff_changed(consultation_id: int, *, tally: bool = False) -> None:
    """Bump the staff version only, for a write the public page does not show (an assignment, an MTTQ flag): the
    cached staff lists of the consultation (keyed by ``staff_version``) are rendered again; the cached row goes at
    once and on commit (with the tally, for ``counts_changed``)."""
    Consultation.objects.filter(pk=consultation_id).update(staff_version=F("staff_version") + 1)
    public_cache.forget(consultation_id)
    transaction.on_commit(lambda: public_cache.forget(consultation_id, tally=tally))


def counts_changed_window(
    consultation_id: int, row: Consultation | None = None
) -> tuple[str, dt.date, dt.date] | None:
    """:func:`counts_changed` for a citizen's comment, in one statement that also returns the row's ``(status,
    opens_on, closes_on)`` as the bump left it (``UPDATE … RETURNING``, under the row lock until commit): the
    freshest state there is, for a last check before the writer commits. The tally leaves the cache on commit only
    (nothing in the submission reads it). ``None`` if there is no such row.

    ``row``: the consultation as the caller read it from the cache (``selectors.consultation_get_cached``). When
    no transition moved it since (same status, window and public version under the lock), the cache gets it back on
    commit with its new staff version instead of losing it, so the next submission does not read it again;
    otherwise it is dropped as before. (A commit that lands between this one and its callback can be overwritten by
    this older row for ``PORTAL_PUBLIC_STATE_TTL`` seconds at most, as with a reader that stores a row it read just
    before a commit: see consultations/cache.py.)"""
    table = connection.ops.quote_name(Consultation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET staff_version = staff_version + 1 WHERE id = %s "  # noqa: S608 - quoted name
            "RETURNING status, opens_on, closes_on, staff_version, public_version",
            [consultation_id],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    status, opens_on, closes_on, staff_version, public_version = found
    to_date = Consultation._meta.get_field("opens_on").to_python  # SQLite returns the dates as text
    opens_on, closes_on = to_date(opens_on), to_date(closes_on)
    unmoved = (
        row is not None
        and row.pk == consultation_id
        and "commune" in row._state.fields_cache  # as consultation_get_cached reads it
        and (row.status, row.public_version, row.opens_on, row.closes_on)
        == (status, public_version, opens_on, closes_on)
    )
    if unmoved:
        row.staff_version = staff_version
        # The row (with its new staff_version) goes back and the tally leaves the cache on commit, in one round trip.
        transaction.on_commit(lambda: public_cache.refresh(row, tally=True))
    else:
        # The row and the tally leave the cache on commit: no cache round trip under the lock.
        transaction.on_commit(lambda: public_cache.forget(consultation_id, tally=True))
    return status, opens_on, closes_on


def sync_article_position(comments) -> int:
    """Copy each comment's article position into ``Comment.article_position`` (one UPDATE; for bulk inserts)."""
    return comments.update(
        article_position=Subquery(Article.objects.filter(pk=OuterRef("article_id")).values("position")[:1])
    )
