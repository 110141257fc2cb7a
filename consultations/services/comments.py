"""Comments from every channel, and what staff, MTTQ and Công đoàn do with them."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from consultations.models import (
    COMMENT_MAX_CHARS,
    RESULT_STATUSES,
    Article,
    Channel,
    Comment,
    Consultation,
    Meeting,
    OrganizationSummary,
    Topic,
)
from consultations.tracking import KIND
from portal import intake, statutes
from portal import text as txt
from portal.audit import audit_record
from portal.deadlines import deadline_meet
from portal.forms import TEXT_MAX, check_date, check_int, check_length
from portal.models import Membership, Organization, Role
from portal.notifications import notify

from ._base import (
    LAW,
    counts_changed,
    counts_changed_window,
    fmt,
    public_changed,
    require_perm,
    staff_changed,
    today_of,
)
from .tally import comment_keys, tally_change

MAX_COMMENT_CHARS = COMMENT_MAX_CHARS  # consultations/models.py
# Sanity bounds (not law): a commune holds at most a few dozen meetings in one consultation; people attending.
SUMMARY_MAX_MEETINGS = 1000
SUMMARY_MAX_PARTICIPANTS = 1_000_000
MEETING_MAX_ATTENDEES = 100_000
STAFF_CHANNELS = [c for c in Channel.values if c != Channel.ONLINE]


def _closed_message(consultation: Consultation) -> str:
    return (
        f"Đã hết thời gian lấy ý kiến (từ {fmt(consultation.opens_on)} đến hết {fmt(consultation.closes_on)}); "
        "hệ thống không nhận thêm ý kiến."
    )


def _check_window(consultation: Consultation, when: dt.datetime) -> None:
    if not consultation.accepts_comments_at(when):
        start, _ = consultation.window_bounds()
        if consultation.status in (Consultation.Status.PUBLISHED, Consultation.Status.OPEN) and when < start:
            raise ValidationError(f"Chưa đến thời gian lấy ý kiến (bắt đầu từ {fmt(consultation.opens_on)}).")
        raise ValidationError(_closed_message(consultation))


def _check_article(consultation: Consultation, article: Article | None) -> None:
    if article is not None and article.version.consultation_id != consultation.pk:
        raise ValidationError({"article": "Điều khoản không thuộc dự thảo này."})


def _check_village(consultation: Consultation, village) -> None:
    if village is not None and village.parent_id != consultation.commune_id:
        raise ValidationError({"village": "Thôn không thuộc xã này."})


def _build(
    consultation: Consultation,
    *,
    text: str,
    channel: str,
    received_at: dt.datetime,
    now: dt.datetime,
    **fields,
) -> Comment:
    text = txt.clean_text(text)
    if not text:
        raise ValidationError({"text": "Vui lòng nhập nội dung góp ý."})
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError({"text": f"Nội dung góp ý tối đa {MAX_COMMENT_CHARS} ký tự."})
    for key in ("author_name", "contact"):
        fields[key] = txt.clean_text(fields.get(key) or "").replace("\n", " ")[:120]
    return Comment(
        consultation=consultation,
        commune_id=consultation.commune_id,
        text=text,
        text_html=txt.to_html(text),
        text_search=txt.normalize_search(text),
        channel=channel,
        received_at=received_at,
        created_at=now,
        article_position=fields["article"].position if fields.get("article") else None,
        **fields,
    )


def _insert(comment: Comment) -> Comment:
    """Insert with a fresh tracking code (redrawn on the unlikely collision); the public page changes."""
    intake.insert_with_code(comment, kind=KIND)
    tally_change(comment.consultation_id, None, comment_keys(comment), commune_id=comment.commune_id)
    if comment.consultation.status in RESULT_STATUSES:
        public_changed(comment.consultation_id)  # the page lists comments and statistics: rendered again
    else:
        counts_changed(comment.consultation_id)  # the page shows counts only: its slots take the new tally
    return comment


def comment_submit(
    *,
    consultation: Consultation,
    text: str,
    form_token: str,
    article: Article | None = None,
    author_name: str = "",
    village=None,
    contact: str = "",
    origin: intake.Origin | None = None,
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> Comment:
    """A citizen (or a staff member of an agency consultation) comments on the portal, through portal.intake:
    exactly once per form token, under its flood control for ``origin`` (or ``ip`` alone, for scripts)."""
    now = now or timezone.now()
    if origin is None and ip:
        origin = intake.Origin(ip=ip)
    with transaction.atomic():
        # The window is checked on the row as given (the view read it just now), and again at the end on the row as
        # the version bump leaves it: no extra read, and the last check runs under the row lock.
        try:
            _check_window(consultation, now)
        except (
            ValidationError
        ):  # a repeat of a form sent just before the window closed still gets its receipt
            repeat = intake.submitted(Comment, form_token) if form_token else None
            if repeat is not None and repeat.consultation_id == consultation.pk:
                return repeat
            raise
        _check_article(consultation, article)
        _check_village(consultation, village)

        def create() -> Comment:
            comment = _build(
                consultation,
                text=text,
                channel=Channel.ONLINE,
                received_at=now,
                now=now,
                article=article,
                author_name=author_name,
                village=village,
                contact=contact,
            )
            return intake.insert_with_code(comment, kind=KIND, savepoint=False)  # receive() retries

        comment, created = intake.receive(
            model=Comment,
            token=form_token,
            create=create,
            origin=origin,
            subject=consultation,
            text=text,
            now=now,
        )
        if not created and comment.consultation_id != consultation.pk:
            raise ValidationError(intake.INVALID_FORM)
        if created:
            audit_record(
                actor=None,
                action="comment.submit",
                obj=comment,
                now=now,
                changes={"channel": Channel.ONLINE, "article": article.pk if article else None},
            )
            # Last: the statements that lock rows shared by every submission (the counts, the consultation's row),
            # so they are held only until the commit that follows.
            tally_change(consultation.pk, None, comment_keys(comment), commune_id=consultation.commune_id)
            state = counts_changed_window(consultation.pk, consultation)  # before results: counts only
            if state is None:
                raise Consultation.DoesNotExist
            consultation.status, consultation.opens_on, consultation.closes_on = state
            _check_window(consultation, now)  # closed meanwhile: the whole submission is rolled back
    return comment


def comment_record(
    *,
    consultation: Consultation,
    by,
    text: str,
    channel: str,
    received_at: dt.datetime | None = None,
    article: Article | None = None,
    author_name: str = "",
    village=None,
    organization: Organization | None = None,
    contact: str = "",
    meeting: Meeting | None = None,
    form_token: str | None = None,
    now: dt.datetime | None = None,
) -> Comment:
    """Staff (or MTTQ / Công đoàn) record a comment received through another channel, during the window."""
    now = now or timezone.now()
    received_at = received_at or now
    require_perm(by, "consultations.record_comment", consultation)
    if channel not in STAFF_CHANNELS:
        raise ValidationError({"channel": "Hình thức tiếp nhận không hợp lệ."})
    if form_token and (existing := intake.submitted(Comment, form_token)) is not None:
        return existing
    with transaction.atomic():
        consultation = Consultation.objects.get(
            pk=consultation.pk
        )  # fresh status; no lock: comments run in parallel
        if consultation.status not in (
            Consultation.Status.PUBLISHED,
            Consultation.Status.OPEN,
            Consultation.Status.CLOSED,
        ):
            raise ValidationError(_closed_message(consultation))
        if received_at > now:
            raise ValidationError({"received_at": "Thời điểm tiếp nhận không được sau hiện tại."})
        start, end = consultation.window_bounds()
        if not (start <= received_at < end):
            raise ValidationError(
                _closed_message(consultation) + " Chỉ ghi nhận ý kiến nhận được trong thời gian lấy ý kiến."
            )
        _check_article(consultation, article)
        _check_village(consultation, village)
        comment = _build(
            consultation,
            text=text,
            channel=channel,
            received_at=received_at,
            now=now,
            article=article,
            author_name=author_name,
            village=village,
            organization=organization,
            contact=contact,
            meeting=meeting,
            recorded_by=by,
        )
        if form_token:
            comment, created = intake.receive(
                model=Comment, token=form_token, create=lambda: _insert(comment), now=now
            )
            if not created:
                return comment
        else:
            _insert(comment)
        audit_record(actor=by, action="comment.record", obj=comment, now=now, changes={"channel": channel})
    return comment


_ARTICLE_PREFIX = re.compile(r"^\s*(?:Điều|Đ)\s*(\d+[a-z]?)\s*[:.\-–]\s*(.+)$", re.IGNORECASE)


def split_meeting_lines(
    block: str, articles_by_number: dict[str, Article]
) -> list[tuple[Article | None, str]]:
    """One comment per non-empty line; "Điều 3: …" (or "Đ3: …") attaches the line to that article."""
    out = []
    for line in txt.clean_text(block).split("\n"):
        line = line.strip()
        if not line:
            continue
        article = None
        if (m := _ARTICLE_PREFIX.match(line)) and m.group(1).lower() in articles_by_number:
            article, line = articles_by_number[m.group(1).lower()], m.group(2).strip()
        out.append((article, line))
    return out


@transaction.atomic
def meeting_record(
    *,
    consultation: Consultation,
    by,
    title: str,
    held_on: dt.date,
    place: str = "",
    village=None,
    organization: Organization | None = None,
    attendees: int = 0,
    minutes: str = "",
    comments_text: str = "",
    now: dt.datetime | None = None,
) -> tuple[Meeting, list[Comment]]:
    """A hội nghị with its attendance, minutes and the comments raised (one per line), all in one transaction."""
    now = now or timezone.now()
    require_perm(by, "consultations.record_comment", consultation)
    _check_village(consultation, village)
    if held_on > today_of(now):
        raise ValidationError({"held_on": "Ngày hội nghị không được sau ngày hôm nay."})
    check_date(held_on, "Ngày tổ chức")
    check_int(attendees, "Số người tham dự", maximum=MEETING_MAX_ATTENDEES)
    meeting = Meeting(
        consultation=consultation,
        commune_id=consultation.commune_id,
        title=txt.clean_text(title),
        held_on=held_on,
        place=txt.clean_text(place),
        village=village,
        organization=organization,
        attendees=attendees,
        minutes=txt.clean_text(minutes),
        recorded_by=by,
        created_at=now,
    )
    meeting.full_clean()
    meeting.save()
    staff_changed(consultation.pk)  # the MTTQ summary's prefill counts the meetings
    audit_record(
        actor=by,
        action="meeting.record",
        obj=meeting,
        now=now,
        commune=consultation.commune,
        changes={"held_on": held_on, "attendees": attendees},
    )
    version = consultation.versions.order_by("-number").first()
    numbers = (
        {a.number.lower(): a for a in version.articles.filter(kind=Article.Kind.ARTICLE)} if version else {}
    )
    tz = timezone.get_current_timezone()
    received_at = min(dt.datetime.combine(held_on, dt.time(12, 0), tzinfo=tz), now)
    comments = []
    for article, line in split_meeting_lines(comments_text, numbers):
        comments.append(
            comment_record(
                consultation=consultation,
                by=by,
                text=line,
                channel=Channel.MEETING,
                received_at=received_at,
                article=article,
                village=village,
                organization=organization,
                meeting=meeting,
                now=now,
            )
        )
    return meeting, comments


def _lock_comment(comment: Comment) -> Comment:
    return Comment.objects.select_for_update().select_related("consultation").get(pk=comment.pk)


ANSWERABLE = (Consultation.Status.OPEN, Consultation.Status.CLOSED, Consultation.Status.SYNTHESIS)


@transaction.atomic
def comment_answer(
    *,
    comment: Comment,
    by,
    kind: str,
    text: str,
    changed_article: Article | None = None,
    now: dt.datetime | None = None,
) -> Comment:
    """Tiếp thu / tiếp thu một phần / giải trình (with reasons) / chuyển cơ quan có thẩm quyền."""
    now = now or timezone.now()
    require_perm(by, "consultations.answer_comment", comment)
    comment = _lock_comment(comment)
    if comment.consultation.status not in ANSWERABLE:
        raise ValidationError(
            "Chỉ trả lời ý kiến khi đang lấy ý kiến hoặc đang tổng hợp; kết quả đã công khai."
        )
    if comment.merged_into_id:
        raise ValidationError("Ý kiến này đã được gộp vào ý kiến khác; hãy trả lời ý kiến chính.")
    if kind not in Comment.Answer.values:
        raise ValidationError({"answer_kind": "Chọn hình thức trả lời."})
    text = txt.clean_text(text)
    if kind in (Comment.Answer.EXPLAINED, Comment.Answer.PARTLY, Comment.Answer.FORWARDED) and not text:
        raise ValidationError({"answer_text": "Phải nêu rõ lý do giải trình hoặc nơi chuyển ý kiến."})
    if changed_article is not None:
        if changed_article.version.consultation_id != comment.consultation_id:
            raise ValidationError({"changed_article": "Điều khoản không thuộc dự thảo này."})
        if kind not in (Comment.Answer.ACCEPTED, Comment.Answer.PARTLY):
            raise ValidationError(
                {"changed_article": "Chỉ ý kiến được tiếp thu mới gắn với điều khoản đã sửa."}
            )
    old = [comment.status, comment.answer_kind, comment.answer_text]
    before = comment_keys(comment)
    comment.status = Comment.Status.ANSWERED
    comment.answer_kind = kind
    comment.answer_text = text
    comment.answer_html = txt.to_html(text)
    comment.answered_by = by
    comment.answered_at = now
    comment.changed_article = changed_article
    comment.full_clean(exclude=["text_html", "text_search"])
    comment.save(
        update_fields=[
            "status",
            "answer_kind",
            "answer_text",
            "answer_html",
            "answered_by",
            "answered_at",
            "changed_article",
        ]
    )
    tally_change(comment.consultation_id, before, comment_keys(comment), commune_id=comment.commune_id)
    # Duplicates share the main comment's answer so each person who wrote it can read it by their code.
    comment.duplicates.update(
        answer_kind=kind, answer_text=text, answer_html=comment.answer_html, answered_by=by, answered_at=now
    )
    public_changed(comment.consultation_id)
    audit_record(
        actor=by,
        action="comment.answer",
        obj=comment,
        now=now,
        changes={"answer": [old, [comment.status, kind, text]]},
    )
    return comment


@transaction.atomic
def comment_assign(*, comment: Comment, by, assignee, now: dt.datetime | None = None) -> Comment:
    require_perm(by, "consultations.answer_comment", comment)
    comment = _lock_comment(comment)
    if assignee is not None and not assignee.has_perm("consultations.answer_comment", comment):
        raise ValidationError({"assignee": "Người được giao phải là cán bộ của xã."})
    old = comment.assignee_id
    comment.assignee = assignee
    if comment.status == Comment.Status.RECEIVED and assignee is not None:
        comment.status = Comment.Status.ASSIGNED
    comment.save(update_fields=["assignee", "status"])
    staff_changed(comment.consultation_id)
    audit_record(
        actor=by,
        action="comment.assign",
        obj=comment,
        now=now,
        changes={"assignee": [old, assignee.pk if assignee else None]},
    )
    return comment


@transaction.atomic
def comment_tag(
    *,
    comment: Comment,
    by,
    article: Article | None = None,
    topics: list[str] = (),
    now: dt.datetime | None = None,
) -> Comment:
    require_perm(by, "consultations.answer_comment", comment)
    comment = _lock_comment(comment)
    _check_article(comment.consultation, article)
    names = sorted({txt.clean_text(t)[:100] for t in topics if txt.clean_text(t)})
    topic_rows = [
        Topic.objects.get_or_create(consultation_id=comment.consultation_id, name=n)[0] for n in names
    ]
    old = [comment.article_id, sorted(comment.topics.values_list("name", flat=True))]
    before = comment_keys(comment)
    comment.article = article
    comment.article_position = article.position if article else None
    comment.save(update_fields=["article", "article_position"])
    tally_change(comment.consultation_id, before, comment_keys(comment), commune_id=comment.commune_id)
    comment.topics.set(topic_rows)
    public_changed(comment.consultation_id)
    audit_record(
        actor=by,
        action="comment.tag",
        obj=comment,
        now=now,
        changes={"tags": [old, [article.pk if article else None, names]]},
    )
    return comment


@transaction.atomic
def comment_merge(*, comment: Comment, into: Comment, by, now: dt.datetime | None = None) -> Comment:
    """Mark ``comment`` as a duplicate of ``into``; it is kept, counted, and shares the main comment's answer."""
    require_perm(by, "consultations.answer_comment", comment)
    comment = _lock_comment(comment)
    into = _lock_comment(into)
    if into.consultation_id != comment.consultation_id or into.pk == comment.pk:
        raise ValidationError("Chỉ gộp hai ý kiến khác nhau của cùng một cuộc lấy ý kiến.")
    if into.merged_into_id:
        raise ValidationError("Ý kiến chính đã được gộp vào ý kiến khác; hãy chọn ý kiến gốc.")
    if comment.consultation.status not in ANSWERABLE:
        raise ValidationError("Kết quả đã công khai, không thể gộp ý kiến.")
    old = comment.status
    before = comment_keys(comment)
    moved, before_merged_into = comment.duplicate_count, comment.merged_into_id
    comment.merged_into = into
    comment.status = Comment.Status.MERGED
    comment.answer_kind, comment.answer_text, comment.answer_html = (
        into.answer_kind,
        into.answer_text,
        into.answer_html,
    )
    comment.answered_by, comment.answered_at = into.answered_by, into.answered_at
    comment.duplicate_count = 0
    comment.save(
        update_fields=[
            "merged_into",
            "status",
            "answer_kind",
            "answer_text",
            "answer_html",
            "answered_by",
            "answered_at",
            "duplicate_count",
        ]
    )
    comment.duplicates.update(merged_into=into)
    tally_change(comment.consultation_id, before, comment_keys(comment), commune_id=comment.commune_id)
    if previous := before_merged_into:  # merged a second time: the first main comment loses it
        Comment.objects.filter(pk=previous).update(duplicate_count=F("duplicate_count") - 1)
    # The comment and the duplicates it carried now point at ``into``.
    Comment.objects.filter(pk=into.pk).update(duplicate_count=F("duplicate_count") + 1 + moved)
    public_changed(comment.consultation_id)
    audit_record(
        actor=by,
        action="comment.merge",
        obj=comment,
        now=now,
        changes={"status": [old, comment.status], "merged_into": into.tracking_code},
    )
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, by, reason: str, now: dt.datetime | None = None) -> Comment:
    """Moderation: hide from the public page with a reason (kept, visible to staff, MTTQ and Công đoàn)."""
    now = now or timezone.now()
    require_perm(by, "consultations.moderate_comment", comment)
    reason = txt.clean_text(reason).replace("\n", " ")[:300]
    if not reason:
        raise ValidationError({"hidden_reason": "Phải ghi lý do ẩn ý kiến."})
    comment = _lock_comment(comment)
    before = comment_keys(comment)
    comment.hidden, comment.hidden_reason, comment.hidden_by, comment.hidden_at = True, reason, by, now
    comment.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    tally_change(comment.consultation_id, before, comment_keys(comment), commune_id=comment.commune_id)
    public_changed(comment.consultation_id)
    audit_record(actor=by, action="comment.hide", obj=comment, now=now, note=reason)
    return comment


@transaction.atomic
def comment_unhide(*, comment: Comment, by, now: dt.datetime | None = None) -> Comment:
    require_perm(by, "consultations.moderate_comment", comment)
    comment = _lock_comment(comment)
    reason = comment.hidden_reason
    before = comment_keys(comment)
    comment.hidden, comment.hidden_reason = False, ""
    comment.save(update_fields=["hidden", "hidden_reason"])
    tally_change(comment.consultation_id, before, comment_keys(comment), commune_id=comment.commune_id)
    public_changed(comment.consultation_id)
    audit_record(actor=by, action="comment.unhide", obj=comment, now=now, note=f"Lý do ẩn trước đó: {reason}")
    return comment


@transaction.atomic
def comment_flag(*, comment: Comment, by, note: str = "", now: dt.datetime | None = None) -> Comment:
    """MTTQ / Công đoàn flag a comment left unanswered (supervision, Điều 28 khoản 6)."""
    now = now or timezone.now()
    require_perm(by, "consultations.flag_comment", comment)
    comment = _lock_comment(comment)
    if comment.status == Comment.Status.ANSWERED:
        raise ValidationError("Ý kiến này đã được trả lời.")
    comment.flagged_at, comment.flagged_by = now, by
    comment.flag_note = txt.clean_text(note).replace("\n", " ")[:300]
    comment.save(update_fields=["flagged_at", "flagged_by", "flag_note"])
    staff_changed(comment.consultation_id)
    audit_record(actor=by, action="comment.flag", obj=comment, now=now, note=comment.flag_note)
    return comment


def reviewer_organization(consultation: Consultation) -> Organization | None:
    kind = Organization.Kind.FATHERLAND_FRONT if consultation.is_people else Organization.Kind.TRADE_UNION
    return Organization.objects.filter(unit_id=consultation.commune_id, kind=kind).order_by("id").first()


@transaction.atomic
def summary_save(
    *,
    consultation: Consultation,
    by,
    text: str,
    meetings_held: int = 0,
    participants: int = 0,
    now: dt.datetime | None = None,
) -> OrganizationSummary:
    now = now or timezone.now()
    require_perm(by, "consultations.submit_summary", consultation)
    if consultation.status in (Consultation.Status.DRAFT,):
        raise ValidationError("Chưa công bố lấy ý kiến.")
    organization = reviewer_organization(consultation)
    if organization is None:
        raise ValidationError("Xã chưa khai báo tổ chức Ủy ban MTTQ / Công đoàn cơ sở.")
    summary, _ = OrganizationSummary.objects.select_for_update().get_or_create(
        consultation=consultation,
        organization=organization,
        defaults={"commune_id": consultation.commune_id, "updated_by": by, "updated_at": now},
    )
    if summary.submitted_at:
        raise ValidationError("Báo cáo tổng hợp đã gửi UBND xã, không sửa được nữa.")
    check_int(meetings_held, "Số hội nghị đã tổ chức", maximum=SUMMARY_MAX_MEETINGS)
    check_int(participants, "Số lượt người tham gia", maximum=SUMMARY_MAX_PARTICIPANTS)
    check_length(text, TEXT_MAX, "Nội dung tổng hợp")
    summary.text, summary.meetings_held, summary.participants = (
        txt.clean_text(text),
        meetings_held,
        participants,
    )
    summary.updated_by, summary.updated_at = by, now
    summary.save()
    staff_changed(consultation.pk)  # the review page's summary section is cached per staff_version
    audit_record(actor=by, action="summary.save", obj=summary, now=now, commune=consultation.commune)
    return summary


@transaction.atomic
def summary_submit(
    *, summary: OrganizationSummary, by, now: dt.datetime | None = None
) -> OrganizationSummary:
    now = now or timezone.now()
    require_perm(by, "consultations.submit_summary", summary.consultation)
    summary = (
        OrganizationSummary.objects.select_for_update().select_related("consultation").get(pk=summary.pk)
    )
    if summary.submitted_at:
        raise ValidationError("Báo cáo tổng hợp đã được gửi.")
    if not summary.text.strip():
        raise ValidationError("Báo cáo tổng hợp chưa có nội dung.")
    summary.submitted_at, summary.submitted_by = now, by
    summary.save(update_fields=["submitted_at", "submitted_by"])
    staff_changed(summary.consultation_id)
    late = summary.consultation.summary_due_on and today_of(now) > summary.consultation.summary_due_on
    deadline_meet(
        subject=summary.consultation, rule_code=statutes.CONSULTATION_ORG_SUMMARY.code, by=by, now=now
    )
    audit_record(
        actor=by,
        action="summary.submit",
        obj=summary,
        now=now,
        commune=summary.consultation.commune,
        changes={"late": bool(late)},
        note=f"Hạn theo kế hoạch: {fmt(summary.consultation.summary_due_on)} ({LAW}, Điều 28 khoản 6)",
    )
    _tell_staff_summary_received(summary, now=now)
    return summary


def _tell_staff_summary_received(summary: OrganizationSummary, *, now: dt.datetime) -> None:
    """After the commit: the commune office learns that MTTQ (or the union) has sent its summary."""
    consultation = summary.consultation
    ids = (summary.pk, consultation.pk, consultation.commune_id)
    title = f"{summary.organization.short_name or summary.organization.name} đã gửi báo cáo tổng hợp ý kiến: "
    title += consultation.title

    def send() -> None:
        summary_id, consultation_id, commune_id = ids
        staff = [
            m.user
            for m in Membership.objects.filter(
                commune_id=commune_id, role__in=[Role.STAFF, Role.LEADER], active=True
            ).select_related("user")
        ]
        notify(
            recipients=staff,
            title=title[:300],
            body="Xem bản tổng hợp và tiếp thu, giải trình các ý kiến.",
            url=reverse("consultations:review", args=[consultation_id]),
            key=f"consultation:{consultation_id}:summary:{summary_id}",
            topic="consultation",
            now=now,
        )

    transaction.on_commit(send)
