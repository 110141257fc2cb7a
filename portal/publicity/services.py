"""Writes for publicity (công khai). Every service is keyword-only, takes ``by`` (None = the system) and
``now=None``, re-checks its rules, and writes an audit row. See the package docstring for the public API."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal import lookups, statutes
from portal.audit import audit_record
from portal.deadlines import deadline_cancel_for, deadline_meet, deadline_open
from portal.models import AdministrativeUnit
from portal.publicity.images import pdf_clean, photo_clean
from portal.publicity.models import Broadcast, ContentItem, Form, Posting, Publication, Regime
from portal.publicity.state import LAW, fmt, longest_run, posting_state

EARLIEST = dt.date(2000, 1, 1)  # sane range for dates typed by people
MAX_START_DELAY = 366  # days a publication may start after its decision


def _today(now: dt.datetime | None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def _require(by, perm: str, obj) -> None:
    if by is None:  # the system (a task, a data seed)
        return
    if not by.has_perm(perm, obj):
        raise PermissionDenied("Bạn không có quyền thực hiện việc này.")


def active_villages(commune) -> list[AdministrativeUnit]:
    """The commune's active villages (thôn, tổ dân phố): every one of them gets its posting."""
    return list(lookups.villages(commune))


def required_forms(*, item: int | None, regime: str = Regime.COMMUNE) -> list[str]:
    """The Điều 12 forms the law requires for a content item (Điều 13): the portal always; posting for items
    1–13 except 14 (permanently for 4 and 13); radio and village heads for items 7–12."""
    if regime == Regime.AGENCY:
        return [Form.POSTING, Form.PORTAL]
    forms = [Form.PORTAL]
    if item in statutes.PUBLICIZE_POSTED_ITEMS or item in statutes.PUBLICIZE_PERMANENT_ITEMS:
        forms.append(Form.POSTING)
    if item in statutes.PUBLICIZE_RADIO_ITEMS:
        forms.append(Form.RADIO)
    if item in statutes.PUBLICIZE_VILLAGE_HEAD_ITEMS:
        forms.append(Form.VILLAGE_HEAD)
    return forms


def _plan_postings(
    publication: Publication, villages: list[AdministrativeUnit] | None = None
) -> list[tuple[str, AdministrativeUnit | None, str, str]]:
    """(kind, village, minimum-duration rule, legal basis) for each act of publicizing the publication needs.
    ``villages``: the villages whose cultural house and head get a posting (default: every active village)."""
    K = Posting.Kind  # noqa: N806 - a short alias for the enum
    item, forms = publication.item, set(publication.forms)
    required = set(required_forms(item=item, regime=publication.regime))
    rows: list[tuple[str, AdministrativeUnit | None, str, str]] = []

    def basis(form: str, law: str) -> str:
        # A form the commune adds (Điều 13 khoản 5) keeps the duration the law sets for that form.
        return law if form in required else f"Điều 13 khoản 5 (thời hạn theo {law})"

    if publication.regime == Regime.AGENCY:
        rows.append((K.OFFICE, None, statutes.AGENCY_POSTING_MIN_DAYS.code, "Điều 47, 48"))
        rows.append((K.PORTAL, None, "", "Điều 47"))
        return rows
    rows.append((K.PORTAL, None, "", "Điều 13 khoản 1"))
    if Form.POSTING in forms:
        if item in statutes.PUBLICIZE_PERMANENT_ITEMS:
            rows.append((K.OFFICE, None, statutes.POSTING_PERMANENT.code, "Điều 13 khoản 2"))
        else:
            law = basis(Form.POSTING, "Điều 13 khoản 2")
            rows.append((K.OFFICE, None, statutes.POSTING_MIN_DAYS.code, law))
            villages = villages if villages is not None else active_villages(publication.commune)
            rows += [(K.VILLAGE_HOUSE, v, statutes.POSTING_MIN_DAYS.code, law) for v in villages]
    if Form.RADIO in forms:
        rows.append((K.RADIO, None, statutes.RADIO_MIN_DAYS.code, basis(Form.RADIO, "Điều 13 khoản 3")))
    if Form.VILLAGE_HEAD in forms:
        villages = villages if villages is not None else active_villages(publication.commune)
        law = basis(Form.VILLAGE_HEAD, "Điều 13 khoản 4")
        rows += [(K.VILLAGE_HEAD, v, "", law) for v in villages]
    return rows


def _posting_url(posting: Posting) -> str:
    """The deadline's link: the publication's page, which everyone who sees the deadline may open (it links on
    to the confirmation or the radio log for those who may act)."""
    return reverse("publicity:detail", args=[posting.publication_id])


def _generate(
    publication: Publication,
    *,
    portal_on: dt.date | None,
    due_from: dt.date | None,
    by,
    now,
    villages: list[AdministrativeUnit] | None = None,
) -> list[Posting]:
    created = []
    due_from = due_from or publication.decided_on
    due_on = statutes.rule_for(publication.within_rule, publication.commune).due(due_from)
    for kind, village, min_rule, law in _plan_postings(publication, villages):
        posting, was_created = Posting.objects.get_or_create(
            publication=publication,
            kind=kind,
            village=village,
            defaults={
                "commune": publication.commune,
                "trigger_on": publication.decided_on,
                "rule_code": publication.within_rule,
                "min_rule_code": min_rule,
                "due_on": due_on,
                "legal_basis": law,
            },
        )
        if not was_created:
            continue
        created.append(posting)
        deadline_open(
            subject=posting,
            rule_code=publication.within_rule,
            trigger_date=due_from,
            commune=publication.commune,
            village=village,
            title=f"{posting.get_kind_display()}: {publication.title}"[:300],
            url=_posting_url(posting),
            by=by,
            now=now,
        )
        if kind == Posting.Kind.PORTAL and portal_on is not None:
            posting.posted_on = portal_on
            posting.confirmed_by = by if getattr(by, "is_authenticated", False) else None
            posting.confirmed_at = now
            posting.note = "Đăng tự động khi công bố trên cổng thông tin"
            posting.save(update_fields=["posted_on", "confirmed_by", "confirmed_at", "note"])
            deadline_meet(subject=posting, rule_code=posting.rule_code, by=by, now=now)
    return created


def _period_end(*, item: int | None, regime: str, starts_on: dt.date) -> dt.date | None:
    if regime == Regime.AGENCY:
        return statutes.AGENCY_POSTING_MIN_DAYS.due(starts_on)
    if item in statutes.PUBLICIZE_PERMANENT_ITEMS:
        return None
    return statutes.POSTING_MIN_DAYS.due(starts_on)


@transaction.atomic
def publication_create(
    *,
    commune,
    title: str,
    decided_on: dt.date,
    by,
    item: int | None = None,
    regime: str = Regime.COMMUNE,
    forms: list[str] | None = None,
    starts_on: dt.date | None = None,
    subject=None,
    phase: str = "",
    document=None,
    file=None,
    summary: str = "",
    responsible: str = "",
    within_rule: str | None = None,
    portal_on: dt.date | None = None,
    replaces: Publication | None = None,
    due_from: dt.date | None = None,
    villages=None,
    now: dt.datetime | None = None,
) -> Publication:
    """Publicize something: create the publication and its postings (each with its deadline).

    Idempotent per (subject, phase): a second call returns the existing publication unchanged. ``due_from`` is the
    day the postings' deadline counts from (default: ``decided_on``), e.g. the meeting a notice must precede by N
    days (a ``Count.BEFORE`` rule as ``within_rule``). ``villages`` (villages of the commune) limits the village
    postings (cultural houses, village heads) to what concerns them, e.g. a dialogue's villages; the office, portal
    and radio postings are the commune's whatever it is. None (the default) means every active village.
    """
    now = now or timezone.now()
    today = _today(now)
    probe = Publication(commune=commune)
    _require(by, "publicity.add_publication", probe)
    if subject is not None:
        ct = ContentType.objects.get_for_model(subject, for_concrete_model=False)
        existing = Publication.objects.filter(content_type=ct, object_id=str(subject.pk), phase=phase).first()
        if existing is not None:
            return existing
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors.setdefault("title", []).append("Phải ghi nội dung công khai.")
    if regime == Regime.COMMUNE and item not in ContentItem.values:
        errors.setdefault("item", []).append("Phải chọn nội dung công khai theo Điều 11 (từ 1 đến 14).")
    if not (EARLIEST <= decided_on <= today):
        errors.setdefault("decided_on", []).append("Ngày ban hành phải trong khoảng từ năm 2000 đến hôm nay.")
    if starts_on is None:
        starts_on = max(decided_on, min(today, decided_on + dt.timedelta(days=MAX_START_DELAY)))
    if starts_on < decided_on:
        errors.setdefault("starts_on", []).append("Ngày bắt đầu công khai không được trước ngày ban hành.")
    elif (starts_on - decided_on).days > MAX_START_DELAY:
        errors.setdefault("starts_on", []).append(
            "Ngày bắt đầu công khai quá xa ngày ban hành (tối đa 1 năm)."
        )
    unknown = [f for f in (forms or []) if f not in Form.values]
    if unknown:
        errors.setdefault("forms", []).append("Hình thức công khai không hợp lệ.")
    if subject is None and document is None and not file:
        errors.setdefault("file", []).append("Phải chọn văn bản hoặc tải lên tệp PDF cần công khai.")
    if document is not None and document.commune_id != commune.pk:
        errors.setdefault("document", []).append("Văn bản không thuộc xã này.")
    elif document is not None and document.status != document.Status.ISSUED:
        errors.setdefault("document", []).append("Chỉ công khai văn bản đã ban hành (đã có số, ngày).")
    if villages is not None:
        villages = list(villages)
        if any(v.level != AdministrativeUnit.Level.VILLAGE or v.commune_id != commune.pk for v in villages):
            errors.setdefault("villages", []).append("Thôn, tổ dân phố được chọn không thuộc xã này.")
        elif any(not v.active for v in villages):
            errors.setdefault("villages", []).append(
                "Có thôn, tổ dân phố đã giải thể, sáp nhập; không niêm yết ở đó."
            )
    if replaces is not None and replaces.commune_id != commune.pk:
        errors.setdefault("replaces", []).append("Nội dung được thay thế không thuộc xã này.")
    cleaned_file = None
    if file:
        try:
            cleaned_file = pdf_clean(file)
        except ValidationError as exc:
            errors.setdefault("file", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    chosen = list(dict.fromkeys([*required_forms(item=item, regime=regime), *(forms or [])]))
    chosen.sort(key=Form.values.index)
    within = within_rule or (
        statutes.AGENCY_PUBLICIZE_WITHIN.code if regime == Regime.AGENCY else statutes.PUBLICIZE_WITHIN.code
    )
    statutes.get(within)  # an unknown rule is a programming error: fail loudly
    publication = Publication(
        commune=commune,
        regime=regime,
        item=item if regime == Regime.COMMUNE else None,
        title=title[:300],
        summary=(summary or "").strip()[:2000],
        forms=chosen,
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False)
        if subject
        else None,
        object_id=str(subject.pk) if subject is not None else "",
        phase=phase,
        document=document,
        decided_on=decided_on,
        starts_on=starts_on,
        ends_on=_period_end(item=item, regime=regime, starts_on=starts_on),
        within_rule=within,
        responsible=(responsible or "").strip()[:200],
        replaces=replaces,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        created_at=now,
        updated_at=now,
    )
    if cleaned_file is not None:
        publication.filename = (getattr(file, "name", "") or "tep.pdf").rsplit("/", 1)[-1][:200]
        publication.file.save(cleaned_file.name, cleaned_file, save=False)
    publication.full_clean(exclude=["file"])
    publication.save()
    if portal_on is None and starts_on <= today:
        portal_on = starts_on
    _generate(publication, portal_on=portal_on, due_from=due_from, by=by, now=now, villages=villages)
    audit_record(
        actor=by,
        action="publication.create",
        obj=publication,
        now=now,
        changes={
            "item": publication.item,
            "forms": chosen,
            "decided_on": decided_on,
            "period": [starts_on, publication.ends_on],
            "replaces": replaces.pk if replaces else None,
            **({"villages": sorted(v.name for v in villages)} if villages is not None else {}),
        },
    )
    return publication


def _lock_posting(posting: Posting) -> Posting:
    return Posting.objects.select_for_update().select_related("publication").get(pk=posting.pk)


@transaction.atomic
def posting_confirm(
    *,
    posting: Posting,
    by,
    posted_on: dt.date,
    photo=None,
    note: str = "",
    on_behalf_reason: str = "",
    now: dt.datetime | None = None,
) -> Posting:
    """A village head (their village) or staff confirms that the notice was posted / delivered on ``posted_on``.

    Staff confirming a village's posting act on the village head's behalf: a reason and a proof (a photo or a
    note saying what proves it) are required, and the posting is shown as confirmed on the head's behalf.
    """
    now = now or timezone.now()
    _require(by, "publicity.confirm_posting", posting)
    posting = _lock_posting(posting)
    if posting.kind == Posting.Kind.RADIO:
        raise ValidationError("Việc phát thanh được ghi theo từng ngày phát (Nhật ký truyền thanh).")
    if posting.publication.status == Publication.Status.WITHDRAWN:
        raise ValidationError("Nội dung này đã được rút, không xác nhận niêm yết nữa.")
    if posted_on > _today(now):
        raise ValidationError({"posted_on": "Ngày niêm yết không được sau ngày hôm nay."})
    if posted_on < posting.trigger_on:
        raise ValidationError(
            {"posted_on": f"Ngày niêm yết không được trước ngày ban hành ({fmt(posting.trigger_on)})."}
        )
    note = " ".join((note or "").split())[:300]
    reason = " ".join((on_behalf_reason or "").split())[:300]
    headed = set()
    if by is not None:
        from portal.access import access_for

        headed = access_for(by).headed_village_ids
    on_behalf = bool(posting.village_id) and posting.village_id not in headed
    if on_behalf:
        problems = {}
        if not reason:
            problems["on_behalf_reason"] = "Cán bộ xác nhận thay Trưởng thôn phải ghi lý do."
        if not photo and not posting.photo and not note:
            problems["note"] = "Xác nhận thay phải có minh chứng: ảnh chụp hoặc ghi chú về minh chứng."
        if problems:
            raise ValidationError(problems)
    old = posting.posted_on
    posting.posted_on = posted_on
    posting.note = note
    posting.confirmed_by = by if getattr(by, "is_authenticated", False) else None
    posting.confirmed_at = now
    posting.on_behalf = on_behalf
    posting.on_behalf_reason = reason if on_behalf else ""
    fields = ["posted_on", "note", "confirmed_by", "confirmed_at", "on_behalf", "on_behalf_reason"]
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
        action="posting.confirm",
        obj=posting,
        now=now,
        changes={"posted_on": [old, posted_on], "photo": bool(photo), "on_behalf": on_behalf},
        note=reason,
        commune=posting.commune,
    )
    return posting


@transaction.atomic
def posting_log_broadcast(
    *, posting: Posting, by, broadcast_on: dt.date, note: str = "", now: dt.datetime | None = None
) -> Broadcast:
    """The radio operator logs one day of broadcasting (one row per day; a repeat of the same day is refused)."""
    now = now or timezone.now()
    _require(by, "publicity.log_broadcast", posting)
    posting = _lock_posting(posting)
    if posting.kind != Posting.Kind.RADIO:
        raise ValidationError("Chỉ ghi nhật ký phát thanh cho việc phát trên Đài truyền thanh.")
    if broadcast_on > _today(now):
        raise ValidationError({"broadcast_on": "Không ghi trước ngày phát."})
    if broadcast_on < posting.trigger_on:
        raise ValidationError(
            {"broadcast_on": f"Ngày phát không được trước ngày ban hành ({fmt(posting.trigger_on)})."}
        )
    entry = Broadcast(
        posting=posting,
        commune_id=posting.commune_id,
        broadcast_on=broadcast_on,
        note=" ".join((note or "").split())[:200],
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
        action="posting.broadcast",
        obj=posting,
        now=now,
        changes={"broadcast_on": broadcast_on},
        commune=posting.commune,
    )
    return entry


@transaction.atomic
def posting_take_down(
    *, posting: Posting, by, removed_on: dt.date, reason: str = "", now: dt.datetime | None = None
) -> Posting:
    """Record that a notice was taken down; before the minimum duration a reason is required (it is shown)."""
    now = now or timezone.now()
    _require(by, "publicity.confirm_posting", posting)
    posting = _lock_posting(posting)
    reason = " ".join((reason or "").split())[:300]
    if posting.kind not in (Posting.Kind.OFFICE, Posting.Kind.VILLAGE_HOUSE, Posting.Kind.PORTAL):
        raise ValidationError("Chỉ ghi việc gỡ với niêm yết và đăng trên cổng thông tin.")
    if posting.posted_on is None:
        raise ValidationError("Chưa niêm yết nên không có gì để gỡ.")
    if posting.removed_on is not None:
        raise ValidationError(f"Đã ghi gỡ ngày {fmt(posting.removed_on)}.")
    if removed_on > _today(now):
        raise ValidationError({"removed_on": "Ngày gỡ không được sau ngày hôm nay."})
    if removed_on < posting.posted_on:
        raise ValidationError({"removed_on": "Ngày gỡ không được trước ngày niêm yết."})
    info = posting_state(posting, removed_on)
    early = posting.min_rule_code and (
        info.get("permanent") or (info.get("keep_until") and removed_on < info["keep_until"])
    )
    if early and not reason:
        raise ValidationError({"reason": "Gỡ trước thời hạn công khai tối thiểu phải ghi lý do."})
    posting.removed_on = removed_on
    posting.removed_reason = reason
    posting.removed_by = by if getattr(by, "is_authenticated", False) else None
    posting.save(update_fields=["removed_on", "removed_reason", "removed_by"])
    audit_record(
        actor=by,
        action="posting.take_down",
        obj=posting,
        now=now,
        changes={"removed_on": removed_on, "early": bool(early)},
        note=reason,
        commune=posting.commune,
    )
    return posting


def publication_problems(publication: Publication, *, today: dt.date | None = None) -> list[str]:
    """What stops the publication from being marked publicized, each naming its article (Vietnamese)."""
    today = today or timezone.localdate()
    postings = list(
        Posting.objects.filter(publication=publication)
        .select_related("village")
        .prefetch_related("broadcasts")
        .order_by("kind", "village__name")
    )
    problems = []
    pending = [p for p in postings if p.posted_on is None]
    if pending:
        names = ", ".join(str(p) for p in pending[:5]) + ("…" if len(pending) > 5 else "")
        articles = sorted({p.legal_basis for p in pending if p.legal_basis})
        problems.append(
            f"Còn {len(pending)} việc công khai chưa được xác nhận ({'; '.join(articles)} {LAW}): {names}."
        )
    for p in postings:
        if p.posted_on is None:
            continue
        info = posting_state(p, today, [b.broadcast_on for b in p.broadcasts.all()])
        if p.kind == Posting.Kind.RADIO and not info.get("duration_ok"):
            problems.append(
                f"Đài truyền thanh mới phát liên tục {info.get('run', 0)} ngày; phải phát ít nhất "
                f"{info['min_days']} ngày liên tục ({p.legal_basis or 'Điều 13 khoản 3'} {LAW})."
            )
        elif info.get("removed_early"):
            problems.append(
                f"{p} đã gỡ ngày {fmt(p.removed_on)}, trước thời hạn công khai tối thiểu "
                f"({p.legal_basis or 'Điều 13 khoản 2'} {LAW})."
            )
    return problems


@transaction.atomic
def publication_mark_publicized(
    *, publication: Publication, by, now: dt.datetime | None = None
) -> Publication:
    """Record that every required act of publicizing was done; refused, naming the article, while one is not."""
    now = now or timezone.now()
    _require(by, "publicity.change_publication", publication)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.status != Publication.Status.ACTIVE:
        raise ValidationError(f"Nội dung đang ở trạng thái “{publication.get_status_display()}”.")
    problems = publication_problems(publication, today=_today(now))
    if problems:
        raise ValidationError(problems)
    last = (
        Posting.objects.filter(publication=publication)
        .order_by("-posted_on")
        .values_list("posted_on", flat=True)
        .first()
    )
    publication.status = Publication.Status.PUBLICIZED
    publication.publicized_on = last
    publication.publicized_by = by if getattr(by, "is_authenticated", False) else None
    publication.updated_at = now
    publication.save(update_fields=["status", "publicized_on", "publicized_by", "updated_at"])
    audit_record(
        actor=by,
        action="publication.publicized",
        obj=publication,
        now=now,
        changes={"status": [Publication.Status.ACTIVE, publication.status], "publicized_on": last},
    )
    return publication


@transaction.atomic
def publication_attach_document(
    *, publication: Publication, document, by, now: dt.datetime | None = None
) -> Publication:
    """Attach the issued document a publication publicizes (it was publicized while the document was a draft): the
    register then links its PDF. Only an issued document of the same commune; a withdrawn publication is left."""
    now = now or timezone.now()
    _require(by, "publicity.change_publication", publication)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.status == Publication.Status.WITHDRAWN:
        raise ValidationError("Nội dung này đã được rút.")
    if document.status != "issued":
        raise ValidationError("Chỉ gắn văn bản đã ban hành vào nội dung công khai.")
    if document.commune_id != publication.commune_id:
        raise ValidationError("Văn bản không thuộc xã của nội dung công khai.")
    old = publication.document_id
    publication.document = document
    publication.updated_at = now
    publication.save(update_fields=["document", "updated_at"])
    audit_record(
        actor=by,
        action="publication.document_attached",
        obj=publication,
        now=now,
        changes={"document": [old, document.pk]},
        note=document.number_line(),
    )
    return publication


@transaction.atomic
def publication_withdraw(
    *, publication: Publication, by, reason: str, now: dt.datetime | None = None
) -> Publication:
    """Withdraw a publication (published by mistake, replaced): kept, shown as withdrawn, its deadlines waived."""
    now = now or timezone.now()
    _require(by, "publicity.change_publication", publication)
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise ValidationError({"reason": "Phải ghi lý do rút nội dung công khai."})
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.status == Publication.Status.WITHDRAWN:
        raise ValidationError("Nội dung này đã được rút.")
    old = publication.status
    publication.status = Publication.Status.WITHDRAWN
    publication.withdrawn_reason = reason
    publication.withdrawn_at = now
    publication.updated_at = now
    publication.save(update_fields=["status", "withdrawn_reason", "withdrawn_at", "updated_at"])
    for posting in publication.postings.all():
        deadline_cancel_for(subject=posting, reason=f"Rút nội dung công khai: {reason}", by=by, now=now)
    audit_record(
        actor=by,
        action="publication.withdrawn",
        obj=publication,
        now=now,
        changes={"status": [old, publication.status]},
        note=reason,
    )
    return publication


__all__ = [
    "active_villages",
    "publication_attach_document",
    "longest_run",
    "photo_clean",
    "posting_confirm",
    "posting_log_broadcast",
    "posting_take_down",
    "publication_create",
    "publication_mark_publicized",
    "publication_problems",
    "publication_withdraw",
    "required_forms",
]
