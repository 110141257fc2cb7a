"""Publicizing (công khai, Điều 12–13 Luật 10/2022/QH15): the required postings, confirmations, radio days."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from consultations.models import Broadcast, Consultation, Posting
from portal import lookups, statutes, uploads
from portal.audit import audit_record
from portal.deadlines import deadline_meet, deadline_open
from portal.models import AdministrativeUnit

from ._base import fmt, require_perm, today_of

PHOTO_FORMATS = uploads.PHOTO_FORMATS
PHOTO_MAX_SIDE = uploads.PHOTO_MAX_SIDE


def _villages(commune) -> list[AdministrativeUnit]:
    return list(lookups.villages(commune))


def required_postings(
    consultation: Consultation, phase: str
) -> list[tuple[str, AdministrativeUnit | None, str, str]]:
    """(kind, village, deadline rule, minimum-duration rule) for each act of publicizing the law requires."""
    K = Posting.Kind  # noqa: N806 - a short alias for the enum
    if not consultation.is_people:
        # Agency contents (Điều 47–48): the office notice board and the internal system.
        within = statutes.AGENCY_PUBLICIZE_WITHIN.code
        return [(K.OFFICE, None, within, statutes.AGENCY_POSTING_MIN_DAYS.code), (K.PORTAL, None, within, "")]
    within = (
        statutes.CONSULTATION_RESULTS_PUBLICIZE
        if phase == Posting.Phase.RESULTS
        else statutes.PUBLICIZE_WITHIN
    ).code
    posting_min = statutes.POSTING_MIN_DAYS.code
    rows: list[tuple[str, AdministrativeUnit | None, str, str]] = [
        (K.OFFICE, None, within, posting_min),
        (K.RADIO, None, within, statutes.RADIO_MIN_DAYS.code),
        (K.PORTAL, None, within, ""),
    ]
    for village in _villages(consultation.commune):
        rows.append((K.VILLAGE_HOUSE, village, within, posting_min))
        rows.append((K.VILLAGE_HEAD, village, within, ""))
    return rows


def postings_generate(
    *,
    consultation: Consultation,
    phase: str,
    trigger_on: dt.date,
    portal_on: dt.date | None,
    by,
    now: dt.datetime | None = None,
) -> list[Posting]:
    """Create the phase's postings (idempotent) and open one deadline per posting; the portal one is done at once."""
    created = []
    for kind, village, rule_code, min_rule in required_postings(consultation, phase):
        posting, was_created = Posting.objects.get_or_create(
            consultation=consultation,
            phase=phase,
            kind=kind,
            village=village,
            defaults={
                "commune": consultation.commune,
                "trigger_on": trigger_on,
                "rule_code": rule_code,
                "min_rule_code": min_rule,
                "due_on": statutes.get(rule_code).due(trigger_on),
            },
        )
        if not was_created:
            continue
        created.append(posting)
        deadline_open(
            subject=posting,
            rule_code=rule_code,
            trigger_date=trigger_on,
            commune=consultation.commune,
            village=village,
            title=f"{posting.get_kind_display()}: {consultation.title}"[:300],
            url=f"/lay-y-kien/{consultation.pk}/cong-khai/",
            by=by,
            now=now,
        )
        if kind == Posting.Kind.PORTAL and portal_on is not None:
            posting.posted_on = portal_on
            posting.confirmed_by = by
            posting.confirmed_at = now or timezone.now()
            posting.note = "Đăng tự động khi công bố trên cổng thông tin"
            posting.save(update_fields=["posted_on", "confirmed_by", "confirmed_at", "note"])
            deadline_meet(subject=posting, rule_code=rule_code, by=by, now=now)
    return created


def photo_clean(upload) -> ContentFile:
    """Check a posting photo (JPEG, PNG or WebP by its bytes; size and pixel limits), strip its metadata and resize
    it: portal.uploads.image_clean, the one place uploads are checked."""
    return uploads.image_clean(upload, field="photo", max_side=PHOTO_MAX_SIDE, formats=PHOTO_FORMATS)


@transaction.atomic
def posting_confirm(
    *, posting: Posting, by, posted_on: dt.date, photo=None, note: str = "", now: dt.datetime | None = None
) -> Posting:
    """A village head (their village) or staff confirms that the notice was posted / delivered on ``posted_on``."""
    now = now or timezone.now()
    require_perm(by, "consultations.confirm_posting", posting)
    posting = Posting.objects.select_for_update().select_related("consultation").get(pk=posting.pk)
    if posting.kind == Posting.Kind.RADIO:
        raise ValidationError("Việc phát thanh được ghi theo từng ngày phát (Nhật ký truyền thanh).")
    if posted_on > today_of(now):
        raise ValidationError({"posted_on": "Ngày niêm yết không được sau ngày hôm nay."})
    if posted_on < posting.trigger_on:
        raise ValidationError(
            {"posted_on": f"Ngày niêm yết không được trước ngày ban hành ({fmt(posting.trigger_on)})."}
        )
    old = posting.posted_on
    posting.posted_on = posted_on
    posting.note = note.strip()[:300]
    posting.confirmed_by = by
    posting.confirmed_at = now
    fields = ["posted_on", "note", "confirmed_by", "confirmed_at"]
    if photo:
        if posting.photo:
            raise ValidationError({"photo": "Đã có ảnh niêm yết; ảnh cũ được giữ làm minh chứng."})
        cleaned = photo_clean(photo)
        posting.photo.save(cleaned.name, cleaned, save=False)
        fields.append("photo")
    posting.save(update_fields=fields)
    deadline_meet(subject=posting, rule_code=posting.rule_code, by=by, now=now)
    audit_record(
        actor=by,
        action="consultation.posting_confirm",
        obj=posting,
        now=now,
        changes={"posted_on": [old, posted_on], "photo": bool(photo)},
        commune=posting.commune,
    )
    return posting


@transaction.atomic
def broadcast_log(
    *, posting: Posting, by, broadcast_on: dt.date, note: str = "", now: dt.datetime | None = None
) -> Broadcast:
    """The radio operator logs one day of broadcasting (one row per day; a repeat of the same day is refused)."""
    now = now or timezone.now()
    require_perm(by, "consultations.log_broadcast", posting)
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    if posting.kind != Posting.Kind.RADIO:
        raise ValidationError("Chỉ ghi nhật ký phát thanh cho việc phát trên Đài truyền thanh.")
    if broadcast_on > today_of(now):
        raise ValidationError({"broadcast_on": "Không ghi trước ngày phát."})
    if broadcast_on < posting.trigger_on:
        raise ValidationError(
            {"broadcast_on": f"Ngày phát không được trước ngày ban hành ({fmt(posting.trigger_on)})."}
        )
    entry = Broadcast(
        posting=posting,
        commune_id=posting.commune_id,
        broadcast_on=broadcast_on,
        note=note.strip()[:200],
        logged_by=by,
        logged_at=now,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        raise ValidationError({"broadcast_on": f"Ngày {fmt(broadcast_on)} đã được ghi."}) from exc
    if posting.posted_on is None or broadcast_on < posting.posted_on:
        posting.posted_on = broadcast_on
        posting.confirmed_by = by
        posting.confirmed_at = now
        posting.save(update_fields=["posted_on", "confirmed_by", "confirmed_at"])
        deadline_meet(subject=posting, rule_code=posting.rule_code, by=by, now=now)
    audit_record(
        actor=by,
        action="consultation.broadcast_log",
        obj=posting,
        now=now,
        changes={"broadcast_on": broadcast_on},
        commune=posting.commune,
    )
    return entry


def longest_run(days) -> int:
    """Length of the longest run of consecutive calendar days."""
    best = run = 0
    prev = None
    for d in sorted(set(days)):
        run = run + 1 if prev is not None and (d - prev).days == 1 else 1
        best = max(best, run)
        prev = d
    return best
