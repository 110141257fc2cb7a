import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from PIL import Image

from consultations import services, tasks
from consultations.models import (
    Audience,
    Channel,
    Comment,
    Consultation,
    ImportBatch,
    OrganizationSummary,
    PublicityPhase,
)
from consultations.selectors import compliance_matrix, postings_of, results_statistics
from consultations.text import parse_draft
from portal.audit import audit_for
from portal.models import Deadline
from portal.publicity.models import Posting
from portal.text import normalize_search
from tests.consultations.factories import (
    PLAN_ISSUED,
    PUBLICIZED,
    at,
    issue_decision,
    issue_report,
    make_consultation,
    make_published,
    submit,
)

pytestmark = pytest.mark.django_db
S = Consultation.Status


def _issue(c, by):
    return services.consultation_issue_plan(
        consultation=c,
        by=by,
        issued_on=PLAN_ISSUED,
        sent_hdnd_on=PLAN_ISSUED,
        sent_mttq_on=PLAN_ISSUED,
        now=at(2024, 2, 27),
    )


# --- Publishing: Điều 28 ------------------------------------------------------------------------------------------


def test_19_day_window_is_refused_naming_the_rule(commune, village, staff):
    c = make_consultation(commune, staff, closes_on=PUBLICIZED + dt.timedelta(days=19))
    # The plan that states this window is not issued (Điều 28 khoản 2) …
    with pytest.raises(ValidationError) as exc:
        _issue(c, staff)
    message = " ".join(exc.value.messages)
    assert "Điều 28 khoản 2 Luật 10/2022/QH15" in message
    assert "20/03/2024" in message
    c.refresh_from_db()
    assert c.plan_issued_on is None
    # … so the consultation cannot be publicized either.
    with pytest.raises(ValidationError, match="Chưa ban hành kế hoạch"):
        services.consultation_publish(consultation=c, by=staff, publicized_on=PUBLICIZED, now=at(2024, 2, 29))
    c.refresh_from_db()
    assert c.status == S.DRAFT
    assert not postings_of(c).exists()


def test_20_day_window_publishes_and_opens(commune, village, staff):
    c = _issue(make_consultation(commune, staff, closes_on=PUBLICIZED + dt.timedelta(days=20)), staff)
    c = services.consultation_publish(consultation=c, by=staff, publicized_on=PUBLICIZED, now=at(2024, 2, 29))
    assert c.status == S.OPEN
    assert c.publicized_on == PUBLICIZED


def test_window_end_moves_to_next_working_day(commune, village, staff):
    # Publicized Friday 01/03/2024: +20 days is Thursday 21/03; publicized Monday 04/03 → Sunday 24/03 → Monday 25/03.
    assert services.min_closes_on(dt.date(2024, 3, 4)) == dt.date(2024, 3, 25)
    c = make_consultation(commune, staff, opens_on=dt.date(2024, 3, 4), closes_on=dt.date(2024, 3, 24))
    with pytest.raises(ValidationError, match="25/03/2024"):
        _issue(c, staff)
    services.consultation_update(consultation=c, by=staff, closes_on=dt.date(2024, 3, 25))
    _issue(c, staff)
    c = services.consultation_publish(
        consultation=c, by=staff, publicized_on=dt.date(2024, 3, 4), now=at(2024, 3, 4)
    )
    assert c.closes_on == dt.date(2024, 3, 25)


def test_plan_must_be_sent_to_hdnd_and_mttq(commune, village, staff):
    c = make_consultation(commune, staff)
    services.consultation_issue_plan(
        consultation=c, by=staff, issued_on=PLAN_ISSUED, sent_hdnd_on=PLAN_ISSUED, now=at(2024, 2, 27)
    )
    with pytest.raises(ValidationError, match="Ủy ban MTTQ xã .*Điều 28 khoản 1"):
        services.consultation_publish(consultation=c, by=staff, publicized_on=PUBLICIZED, now=at(2024, 2, 29))


def test_plan_not_issued_is_refused(commune, staff):
    c = make_consultation(commune, staff)
    with pytest.raises(ValidationError, match="Chưa ban hành kế hoạch"):
        services.consultation_publish(consultation=c, by=staff, publicized_on=PUBLICIZED, now=at(2024, 2, 29))


def test_staff_consultation_has_no_20_day_minimum(commune, staff):
    c = make_consultation(
        commune,
        staff,
        audience=Audience.STAFF,
        closes_on=PUBLICIZED + dt.timedelta(days=5),
        summary_due_on=PUBLICIZED + dt.timedelta(days=6),
    )
    services.consultation_issue_plan(
        consultation=c, by=staff, issued_on=PLAN_ISSUED, sent_union_on=PLAN_ISSUED, now=at(2024, 2, 27)
    )
    c = services.consultation_publish(consultation=c, by=staff, publicized_on=PUBLICIZED, now=at(2024, 2, 29))
    assert c.status == S.OPEN
    kinds = set(postings_of(c).values_list("kind", flat=True))
    assert kinds == {Posting.Kind.OFFICE, Posting.Kind.PORTAL}


def test_mttq_and_village_head_cannot_publish(commune, village, staff, mttq, village_head):
    c = _issue(make_consultation(commune, staff), staff)
    for user in (mttq, village_head):
        with pytest.raises(PermissionDenied):
            services.consultation_publish(
                consultation=c, by=user, publicized_on=PUBLICIZED, now=at(2024, 2, 29)
            )


def test_publish_before_window_starts_is_published_then_sweep_opens(commune, village, staff):
    c = make_consultation(commune, staff, opens_on=dt.date(2024, 3, 1), closes_on=dt.date(2024, 3, 21))
    _issue(c, staff)
    c = services.consultation_publish(consultation=c, by=staff, publicized_on=PUBLICIZED, now=at(2024, 2, 29))
    assert c.status == S.PUBLISHED
    assert tasks.sweep_windows(now=at(2024, 2, 29, 23, 59)) == {"opened": 0, "closed": 0}
    assert tasks.sweep_windows(now=at(2024, 3, 1, 0, 1)) == {"opened": 1, "closed": 0}
    c.refresh_from_db()
    assert c.status == S.OPEN


# --- The window on the time axis ----------------------------------------------------------------------------------


def test_comment_window_just_before_on_and_after(commune, village, staff):
    c = make_published(commune, staff)
    assert submit(c, now=at(2024, 3, 20, 23, 59)).pk  # last minute of the last day
    with pytest.raises(ValidationError, match="Đã hết thời gian lấy ý kiến"):
        submit(c, now=at(2024, 3, 21, 0, 0))
    with pytest.raises(ValidationError, match="Chưa đến thời gian"):
        submit(c, now=at(2024, 2, 28, 23, 59))


def test_sweep_closes_after_the_last_day_idempotently(commune, village, staff):
    c = make_published(commune, staff)
    assert tasks.sweep_windows(now=at(2024, 3, 20, 23, 59)) == {"opened": 0, "closed": 0}
    assert tasks.sweep_windows(now=at(2024, 3, 21, 0, 5)) == {"opened": 0, "closed": 1}
    assert tasks.sweep_windows(now=at(2024, 3, 21, 0, 10)) == {"opened": 0, "closed": 0}
    c.refresh_from_db()
    assert c.status == S.CLOSED
    with pytest.raises(ValidationError):
        submit(c, now=at(2024, 3, 20, 12))  # even with a time inside the window: the status is closed


def test_close_refused_during_window(commune, village, staff):
    c = make_published(commune, staff)
    with pytest.raises(ValidationError, match="Chưa hết thời gian"):
        services.consultation_close(consultation=c, by=staff, now=at(2024, 3, 20, 18))


def test_double_submit_makes_one_comment(commune, village, staff):
    c = make_published(commune, staff)
    a = submit(c, token="tok-1")
    b = submit(c, token="tok-1", text="khác")
    assert a.pk == b.pk
    assert Comment.objects.filter(consultation=c).count() == 1


def test_a_comment_racing_the_close_is_rolled_back_whole(commune, village, staff):
    """The view read the consultation open; it closed before the submission's commit: the last check, on the row the
    version bump returns, refuses it and nothing of it stays (comment, token, counts, flood counters, audit)."""
    from consultations.models import CommentTally
    from portal.intake.models import FloodCounter, FormToken
    from portal.models import AuditEvent

    c = make_published(commune, staff)
    submit(c, ip="10.0.0.9")
    before = (
        set(CommentTally.objects.values_list("key", "n")),
        set(FloodCounter.objects.values_list("key", "n")),
        FormToken.objects.count(),
        AuditEvent.objects.count(),
        Consultation.objects.get(pk=c.pk).public_version,
    )
    stale = Consultation.objects.get(pk=c.pk)
    Consultation.objects.filter(pk=c.pk).update(
        status=S.CLOSED
    )  # a close committed by someone else meanwhile
    with pytest.raises(ValidationError, match="Đã hết thời gian lấy ý kiến"):
        submit(stale, token="late-1", ip="10.0.0.9")
    assert Comment.objects.filter(consultation=c).count() == 1
    assert before == (
        set(CommentTally.objects.values_list("key", "n")),
        set(FloodCounter.objects.values_list("key", "n")),
        FormToken.objects.count(),
        AuditEvent.objects.count(),
        Consultation.objects.get(pk=c.pk).public_version,
    )


def test_a_tracking_code_collision_draws_a_new_code(commune, village, staff, monkeypatch):
    from portal.intake import tokens

    c = make_published(commune, staff)
    first = submit(c)
    codes = iter([first.tracking_code, "ACDE-FGHJ"])
    monkeypatch.setattr(tokens, "new_code", lambda kind: next(codes))
    second = submit(c, token="collides-once")
    assert second.tracking_code == "ACDE-FGHJ"
    assert Comment.objects.filter(consultation=c).count() == 2
    from consultations.models import CommentTally

    assert CommentTally.objects.get(consultation=c, key="all").n == 2


def test_comment_text_is_escaped_and_normalized_once(commune, village, staff):
    c = make_published(commune, staff)
    cm = submit(c, text="<script>alert(1)</script> Đường làng ĐÊ", village=village)
    assert "<script>" not in cm.text_html and "&lt;script&gt;" in cm.text_html
    assert "duong lang de" in cm.text_search
    assert len(cm.tracking_code) == 9 and cm.tracking_code[4] == "-"


def test_rate_limit_per_ip(commune, village, staff, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PORTAL_INTAKE_LIMITS = {"address": (3, 600)}
    c = make_published(commune, staff)
    for _ in range(3):
        submit(c, ip="10.0.0.1")
    with pytest.raises(services.RateLimited):
        submit(c, ip="10.0.0.1")
    submit(c, ip="10.0.0.2")
    cache.clear()


def test_staff_record_only_within_window_even_after_close(commune, village, staff):
    c = make_published(commune, staff)
    tasks.sweep_windows(now=at(2024, 3, 21, 1))
    ok = services.comment_record(
        consultation=c,
        by=staff,
        text="Phiếu góp ý nhận ngày 20/3",
        channel=Channel.PAPER,
        received_at=at(2024, 3, 20, 16),
        now=at(2024, 3, 21, 8),
    )
    assert ok.recorded_by == staff
    with pytest.raises(ValidationError, match="trong thời gian lấy ý kiến"):
        services.comment_record(
            consultation=c,
            by=staff,
            text="Nhận muộn",
            channel=Channel.PAPER,
            received_at=at(2024, 3, 21, 8),
            now=at(2024, 3, 21, 9),
        )


def test_meeting_records_many_comments_with_article_prefix(commune, village, staff, mttq):
    c = make_published(commune, staff)
    meeting, comments = services.meeting_record(
        consultation=c,
        by=mttq,
        title="Hội nghị lấy ý kiến thôn Đồng Tâm",
        held_on=dt.date(2024, 3, 8),
        village=village,
        attendees=57,
        minutes="Đại diện 57 hộ dự.",
        comments_text="Điều 2: thêm nguyên tắc lắng nghe\n\nĐề nghị niêm yết cả ở chợ\nĐ3: công khai trên Zalo thôn",
        now=at(2024, 3, 8, 20),
    )
    assert len(comments) == 3
    assert [x.article.number if x.article else None for x in comments] == ["2", None, "3"]
    assert comments[0].text == "thêm nguyên tắc lắng nghe"
    assert all(
        x.meeting == meeting and x.channel == Channel.MEETING and x.village == village for x in comments
    )


# --- Answering, moderation, MTTQ ----------------------------------------------------------------------------------


def test_answer_kinds_and_reasons(commune, village, staff, mttq):
    c = make_published(commune, staff)
    cm = submit(c)
    with pytest.raises(ValidationError):
        services.comment_answer(
            comment=cm, by=staff, kind=Comment.Answer.EXPLAINED, text="", now=at(2024, 3, 22)
        )
    with pytest.raises(PermissionDenied):
        services.comment_answer(
            comment=cm, by=mttq, kind=Comment.Answer.ACCEPTED, text="", now=at(2024, 3, 22)
        )
    cm = services.comment_answer(
        comment=cm, by=staff, kind=Comment.Answer.EXPLAINED, text="Đã có ở Điều 3.", now=at(2024, 3, 22)
    )
    assert cm.status == Comment.Status.ANSWERED and cm.answered_by == staff


def test_merge_keeps_duplicates_and_shares_the_answer(commune, village, staff):
    c = make_published(commune, staff)
    main, dup = submit(c, text="Niêm yết ở chợ"), submit(c, text="Niêm yết tại chợ xã")
    services.comment_merge(comment=dup, into=main, by=staff)
    services.comment_answer(comment=main, by=staff, kind=Comment.Answer.ACCEPTED, text="Tiếp thu.")
    dup.refresh_from_db()
    assert dup.status == Comment.Status.MERGED and dup.answer_kind == Comment.Answer.ACCEPTED
    assert Comment.objects.filter(consultation=c).count() == 2


def test_hide_is_moderation_not_deletion(commune, village, staff, mttq):
    c = make_published(commune, staff)
    cm = submit(c, text="Nội dung không phù hợp")
    with pytest.raises(ValidationError):
        services.comment_hide(comment=cm, by=staff, reason="  ")
    with pytest.raises(PermissionDenied):
        services.comment_hide(comment=cm, by=mttq, reason="spam")
    services.comment_hide(comment=cm, by=staff, reason="Quảng cáo")
    cm.refresh_from_db()
    assert cm.hidden and cm.hidden_by == staff and cm.hidden_reason == "Quảng cáo"
    with pytest.raises(ProtectedError):
        c.delete()


def test_mttq_flags_and_submits_summary(commune, village, staff, mttq, union_rep):
    c = make_published(commune, staff)
    cm = submit(c)
    services.comment_flag(comment=cm, by=mttq, note="Chưa trả lời", now=at(2024, 3, 21))
    with pytest.raises(PermissionDenied):
        services.comment_flag(comment=cm, by=union_rep)  # Công đoàn reviews the staff's consultations
    summary = services.summary_save(
        consultation=c,
        by=mttq,
        text="Tổ chức 6 hội nghị, 312 lượt ý kiến.",
        meetings_held=6,
        participants=312,
        now=at(2024, 3, 22),
    )
    services.summary_submit(summary=summary, by=mttq, now=at(2024, 3, 25, 10))
    deadline = Deadline.objects.get(rule_code="consultation.org_summary")
    assert deadline.status == Deadline.Status.MET and deadline.due_date == dt.date(2024, 3, 25)
    assert deadline.assignee == mttq  # the engine reminds the MTTQ, not the office
    with pytest.raises(ValidationError):
        services.summary_save(consultation=c, by=mttq, text="sửa", now=at(2024, 3, 26))


# --- Publicity ------------------------------------------------------------------------------------------------------


def _jpeg_with_exif(size=(3000, 2000)):
    img = Image.new("RGB", size, (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N"}  # GPS
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return SimpleUploadedFile("niemyet.jpg", buf.getvalue(), content_type="image/jpeg")


def test_village_head_confirms_with_photo_metadata_stripped(
    commune, village, other_village, staff, village_head, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    c = make_published(commune, staff)
    mine = postings_of(c).get(kind=Posting.Kind.VILLAGE_HOUSE, village=village)
    theirs = postings_of(c).get(kind=Posting.Kind.VILLAGE_HOUSE, village=other_village)
    with pytest.raises(PermissionDenied):
        services.posting_confirm(posting=theirs, by=village_head, posted_on=PUBLICIZED, now=at(2024, 3, 1))
    p = services.posting_confirm(
        posting=mine, by=village_head, posted_on=PUBLICIZED, photo=_jpeg_with_exif(), now=at(2024, 3, 1)
    )
    with Image.open(p.photo.path) as img:
        assert max(img.size) == 1600
        assert not img.getexif()
    ct = ContentType.objects.get_for_model(Posting)
    assert Deadline.objects.get(content_type=ct, object_id=str(mine.pk)).status == Deadline.Status.MET


def test_photo_type_and_size_checked(settings):
    bad = SimpleUploadedFile("x.gif", b"GIF89a" + b"\0" * 100, content_type="image/gif")
    with pytest.raises(ValidationError):
        services.photo_clean(bad)
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, format="GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG hoặc WebP"):
        services.photo_clean(SimpleUploadedFile("x.gif", buf.getvalue()))
    settings.PORTAL_MAX_PHOTO_BYTES = 10
    with pytest.raises(ValidationError, match="quá lớn"):
        services.photo_clean(_jpeg_with_exif((20, 20)))


def test_compliance_matrix_done_late_missing(commune, village, other_village, staff, village_head, radio):
    c = make_published(commune, staff)
    due = postings_of(c).get(kind=Posting.Kind.OFFICE).due_on
    assert due == dt.date(2024, 3, 5)  # 5 working days after 27/02/2024
    mine = postings_of(c).get(kind=Posting.Kind.VILLAGE_HOUSE, village=village)
    services.posting_confirm(posting=mine, by=village_head, posted_on=dt.date(2024, 3, 6), now=at(2024, 3, 6))
    office = postings_of(c).get(kind=Posting.Kind.OFFICE)
    services.posting_confirm(posting=office, by=staff, posted_on=due, now=at(2024, 3, 5))
    radio_posting = postings_of(c).get(kind=Posting.Kind.RADIO)
    for day in (1, 2, 4):
        services.broadcast_log(
            posting=radio_posting, by=radio, broadcast_on=dt.date(2024, 3, day), now=at(2024, 3, 4, 18)
        )
    with pytest.raises(ValidationError):
        services.broadcast_log(
            posting=radio_posting, by=radio, broadcast_on=dt.date(2024, 3, 4), now=at(2024, 3, 4, 19)
        )
    m = compliance_matrix(consultation=c, phase=PublicityPhase.PLAN, today=dt.date(2024, 3, 6))
    row = next(r for r in m["village_rows"] if r["village"] == village)
    assert row["house"]["state"] == "late"
    other = next(r for r in m["village_rows"] if r["village"] == other_village)
    assert other["house"]["state"] == "missing"
    radio_info = next(r for r in m["commune_rows"] if r["posting"].kind == Posting.Kind.RADIO)
    assert radio_info["run"] == 2 and radio_info["duration_ok"] is False
    services.broadcast_log(
        posting=radio_posting, by=radio, broadcast_on=dt.date(2024, 3, 3), now=at(2024, 3, 4, 19)
    )
    m = compliance_matrix(consultation=c, phase=PublicityPhase.PLAN, today=dt.date(2024, 3, 6))
    radio_info = next(r for r in m["commune_rows"] if r["posting"].kind == Posting.Kind.RADIO)
    assert radio_info["run"] == 4 and radio_info["duration_ok"] is True
    office_info = next(r for r in m["commune_rows"] if r["posting"].kind == Posting.Kind.OFFICE)
    assert office_info["state"] == "done" and office_info["keep_until"] == dt.date(2024, 4, 4)


# --- The whole lifecycle, with an audit row per transition -------------------------------------------------------


def _run_to_results(c, staff, mttq, village):
    cm = submit(c, village=village)
    tasks.sweep_windows(now=at(2024, 3, 21, 0, 5))
    c = services.consultation_start_synthesis(
        consultation=Consultation.objects.get(pk=c.pk), by=staff, now=at(2024, 3, 21, 8)
    )
    with pytest.raises(ValidationError) as exc:
        services.consultation_publish_results(
            consultation=c, by=staff, issued_on=dt.date(2024, 3, 27), now=at(2024, 3, 27)
        )
    assert "1 ý kiến chưa được tiếp thu" in " ".join(exc.value.messages)
    assert "Ủy ban MTTQ" in " ".join(exc.value.messages)
    services.comment_answer(
        comment=cm, by=staff, kind=Comment.Answer.ACCEPTED, text="Tiếp thu.", now=at(2024, 3, 22)
    )
    s = services.summary_save(consultation=c, by=mttq, text="Tổng hợp", now=at(2024, 3, 22))
    services.summary_submit(summary=s, by=mttq, now=at(2024, 3, 22))
    with pytest.raises(ValidationError, match="Chưa lập Báo cáo tổng hợp, tiếp thu, giải trình"):
        services.consultation_publish_results(
            consultation=c, by=staff, issued_on=dt.date(2024, 3, 27), now=at(2024, 3, 27)
        )
    c = services.consultation_report_document(consultation=c, by=staff, now=at(2024, 3, 26))
    with pytest.raises(ValidationError, match="chưa được lãnh đạo ký ban hành"):
        services.consultation_publish_results(
            consultation=c, by=staff, issued_on=dt.date(2024, 3, 27), now=at(2024, 3, 27)
        )
    c = issue_report(c, staff, now=at(2024, 3, 27))
    return services.consultation_publish_results(
        consultation=c,
        by=staff,
        issued_on=dt.date(2024, 3, 27),
        results_summary="Nhân dân đồng tình.",
        now=at(2024, 3, 27),
    )


def test_full_lifecycle_and_audit(commune, village, staff, leader, mttq, village_head, radio):
    c = make_published(commune, staff)
    c = _run_to_results(c, staff, mttq, village)
    assert c.status == S.RESULTS_PUBLISHED
    assert postings_of(c, PublicityPhase.RESULTS).count() == 5
    with pytest.raises(PermissionDenied):
        services.consultation_adopt(consultation=c, by=staff, hdnd_session_on=None, now=at(2024, 4, 1))
    # No number to type: the QUYẾT ĐỊNH is generated, signed, numbered by the register.
    with pytest.raises(ValidationError, match="Chưa lập Quyết định ban hành"):
        services.consultation_adopt(
            consultation=c, by=leader, hdnd_session_on=dt.date(2024, 7, 10), now=at(2024, 4, 1)
        )
    c = services.consultation_decision_document(consultation=c, by=staff, now=at(2024, 4, 1, 8))
    with pytest.raises(ValidationError, match="chưa được lãnh đạo ký"):
        services.consultation_adopt(
            consultation=c, by=leader, hdnd_session_on=dt.date(2024, 7, 10), now=at(2024, 4, 1)
        )
    c = issue_decision(c, staff, signer=leader, now=at(2024, 4, 1, 9))
    with pytest.raises(ValidationError, match="Điều 28 khoản 5"):
        services.consultation_adopt(consultation=c, by=leader, now=at(2024, 4, 1))
    c = services.consultation_adopt(
        consultation=c, by=leader, hdnd_session_on=dt.date(2024, 7, 10), now=at(2024, 4, 1)
    )
    assert c.decision_number == c.decision_document.number_line_value() == "01/QĐ-UBND"
    assert c.decision_date == dt.date(2024, 4, 1)
    assert "Điều 1. Phạm vi điều chỉnh" in c.final_text
    with pytest.raises(ValidationError, match="chưa được xác nhận"):
        services.consultation_mark_publicized(consultation=c, by=staff, now=at(2024, 4, 2))
    for p in postings_of(c, PublicityPhase.REGULATION).filter(posted_on__isnull=True):
        if p.kind == Posting.Kind.RADIO:
            # ≥ 3 consecutive days on the radio (Điều 13 khoản 3), checked by the core publicity.
            for day in (2, 3, 4):
                services.broadcast_log(
                    posting=p, by=radio, broadcast_on=dt.date(2024, 4, day), now=at(2024, 4, 4)
                )
        else:
            services.posting_confirm(
                posting=p,
                by=staff,
                posted_on=dt.date(2024, 4, 2),
                note="Ảnh lưu tại Văn phòng" if p.village_id else "",
                on_behalf_reason="Trưởng thôn chưa có tài khoản" if p.village_id else "",
                now=at(2024, 4, 2),
            )
    c = services.consultation_mark_publicized(consultation=c, by=staff, now=at(2024, 4, 4, 18))
    c = services.consultation_report(
        consultation=c, by=staff, reported_on=dt.date(2024, 7, 10), now=at(2024, 7, 10)
    )
    assert c.status == S.REPORTED
    actions = [e.action for e in audit_for(c).order_by("at", "id")]
    for status in (
        "published",
        "open",
        "closed",
        "synthesis",
        "results_published",
        "adopted",
        "publicized",
        "reported",
    ):
        if status == "open":
            continue  # published straight into "open": one transition
        assert f"consultation.{status}" in actions, status
    assert actions[0] == "consultation.create"
    report = Deadline.objects.get(rule_code="consultation.report_hdnd")
    assert report.status == Deadline.Status.MET and report.due_date == dt.date(2024, 7, 10)
    stats = results_statistics(c)
    assert stats["totals"]["total"] == 1 and stats["by_answer"][0]["key"] == Comment.Answer.ACCEPTED


def test_staff_regulation_publicize_deadline_is_5_working_days(commune, staff, leader, union_rep):
    c = make_consultation(
        commune,
        staff,
        audience=Audience.STAFF,
        closes_on=dt.date(2024, 3, 5),
        summary_due_on=dt.date(2024, 3, 6),
    )
    services.consultation_issue_plan(
        consultation=c, by=staff, issued_on=PLAN_ISSUED, sent_union_on=PLAN_ISSUED, now=at(2024, 2, 27)
    )
    c = services.consultation_publish(consultation=c, by=staff, publicized_on=PUBLICIZED, now=at(2024, 2, 29))
    tasks.sweep_windows(now=at(2024, 3, 6))
    c = services.consultation_start_synthesis(consultation=Consultation.objects.get(pk=c.pk), by=staff)
    s = services.summary_save(consultation=c, by=union_rep, text="Công đoàn tổng hợp", now=at(2024, 3, 6))
    services.summary_submit(summary=s, by=union_rep, now=at(2024, 3, 6))
    c = issue_report(c, staff, now=at(2024, 3, 7))
    c = services.consultation_publish_results(
        consultation=c, by=staff, issued_on=dt.date(2024, 3, 7), now=at(2024, 3, 7)
    )
    c = issue_decision(c, staff, signer=leader, now=at(2024, 3, 8, 9))
    c = services.consultation_adopt(consultation=c, by=leader, now=at(2024, 3, 8))
    d = Deadline.objects.get(
        rule_code="agency.publicize_within",
        object_id=str(c.pk),
        status=Deadline.Status.OPEN,
        content_type=ContentType.objects.get_for_model(Consultation),
    )
    assert d.due_date == dt.date(2024, 3, 15)  # Friday 08/03 + 5 working days


def test_new_version_keeps_old_and_diffs(commune, village, staff):
    c = make_published(commune, staff)
    tasks.sweep_windows(now=at(2024, 3, 21, 1))
    with pytest.raises(ValidationError):  # while open: no new version
        services.draft_version_create(
            consultation=make_published(commune, staff, title="Khác"), by=staff, draft_text="Điều 1. A"
        )
    text = c.versions.get().articles.get(key="d-1").text
    v2 = services.draft_version_create(
        consultation=c,
        by=staff,
        note="Tiếp thu ý kiến",
        draft_text="Điều 1. Phạm vi điều chỉnh\nQuy chế này quy định việc thực hiện dân chủ ở xã.\nĐiều 4. Mới\nNội dung mới",
    )
    assert c.versions.count() == 2 and v2.number == 2
    a1 = v2.articles.get(key="d-1")
    assert a1.change == "changed" and "<del>" in a1.diff_html and a1.previous.text == text
    assert v2.articles.get(key="d-4").change == "added"


# --- Import --------------------------------------------------------------------------------------------------------


def _csv(rows):
    return SimpleUploadedFile("gopy.csv", ("\n".join(rows) + "\n").encode("utf-8"), content_type="text/csv")


def test_import_all_or_nothing_with_row_errors(commune, village, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = make_published(commune, staff)
    bad = _csv(
        [
            "Nội dung góp ý,Thôn,Điều,Ngày nhận",
            f"Ý kiến một,{village.name},1,05/03/2024",
            "Ý kiến hai,Thôn Không Có,1,05/03/2024",
            ",,,05/03/2024",
            "Ý kiến bốn,,99,01/04/2024",
        ]
    )
    batch = services.import_batch_create(consultation=c, by=staff, upload=bad, now=at(2024, 3, 10))
    assert batch.status == ImportBatch.Status.FAILED
    assert [e["row"] for e in batch.errors] == [3, 4, 5]
    assert "Điều 99" in batch.errors[2]["message"] and "ngoài thời gian" in batch.errors[2]["message"]
    assert not Comment.objects.filter(consultation=c).exists()
    good = _csv(
        ["Nội dung góp ý,Họ và tên,Thôn,Điều,Hình thức,Ngày nhận"]
        + [f"Ý kiến {i},Người {i},{village.name},2,Nhóm Zalo,0{i % 9 + 1}/03/2024" for i in range(30)]
    )
    batch = services.import_batch_create(consultation=c, by=staff, upload=good, now=at(2024, 3, 10))
    assert batch.status == ImportBatch.Status.DONE and batch.imported == 30
    rows = Comment.objects.filter(import_batch=batch)
    assert rows.count() == 30 and set(rows.values_list("channel", flat=True)) == {Channel.ZALO}
    assert len(set(rows.values_list("tracking_code", flat=True))) == 30
    assert services.import_batch_run(batch=batch).imported == 30  # a rerun imports nothing twice
    assert Comment.objects.filter(consultation=c).count() == 30


def test_import_xlsx(commune, village, staff, settings, tmp_path):
    from openpyxl import Workbook

    settings.MEDIA_ROOT = tmp_path
    c = make_published(commune, staff)
    wb = Workbook()
    ws = wb.active
    ws.append(["Nội dung góp ý", "Thôn", "Ngày nhận"])
    ws.append(["Ý kiến từ Excel", village.name, dt.datetime(2024, 3, 6)])  # noqa: DTZ001
    buf = io.BytesIO()
    wb.save(buf)
    batch = services.import_batch_create(
        consultation=c, by=staff, upload=SimpleUploadedFile("a.xlsx", buf.getvalue()), now=at(2024, 3, 10)
    )
    assert batch.status == ImportBatch.Status.DONE
    assert Comment.objects.get(import_batch=batch).village == village


# --- Pure functions -------------------------------------------------------------------------------------------------


def test_normalize_search_handles_d_bar():
    assert normalize_search("  Đường ĐI   qua  Thôn Đồng Tâm ") == "duong di qua thon dong tam"


def test_parse_draft_structure():
    items = parse_draft(
        "Lời nói đầu\nChương I. Chung\nĐiều 1. Phạm vi\nNội dung\n1. Khoản một\n2. Khoản hai\nĐiều 2. B"
    )
    assert [(i["kind"], i["key"], i["parent_key"]) for i in items] == [
        ("article", "d-0", None),
        ("chapter", "ch-I", None),
        ("article", "d-1", "ch-I"),
        ("clause", "d-1.k-1", "d-1"),
        ("clause", "d-1.k-2", "d-1"),
        ("article", "d-2", "ch-I"),
    ]
    with pytest.raises(ValueError):
        parse_draft("Điều 1. A\nĐiều 1. B")


def test_summary_only_once_per_org(commune, village, staff, mttq):
    c = make_published(commune, staff)
    services.summary_save(consultation=c, by=mttq, text="a", now=at(2024, 3, 10))
    services.summary_save(consultation=c, by=mttq, text="b", now=at(2024, 3, 11))
    assert OrganizationSummary.objects.get(consultation=c).text == "b"


def test_large_import_runs_in_a_task(
    commune, village, staff, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from consultations.services import imports

    settings.MEDIA_ROOT = tmp_path
    queued = []
    monkeypatch.setattr(imports, "ASYNC_BYTES", 10)
    monkeypatch.setattr("django_q.tasks.async_task", lambda func, *args, **kw: queued.append((func, args)))
    c = make_published(commune, staff)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.import_batch_create(
            consultation=c,
            by=staff,
            now=at(2024, 3, 10),
            upload=_csv(["Nội dung góp ý,Ngày nhận", "Một ý kiến,05/03/2024"]),
        )
    assert batch.status == ImportBatch.Status.PENDING and not Comment.objects.exists()
    assert queued == [("consultations.tasks.import_comments", (batch.pk,))]
    assert tasks.import_comments(batch.pk) == ImportBatch.Status.DONE
    assert Comment.objects.filter(import_batch=batch).count() == 1


def test_posting_deadline_on_the_time_axis(commune, village, staff, village_head):
    c = make_published(commune, staff)
    p = postings_of(c).get(kind=Posting.Kind.VILLAGE_HOUSE, village=village)
    assert p.due_on == dt.date(2024, 3, 5)
    from consultations.selectors import posting_state

    assert posting_state(p, dt.date(2024, 3, 5))["state"] == "pending"  # on the due day: not yet missing
    assert posting_state(p, dt.date(2024, 3, 6))["state"] == "missing"  # the day after
    p.posted_on = dt.date(2024, 3, 5)
    assert posting_state(p, dt.date(2024, 3, 9))["state"] == "done"  # posted on the due day
    p.posted_on = dt.date(2024, 3, 6)
    assert posting_state(p, dt.date(2024, 3, 9))["state"] == "late"
    # ≥ 30 consecutive days from the posting date (keep until 04/04/2024 when posted 05/03/2024).
    p.posted_on = dt.date(2024, 3, 5)
    info = posting_state(p, dt.date(2024, 4, 3))
    assert info["keep_until"] == dt.date(2024, 4, 4) and info["duration_ok"] is False
    assert posting_state(p, dt.date(2024, 4, 4))["duration_ok"] is True


def test_results_postings_due_5_working_days_after_the_report(commune, village, staff, mttq):
    c = make_published(commune, staff)
    tasks.sweep_windows(now=at(2024, 3, 21, 1))
    c = services.consultation_start_synthesis(consultation=Consultation.objects.get(pk=c.pk), by=staff)
    s = services.summary_save(consultation=c, by=mttq, text="Không có ý kiến", now=at(2024, 3, 22))
    services.summary_submit(summary=s, by=mttq, now=at(2024, 3, 22))
    c = issue_report(c, staff, now=at(2024, 3, 27))
    c = services.consultation_publish_results(
        consultation=c, by=staff, issued_on=dt.date(2024, 3, 27), now=at(2024, 3, 27)
    )
    dues = set(postings_of(c, PublicityPhase.RESULTS).values_list("due_on", flat=True))
    assert dues == {dt.date(2024, 4, 3)}  # Wed 27/03 + 5 working days
    rules = set(postings_of(c, PublicityPhase.RESULTS).values_list("rule_code", flat=True))
    assert rules == {"consultation.results_publicize"}


def test_accepted_comment_links_to_the_changed_article_of_the_next_version(commune, village, staff):
    c = make_published(commune, staff)
    cm = submit(c, text="Bổ sung nguyên tắc lắng nghe")
    tasks.sweep_windows(now=at(2024, 3, 21, 1))
    c = services.consultation_start_synthesis(consultation=Consultation.objects.get(pk=c.pk), by=staff)
    v2 = services.draft_version_create(
        consultation=c,
        by=staff,
        note="Tiếp thu",
        draft_text="Điều 1. Phạm vi điều chỉnh\nQuy chế này quy định việc thực hiện "
        "dân chủ trong hoạt động của Ủy ban nhân dân xã.\nĐiều 2. Nguyên "
        "tắc thực hiện dân chủ\n1. Bảo đảm sự lãnh đạo của Đảng.\n2. Lắng "
        "nghe ý kiến Nhân dân.",
    )
    changed = v2.articles.get(key="d-2.k-2")
    assert changed.change == "changed"
    with pytest.raises(ValidationError):
        services.comment_answer(
            comment=cm, by=staff, kind=Comment.Answer.EXPLAINED, text="Không", changed_article=changed
        )
    cm = services.comment_answer(
        comment=cm, by=staff, kind=Comment.Answer.ACCEPTED, text="Đã bổ sung khoản 2", changed_article=changed
    )
    assert cm.changed_article.version.number == 2


def test_hidden_comment_not_counted_publicly_but_kept(commune, village, staff):
    from consultations.selectors import comment_counts

    c = make_published(commune, staff)
    submit(c)
    spam = submit(c, text="Quảng cáo")
    services.comment_hide(comment=spam, by=staff, reason="Quảng cáo, không liên quan")
    assert comment_counts(c)["total"] == 1
    assert comment_counts(c, public=False)["total"] == 2


def test_responsible_must_be_commune_staff(commune, staff, leader, mttq, other_staff):
    c = make_consultation(commune, staff, responsible=leader)
    assert c.responsible == leader
    for user in (mttq, other_staff):
        with pytest.raises(ValidationError, match="Cán bộ phụ trách"):
            services.consultation_update(consultation=c, by=staff, responsible=user)


def test_an_inactive_village_is_neither_offered_in_the_public_form_nor_given_a_posting(
    commune, village, staff
):
    """One answer for "the villages of a commune" (portal/lookups.py): a merged village gets no posting, so the
    public form does not offer it either."""
    from consultations.forms import PublicCommentForm
    from tests.factories import VillageFactory

    merged = VillageFactory(parent=commune, name="An Lạc", active=False)
    c = make_published(commune, staff)
    posted = set(postings_of(c).filter(village__isnull=False).values_list("village_id", flat=True))
    offered = set(PublicCommentForm(consultation=c).fields["village"].queryset.values_list("pk", flat=True))
    assert posted == offered == {village.pk}
    assert merged.pk not in offered
