"""Demo consultations for the demo commune: one in each phase of the lifecycle (idempotent by title).

Modelled on the facts of a 2024 commune plan (a people's consultation on the commune's draft Quy chế thực hiện dân
chủ, organized with HĐND and Ủy ban MTTQ; a staff consultation on the agency's Quy chế, with Công đoàn cơ sở).
Everything goes through the services, with ``now`` set to the day each step happened.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from consultations import selectors, services
from consultations.models import Audience, Category, Channel, Comment, Consultation, PublicityPhase
from portal import workdays
from portal.documents.demo import tasks_done
from portal.documents.services import document_issue
from portal.publicity.models import Posting

QUY_CHE = """Chương I. NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy chế này quy định nội dung, cách thức thực hiện dân chủ trong hoạt động của Ủy ban nhân dân xã.
Điều 2. Nguyên tắc thực hiện dân chủ
1. Bảo đảm sự lãnh đạo của Đảng, sự quản lý của Nhà nước và quyền làm chủ của Nhân dân.
2. Công khai, minh bạch, bình đẳng, đúng pháp luật.
3. Tôn trọng ý kiến của Nhân dân; tiếp thu, giải trình đầy đủ.
Chương II. NHỮNG NỘI DUNG CÔNG KHAI VÀ HÌNH THỨC CÔNG KHAI
Điều 3. Nội dung công khai
Các nội dung quy định tại Điều 11 Luật Thực hiện dân chủ ở cơ sở.
Điều 4. Hình thức công khai
1. Niêm yết tại trụ sở Ủy ban nhân dân xã và nhà văn hóa các thôn.
2. Đăng tải trên Cổng thông tin điện tử của xã.
3. Thông báo trên hệ thống truyền thanh của xã và qua Trưởng thôn.
Chương III. NHỮNG NỘI DUNG NHÂN DÂN BÀN, QUYẾT ĐỊNH VÀ THAM GIA Ý KIẾN
Điều 5. Nội dung Nhân dân tham gia ý kiến
Ủy ban nhân dân xã lấy ý kiến Nhân dân trước khi quyết định các nội dung tại Điều 25 Luật Thực hiện dân chủ ở cơ sở.
Điều 6. Tổ chức thực hiện
Văn phòng - Thống kê tham mưu Ủy ban nhân dân xã tổ chức thực hiện Quy chế này.
"""

AGENCY = """Điều 1. Phạm vi điều chỉnh
Quy chế này quy định việc thực hiện dân chủ trong hoạt động của cơ quan Ủy ban nhân dân xã.
Điều 2. Những việc công khai để cán bộ, công chức biết
Kế hoạch công tác, kinh phí hoạt động, tuyển dụng, thi đua khen thưởng của cơ quan.
Điều 3. Những việc cán bộ, công chức tham gia ý kiến
1. Kế hoạch công tác hằng năm của cơ quan.
2. Quy chế chi tiêu nội bộ.
Điều 4. Hội nghị cán bộ, công chức
Cơ quan tổ chức hội nghị cán bộ, công chức mỗi năm một lần.
"""

SHORT = """Điều 1. Mục tiêu
{subject}.
Điều 2. Nội dung chủ yếu
1. Phạm vi, đối tượng áp dụng.
2. Kinh phí và nguồn lực thực hiện.
Điều 3. Tổ chức thực hiện
Ủy ban nhân dân xã giao các bộ phận chuyên môn triển khai thực hiện.
"""

ORDER = [
    "draft",
    "published",
    "open",
    "closed",
    "synthesis",
    "results_published",
    "adopted",
    "publicized",
    "reported",
]

# (title, category, target status, days from today to publicizing, draft text)
PEOPLE = [
    (
        "Dự thảo Quy chế thực hiện dân chủ trong hoạt động của Ủy ban nhân dân xã",
        Category.P7,
        "open",
        -5,
        QUY_CHE,
    ),
    ("Dự thảo Kế hoạch phát triển kinh tế - xã hội năm 2027", Category.P1, "draft", None, None),
    ("Phương án thu gom, xử lý rác thải sinh hoạt tại các thôn", Category.P5, "published", 0, None),
    ("Đề án sáp nhập thôn Cầu Đen và thôn Non Giăng", Category.P4, "closed", -25, None),
    ("Dự án nâng cấp đường liên thôn Đồng Tâm - Trung Đồng", Category.P3, "synthesis", -35, None),
    ("Quy hoạch điểm dân cư nông thôn thôn Tân Sơn", Category.P6, "results_published", -50, None),
    ("Quy định mức đóng góp xây dựng nhà văn hóa thôn Quang Trung", Category.P8, "adopted", -70, None),
    ("Kế hoạch sử dụng đất công ích năm 2026", Category.P2, "publicized", -100, None),
    ("Quy chế quản lý hệ thống truyền thanh xã", Category.P9, "reported", -150, None),
]
STAFF_TITLE = "Dự thảo Quy chế thực hiện dân chủ trong hoạt động của cơ quan xã"

COMMENTS = [
    (Channel.ONLINE, "d-2", "Đề nghị bổ sung nguyên tắc lấy ý kiến người cao tuổi và người khuyết tật."),
    (Channel.ONLINE, None, "Dự thảo cần ghi rõ thời hạn trả lời ý kiến của Nhân dân."),
    (Channel.MEETING, "d-4", "Đề nghị niêm yết thêm tại chợ xã vì nhiều người dân thường xuyên qua lại."),
    (Channel.MEETING, "d-4", "Nên đăng thông báo lên nhóm Zalo của từng thôn."),
    (Channel.ZALO, "d-3", "Công khai cả danh sách hộ nghèo được hỗ trợ."),
    (Channel.PAPER, "d-5", "Đề nghị tổ chức hội nghị lấy ý kiến vào buổi tối để người đi làm tham dự được."),
    (Channel.MTTQ, "d-6", "Giao rõ trách nhiệm của từng bộ phận khi thực hiện quy chế."),
    (Channel.RADIO, None, "Đề nghị Đài truyền thanh phát vào giờ sáng sớm."),
]
ANSWERS = [
    (Comment.Answer.ACCEPTED, "Tiếp thu, đã bổ sung vào dự thảo."),
    (
        Comment.Answer.EXPLAINED,
        "Nội dung này đã được quy định tại Luật Thực hiện dân chủ ở cơ sở, không nhắc lại.",
    ),
    (
        Comment.Answer.PARTLY,
        "Tiếp thu một phần: bổ sung niêm yết tại nhà văn hóa; chợ xã không phải nơi niêm yết.",
    ),
    (Comment.Answer.FORWARDED, "Chuyển Ủy ban MTTQ xã và các thôn thực hiện."),
]


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


def _past(day: dt.date, hour: int = 9) -> dt.datetime:
    """When something happened: :func:`_at`, but never later than now (seeded at 00:30, nothing happened at 09:00)."""
    return min(_at(day, hour), timezone.now())


def _reached(target: str, phase: str) -> bool:
    return ORDER.index(target) >= ORDER.index(phase)


def _photo() -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (235, 235, 220)).save(buf, format="JPEG")
    return SimpleUploadedFile("niem-yet.jpg", buf.getvalue(), content_type="image/jpeg")


def _comments(c: Consultation, core, day: dt.date, now: dt.datetime) -> None:
    version = c.versions.order_by("-number").first()
    articles = {a.key: a for a in version.articles.all()} if version else {}
    staff = core.users["canbo"]
    villages = core.villages
    reviewer = core.users["mttq"] if c.is_people else core.users["congdoan"]
    reviewer_org = core.orgs.get("MTTQ") if c.is_people else core.orgs.get("CĐ")
    for i, (channel, key, text) in enumerate(COMMENTS):
        if not c.is_people and channel == Channel.MTTQ:
            channel = Channel.UNION
        village = villages[i % len(villages)]
        article = articles.get(key) if key else None
        received = _past(day, 8 + i)
        if channel == Channel.ONLINE:
            services.comment_submit(
                consultation=c,
                text=text,
                form_token=uuid.uuid4().hex,
                article=article,
                author_name=f"Người dân thôn {village.name}",
                village=village,
                now=received,
            )
        else:
            by = reviewer if channel in (Channel.MTTQ, Channel.UNION) else staff
            services.comment_record(
                consultation=c,
                by=by,
                text=text,
                channel=channel,
                received_at=received,
                article=article,
                village=village if c.is_people else None,
                organization=reviewer_org if by == reviewer else None,
                now=now,
            )
    services.meeting_record(
        consultation=c,
        by=reviewer,
        title=f"Hội nghị lấy ý kiến thôn {villages[0].name}"
        if c.is_people
        else "Hội nghị cán bộ, công chức, người lao động cơ quan xã",
        held_on=day,
        place=f"Nhà văn hóa thôn {villages[0].name}" if c.is_people else "Hội trường UBND xã",
        village=villages[0] if c.is_people else None,
        organization=reviewer_org,
        attendees=64,
        minutes="Đại diện 64 hộ dự; Trưởng thôn chủ trì, đại diện Ủy ban MTTQ xã dự.",
        comments_text="Điều 2: bổ sung nguyên tắc lắng nghe ý kiến thanh niên\nĐề nghị in dự thảo phát cho các hộ",
        now=now,
    )


def _confirm(c: Consultation, core, phase: str, day: dt.date, now: dt.datetime, *, all_of_them: bool) -> None:
    for p in selectors.postings_of(c, phase).filter(posted_on__isnull=True).select_related("village"):
        if p.kind == Posting.Kind.RADIO:
            for k in range(3):
                services.broadcast_log(
                    posting=p,
                    by=core.users["truyenthanh"],
                    broadcast_on=day + dt.timedelta(days=k),
                    note="Phát lúc 6h00 và 17h00",
                    now=now + dt.timedelta(days=3),
                )
        elif p.village_id == core.villages[0].pk:
            services.posting_confirm(
                posting=p,
                by=core.users["truongthon"],
                posted_on=day,
                photo=_photo() if p.kind == Posting.Kind.VILLAGE_HOUSE else None,
                now=now,
            )
        elif all_of_them or p.kind == Posting.Kind.OFFICE:
            services.posting_confirm(
                posting=p,
                by=core.users["canbo"],
                posted_on=day,
                note="Trưởng thôn báo qua điện thoại; ảnh lưu tại Văn phòng" if p.village_id else "",
                on_behalf_reason="Thôn chưa có tài khoản Trưởng thôn trên cổng" if p.village_id else "",
                now=now,
            )


def _drive(c: Consultation, core, target: str, publicized: dt.date) -> None:
    staff, leader, mttq = core.users["canbo"], core.users["chutich"], core.users["mttq"]
    people = c.is_people
    issued = workdays.add_working_days(publicized, -2)
    # A draft's plan is prepared now, not on its future signing day (no audit entry dated in the future).
    c = services.consultation_plan_document(consultation=c, by=staff, now=min(_at(issued, 8), timezone.now()))
    if not _reached(target, "published"):
        return
    document_issue(document=c.plan_document, by=leader, now=_past(issued, 9))
    services.consultation_issue_plan(
        consultation=Consultation.objects.get(pk=c.pk),
        by=staff,
        sent_hdnd_on=issued if people else None,
        sent_mttq_on=issued if people else None,
        sent_union_on=None if people else issued,
        now=_past(issued, 10),
    )
    c = services.consultation_publish(
        consultation=Consultation.objects.get(pk=c.pk),
        by=staff,
        publicized_on=publicized,
        now=_past(publicized, 8) if target != "published" else timezone.now(),
    )
    if not _reached(target, "open"):
        return
    _confirm(
        c, core, PublicityPhase.PLAN, publicized, _at(publicized, 16), all_of_them=_reached(target, "closed")
    )
    comment_day = min(c.opens_on + dt.timedelta(days=3), timezone.localdate())
    _comments(
        c, core, comment_day, _at(comment_day, 20) if comment_day < timezone.localdate() else timezone.now()
    )
    if not _reached(target, "closed"):
        return
    after = c.closes_on + dt.timedelta(days=1)
    c = services.consultation_close(consultation=c, now=_past(after, 0))
    if not _reached(target, "synthesis"):
        return
    c = services.consultation_start_synthesis(consultation=c, by=staff, now=_past(after, 8))
    main = list(Comment.objects.filter(consultation=c, merged_into__isnull=True).order_by("id"))
    services.comment_merge(comment=main[3], into=main[2], by=staff, now=_past(after, 9))
    reviewer = mttq if people else core.users["congdoan"]
    summary = services.summary_save(
        consultation=c,
        by=reviewer,
        now=_past(after, 10),
        text="Ủy ban MTTQ xã phối hợp tổ chức hội nghị tại các thôn; Nhân dân cơ bản đồng "
        "tình với dự thảo, đề nghị bổ sung hình thức công khai qua nhóm Zalo thôn.",
        meetings_held=6,
        participants=380,
    )
    services.summary_submit(summary=summary, by=reviewer, now=_past(after, 11))
    # The plan's tasks (publicize, hold the meetings, send the summary) were carried out: their deadlines are met.
    tasks_done(c.plan_document, by=staff, before=timezone.localdate())
    for i, comment in enumerate(
        Comment.objects.filter(consultation=c, merged_into__isnull=True).order_by("id")
    ):
        if target == "synthesis" and i % 2:
            continue  # half still to answer: the MTTQ sees them as unanswered
        kind, text = ANSWERS[i % len(ANSWERS)]
        services.comment_answer(comment=comment, by=staff, kind=kind, text=text, now=_past(after, 14))
    if not _reached(target, "results_published"):
        return
    results_on = workdays.add_working_days(c.closes_on, 4)
    c = services.consultation_report_document(
        consultation=Consultation.objects.get(pk=c.pk), by=staff, now=_past(results_on, 10)
    )
    document_issue(document=c.report_document, by=leader, now=_past(results_on, 11))
    c = services.consultation_publish_results(
        consultation=Consultation.objects.get(pk=c.pk),
        by=staff,
        issued_on=results_on,
        now=_past(results_on, 15),
        results_summary="Các ý kiến hợp lý đã được tiếp thu vào dự thảo.",
    )
    _confirm(
        c,
        core,
        PublicityPhase.RESULTS,
        results_on,
        _at(results_on, 16),
        all_of_them=_reached(target, "adopted"),
    )
    if not _reached(target, "adopted"):
        return
    decided = workdays.add_working_days(results_on, 3)
    c = services.consultation_decision_document(consultation=c, by=staff, now=_past(decided, 13))
    document_issue(document=c.decision_document, by=leader, now=_past(decided, 14))
    c = services.consultation_adopt(
        consultation=Consultation.objects.get(pk=c.pk),
        by=leader,
        hdnd_session_on=decided + dt.timedelta(days=30) if people else None,
        now=_past(decided, 15),
    )
    if not _reached(target, "publicized"):
        return
    _confirm(c, core, PublicityPhase.REGULATION, decided, _at(decided, 16), all_of_them=True)
    c = services.consultation_mark_publicized(
        consultation=c, by=staff, now=_past(decided + dt.timedelta(days=4), 9)
    )
    if not _reached(target, "reported"):
        return
    services.consultation_report(
        consultation=c, by=staff, reported_on=c.hdnd_session_on, now=_past(c.hdnd_session_on, 16)
    )


@transaction.atomic
def seed(core) -> list[Consultation]:
    commune, staff = core.commune, core.users["canbo"]
    today = timezone.localdate()
    created = []
    organizers = [core.orgs[k] for k in ("HĐND", "MTTQ") if k in core.orgs]
    for title, category, target, offset, text in PEOPLE:
        if Consultation.objects.filter(commune=commune, title=title).exists():
            continue
        publicized = today + dt.timedelta(days=offset if offset is not None else 7)
        opens = publicized + dt.timedelta(days=3) if target == "published" else publicized
        closes = services.min_closes_on(opens)  # the plan's own window is ≥ 20 days (Điều 28 khoản 2)
        c = services.consultation_create(
            commune=commune,
            by=staff,
            title=title,
            category=category,
            audience=Audience.PEOPLE,
            opens_on=opens,
            closes_on=closes,
            channels=[Channel.ONLINE, Channel.MEETING, Channel.PAPER, Channel.ZALO, Channel.MTTQ],
            organizers=organizers,
            summary_due_on=workdays.add_working_days(closes, 3),
            draft_text=text or SHORT.format(subject=title),
            now=_past(publicized - dt.timedelta(days=10)),
        )
        _drive(c, core, target, publicized)
        created.append(c)
    if not Consultation.objects.filter(commune=commune, title=STAFF_TITLE).exists():
        publicized = today - dt.timedelta(days=40)
        c = services.consultation_create(
            commune=commune,
            by=staff,
            title=STAFF_TITLE,
            category=Category.A8,
            audience=Audience.STAFF,
            opens_on=publicized,
            closes_on=publicized + dt.timedelta(days=10),
            channels=[Channel.MEETING, Channel.ZALO, Channel.UNION],
            organizers=[core.orgs["CĐ"]] if "CĐ" in core.orgs else [],
            summary_due_on=publicized + dt.timedelta(days=12),
            draft_text=AGENCY,
            now=_past(publicized - dt.timedelta(days=10)),
        )
        _drive(c, core, "adopted", publicized)
        created.append(c)
    return created
