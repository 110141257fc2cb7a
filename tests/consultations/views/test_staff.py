import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations import services, tasks
from consultations.models import Channel, Comment, Consultation
from consultations.selectors import postings_of
from portal.publicity.models import Posting
from tests.consultations.factories import at, make_consultation, make_published, orgs, submit
from tests.consultations.views.test_public import _bulk_comments, _open_now

pytestmark = pytest.mark.django_db


def test_create_then_19_day_publish_refused_and_20_day_published(client, commune, village, staff):
    orgs(commune)
    client.force_login(staff)
    today = timezone.localdate()
    r = client.post(
        reverse("consultations:create"),
        {
            "title": "Dự thảo Quy chế dân chủ",
            "audience": "people",
            "category": "p7",
            "summary": "",
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=19)).isoformat(),
            "summary_due_on": (today + dt.timedelta(days=40)).isoformat(),
            "channels": ["online", "meeting"],
            "draft_text": "Điều 1. Phạm vi\nNội dung",
        },
    )
    assert r.status_code == 302
    c = Consultation.objects.get()
    manage = reverse("consultations:manage", args=[c.pk])
    plan = {
        "issued_on": today.isoformat(),
        "sent_hdnd_on": today.isoformat(),
        "sent_mttq_on": today.isoformat(),
    }
    # The plan that states a 19-day window is not issued: the manage page's own condition, naming the rule.
    r = client.post(reverse("consultations:transition", args=[c.pk, "ke-hoach"]), plan, follow=True)
    assert "Điều 28 khoản 2 Luật 10/2022/QH15" in r.content.decode()
    r = client.post(
        reverse("consultations:transition", args=[c.pk, "cong-bo"]),
        {"publicized_on": today.isoformat()},
        follow=True,
    )
    assert "Chưa ban hành kế hoạch" in r.content.decode()
    c.refresh_from_db()
    assert c.status == "draft" and c.plan_issued_on is None
    services.consultation_update(consultation=c, by=staff, closes_on=services.min_closes_on(today))
    r = client.post(reverse("consultations:transition", args=[c.pk, "ke-hoach"]), plan, follow=True)
    # Issue 10 item 10: the message says what was saved (the state did not change), not "Đã chuyển sang trạng thái".
    saved = [str(m) for m in r.context["messages"]]
    assert "Đã chuyển sang trạng thái" not in r.content.decode()
    assert saved[-1:] == [
        f"Đã lưu kế hoạch: ban hành ngày {today:%d/%m/%Y}, gửi HĐND xã ngày {today:%d/%m/%Y}, gửi Ủy ban MTTQ xã "
        f"ngày {today:%d/%m/%Y}. Bước tiếp theo: công bố kế hoạch và dự thảo."
    ]
    r = client.post(
        reverse("consultations:transition", args=[c.pk, "cong-bo"]), {"publicized_on": today.isoformat()}
    )
    assert r["Location"] == manage
    c.refresh_from_db()
    assert c.status == "open"
    assert "Công bố" not in client.get(manage).content.decode().split("Thao tác")[-1]


def test_comment_list_same_queries_at_10_and_10000(client, commune, village, staff):
    small, big = make_published(commune, staff), make_published(commune, staff, title="B")
    _bulk_comments(small, 10, village)
    _bulk_comments(big, 10_000, village)
    client.force_login(staff)

    def count(c, **params):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse("consultations:comments", args=[c.pk]), params)
        assert r.status_code == 200
        return len(ctx.captured_queries)

    def cold(c, **params):
        cache.clear()
        return count(c, **params)

    # Rendered (cache empty) and served from the shared fragment: each the same at 10 and at 10,000 comments.
    assert cold(small) == cold(big)
    rendered = cold(small)
    count(big)
    assert count(small) == count(big) < rendered
    assert cold(small, q="y kien", village=village.pk) == cold(big, q="Ý KIẾN", village=village.pk)


def test_review_page_same_queries_at_10_and_10000(client, commune, village, staff, mttq):
    small, big = make_published(commune, staff), make_published(commune, staff, title="B")
    _bulk_comments(small, 10, village)
    _bulk_comments(big, 10_000, village)
    client.force_login(mttq)

    def count(c, **params):
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse("consultations:review", args=[c.pk]), params)
        assert r.status_code == 200
        return len(ctx.captured_queries)

    def cold(c, **params):
        cache.clear()
        return count(c, **params)

    assert cold(small) == cold(big)
    rendered = cold(small)
    count(big)
    assert count(small) == count(big) < rendered
    assert cold(small, answered="no", page=1) == cold(big, answered="no", page=1)


def test_search_with_and_without_diacritics(client, commune, village, staff, mttq):
    c = make_published(commune, staff)
    submit(c, text="Đề nghị sửa đường vào thôn")
    submit(c, text="Không liên quan")
    client.force_login(mttq)
    for q in ("đường", "duong", "DUONG THON", "Đường vào"):
        r = client.get(reverse("consultations:review", args=[c.pk]), {"q": q})
        assert "1 ý kiến." in r.content.decode(), q


def test_meeting_entry_creates_comments(client, commune, village, staff):
    c = _open_now(commune, staff)
    client.force_login(staff)
    r = client.post(
        reverse("consultations:meeting_create", args=[c.pk]),
        {
            "title": "Hội nghị thôn Đồng Tâm",
            "held_on": timezone.localdate().isoformat(),
            "village": village.pk,
            "attendees": 40,
            "minutes": "",
            "place": "Nhà văn hóa",
            "comments_text": "Điều 1: ý một\nÝ hai\nÝ ba",
        },
    )
    assert r.status_code == 302
    assert Comment.objects.filter(consultation=c, channel=Channel.MEETING, village=village).count() == 3


def test_answer_via_page_and_mttq_cannot(client, commune, village, staff, mttq):
    c = make_published(commune, staff)
    cm = submit(c)
    url = reverse("consultations:comment_action", args=[c.pk, cm.pk, "tra-loi"])
    client.force_login(mttq)
    client.post(url, {"kind": "accepted", "text": "x"})
    cm.refresh_from_db()
    assert cm.status != Comment.Status.ANSWERED
    client.force_login(staff)
    client.post(url, {"kind": "explained", "text": "Đã quy định tại Điều 3."})
    cm.refresh_from_db()
    assert cm.answer_kind == "explained"


def test_import_page_reports_row_errors(client, commune, village, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = make_published(commune, staff)
    client.force_login(staff)
    f = SimpleUploadedFile("y.csv", "Nội dung góp ý,Ngày nhận\nA,05/03/2024\n,05/03/2024\n".encode())
    r = client.post(
        reverse("consultations:import", args=[c.pk]), {"file": f, "channel": "paper"}, follow=True
    )
    html = r.content.decode()
    assert "thiếu nội dung góp ý" in html and "Có lỗi, không nhập dòng nào" in html
    assert not Comment.objects.exists()


def test_exports_are_parseable(client, commune, village, staff):
    c = make_published(commune, staff)
    submit(c, text="Ý kiến, có dấu phẩy\nvà xuống dòng", village=village)
    client.force_login(staff)
    r = client.get(reverse("consultations:export", args=[c.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))
    assert (
        rows[0][0] == "Mã"
        and rows[1][7] == "Ý kiến, có dấu phẩy\nvà xuống dòng"
        and rows[1][3] == village.name
    )
    r = client.get(reverse("consultations:export", args=[c.pk, "xlsx"]))
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(2, 8).value.startswith("Ý kiến, có dấu phẩy")


def test_posting_confirm_page_for_village_head(
    client, commune, village, other_village, staff, village_head, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    c = _open_now(commune, staff)
    mine = postings_of(c).get(kind=Posting.Kind.VILLAGE_HOUSE, village=village)
    theirs = postings_of(c).get(kind=Posting.Kind.VILLAGE_HOUSE, village=other_village)
    client.force_login(village_head)
    assert client.get(reverse("publicity:posting_confirm", args=[theirs.pk])).status_code == 404
    assert (
        client.post(
            reverse("publicity:posting_confirm", args=[theirs.pk]),
            {"posted_on": timezone.localdate().isoformat()},
        ).status_code
        == 404
    )
    page = client.get(reverse("publicity:my_postings")).content.decode()
    assert reverse("publicity:posting_confirm", args=[mine.pk]) in page
    r = client.post(
        reverse("publicity:posting_confirm", args=[mine.pk]),
        {"posted_on": timezone.localdate().isoformat()},
    )
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.posted_on == timezone.localdate() and mine.confirmed_by == village_head
    theirs.refresh_from_db()
    assert theirs.posted_on is None


def test_postings_matrix_page(client, commune, village, staff, mttq, leader):
    c = make_published(commune, staff)
    for user in (staff, mttq, leader):
        client.force_login(user)
        r = client.get(reverse("consultations:postings", args=[c.pk]))
        assert r.status_code == 200 and village.name in r.content.decode()


def test_radio_operator_logs_days(client, commune, village, staff, radio):
    c = _open_now(commune, staff)
    p = postings_of(c).get(kind=Posting.Kind.RADIO)
    client.force_login(radio)
    r = client.post(
        reverse("publicity:broadcast_log", args=[p.pk]),
        {"broadcast_on": timezone.localdate().isoformat()},
    )
    assert r.status_code == 302 and p.broadcasts.count() == 1


def test_mttq_submits_summary_via_page(client, commune, village, staff, mttq):
    c = make_published(commune, staff)
    client.force_login(mttq)
    client.post(
        reverse("consultations:summary", args=[c.pk]),
        {"text": "Tổng hợp 6 hội nghị", "meetings_held": 6, "participants": 300, "submit": "1"},
    )
    s = c.org_summaries.get()
    assert s.submitted_at is not None and s.submitted_by == mttq


def test_manage_pages_render_in_each_phase(client, commune, village, staff, leader, mttq):
    c = make_published(commune, staff)
    submit(c, village=village)
    tasks.sweep_windows(now=at(2024, 3, 21, 1))
    client.force_login(leader)
    for name in (
        "manage",
        "comments",
        "results",
        "review",
        "postings",
        "meeting_create",
        "import",
        "comment_record",
    ):
        assert client.get(reverse(f"consultations:{name}", args=[c.pk])).status_code == 200, name
    assert client.get(reverse("consultations:list")).status_code == 200
    assert client.get(reverse("consultations:version_detail", args=[c.pk, 1])).status_code == 200


def test_version_pages_show_changes_and_removals(client, commune, village, staff):
    c = make_consultation(commune, staff)
    client.force_login(staff)
    assert (
        "Điều 1. Phạm vi điều chỉnh"
        in client.get(reverse("consultations:version_create", args=[c.pk])).content.decode()
    )
    r = client.post(
        reverse("consultations:version_create", args=[c.pk]),
        {
            "draft_text": "Điều 1. Phạm vi điều chỉnh\nQuy chế này quy định việc thực hiện dân chủ ở xã.",
            "note": "Rút gọn",
        },
    )
    assert r.status_code == 302
    html = client.get(r["Location"]).content.decode()
    assert "<del>" in html and "<ins>" in html and "Đã bỏ so với dự thảo lần 1" in html and "Điều 3" in html


def test_manage_page_lists_statutory_deadlines(client, commune, village, staff):
    c = make_published(commune, staff)
    client.force_login(staff)
    html = client.get(reverse("consultations:manage", args=[c.pk])).content.decode()
    assert "Thời hạn theo quy định" in html and "25/03/2024" in html  # the MTTQ summary due date


def test_plan_document_through_the_pages(client, commune, village, staff, leader):
    from portal.documents.services import document_issue

    c = make_consultation(commune, staff)
    client.force_login(staff)
    r = client.post(reverse("consultations:transition", args=[c.pk, "van-ban-ke-hoach"]), follow=True)
    c.refresh_from_db()
    assert (
        c.plan_document is not None
        and reverse("documents:detail", args=[c.plan_document.pk]) in r.content.decode()
    )
    r = client.post(
        reverse("consultations:transition", args=[c.pk, "ke-hoach"]),
        {"sent_hdnd_on": "", "sent_mttq_on": ""},
        follow=True,
    )
    assert "chưa được lãnh đạo ký" in r.content.decode()
    doc = document_issue(document=c.plan_document, by=leader, now=at(2024, 2, 27, 10))
    today = timezone.localdate().isoformat()
    client.post(
        reverse("consultations:transition", args=[c.pk, "ke-hoach"]),
        {"sent_hdnd_on": today, "sent_mttq_on": today},
    )
    c.refresh_from_db()
    assert c.plan_issued_on == doc.issued_on


def test_comment_detail_of_a_citizen_comment(client, commune, village, staff, mttq):
    c = make_published(commune, staff)
    cm = submit(c)  # no recorded_by, no village
    for user in (staff, mttq):
        client.force_login(user)
        r = client.get(reverse("consultations:comment_detail", args=[c.pk, cm.pk]))
        assert r.status_code == 200 and f"Ý kiến {cm.tracking_code}" in r.content.decode()
        assert "Người dân gửi trên cổng" in r.content.decode()


def test_manage_page_buttons_and_conditions_come_from_the_workflow_table(
    client, commune, village, staff, leader
):
    """The buttons are the table's actions for this state and person; the unmet guards are listed with articles;
    an action only the system performs (opening the window) cannot be posted."""
    from consultations.workflow import CONSULTATION

    orgs(commune)
    c = make_consultation(commune, staff)
    client.force_login(staff)
    manage = reverse("consultations:manage", args=[c.pk])
    page = client.get(manage).content.decode()
    for name in ("ke-hoach", "cong-bo", "van-ban-ke-hoach"):
        assert reverse("consultations:transition", args=[c.pk, name]) in page
    assert "Điều kiện chưa đáp ứng" in page
    for reason in CONSULTATION.problems(c):
        assert str(reason) in page
    assert "Chưa ban hành kế hoạch lấy ý kiến (Điều 28 khoản 1 Luật 10/2022/QH15)." in page
    r = client.post(reverse("consultations:transition", args=[c.pk, "mo"]))
    assert r.status_code == 404
    r = client.post(reverse("consultations:transition", args=[c.pk, "khong-co"]))
    assert r.status_code == 404


def test_manage_page_says_to_sign_the_report_before_publishing_results(client, commune, village, staff, mttq):
    c = make_published(commune, staff)
    tasks.sweep_windows(now=at(2024, 3, 21, 1))
    c = services.consultation_start_synthesis(consultation=Consultation.objects.get(pk=c.pk), by=staff)
    s = services.summary_save(consultation=c, by=mttq, text="Không có ý kiến", now=at(2024, 3, 22))
    services.summary_submit(summary=s, by=mttq, now=at(2024, 3, 22))
    client.force_login(staff)
    manage = reverse("consultations:manage", args=[c.pk])
    page = client.get(manage).content.decode()
    assert "Chưa lập Báo cáo tổng hợp, tiếp thu, giải trình" in page
    r = client.post(
        reverse("consultations:transition", args=[c.pk, "cong-khai-ket-qua"]),
        {"issued_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "Chưa lập Báo cáo tổng hợp" in r.content.decode()
    assert Consultation.objects.get(pk=c.pk).status == Consultation.Status.SYNTHESIS
    client.post(reverse("consultations:transition", args=[c.pk, "van-ban-bao-cao"]))
    page = client.get(manage).content.decode()
    assert "chưa được lãnh đạo ký ban hành" in page
    assert "Cập nhật Báo cáo tổng hợp (văn bản) từ dữ liệu" in page


def test_mttq_summary_form_is_prefilled_from_the_recorded_meetings(client, commune, village, staff, mttq):
    c = make_published(commune, staff)
    for title, attendees, lines in (
        ("Hội nghị thôn Đồng Tâm", 85, "Ý kiến một\nÝ kiến hai"),
        ("Hội nghị MTTQ", 40, "Ý kiến ba"),
    ):
        services.meeting_record(
            consultation=c,
            by=staff,
            title=title,
            held_on=dt.date(2024, 3, 6),
            village=village,
            attendees=attendees,
            comments_text=lines,
            now=at(2024, 3, 6, 15),
        )
    client.force_login(mttq)
    r = client.get(reverse("consultations:review", args=[c.pk]))
    form = r.context["summary_form"]
    assert form.initial["meetings_held"] == 2
    assert form.initial["participants"] == 125
    assert (
        "Hội nghị thôn Đồng Tâm, ngày 06/03/2024 tại thôn Đồng Tâm: 85 người dự, 2 ý kiến."
        in form.initial["text"]
    )
    page = r.content.decode()
    assert 'value="125"' in page and "Đã điền sẵn từ 2 hội nghị" in page
    # Editable: what MTTQ saves wins over the prefill from then on.
    client.post(
        reverse("consultations:summary", args=[c.pk]),
        {"text": "Tổng hợp đã sửa", "meetings_held": 3, "participants": 150},
    )
    form = client.get(reverse("consultations:review", args=[c.pk])).context["summary_form"]
    assert form.initial["meetings_held"] == 3 and form.initial["participants"] == 150


def test_an_accepted_comment_leads_to_the_article_change_and_the_results_show_it(
    client, commune, village, staff, mttq, leader
):
    from tests.consultations.factories import DRAFT, issue_report

    c = make_published(commune, staff)
    article2 = c.versions.get().articles.get(kind="article", number="2")
    cm = submit(c, text="Đề nghị bổ sung nguyên tắc lắng nghe Nhân dân.", article=article2)
    other = submit(c, text="Đề nghị giữ nguyên.")
    tasks.sweep_windows(now=at(2024, 3, 21, 1))
    c = services.consultation_start_synthesis(consultation=Consultation.objects.get(pk=c.pk), by=staff)
    services.comment_answer(
        comment=cm, by=staff, kind=Comment.Answer.ACCEPTED, text="Tiếp thu.", now=at(2024, 3, 22)
    )
    services.comment_answer(
        comment=other, by=staff, kind=Comment.Answer.EXPLAINED, text="Giữ nguyên.", now=at(2024, 3, 22)
    )
    client.force_login(staff)
    detail = client.get(reverse("consultations:comment_detail", args=[c.pk, cm.pk])).content.decode()
    create = reverse("consultations:version_create", args=[c.pk])
    assert f"{create}?y_kien={cm.pk}" in detail  # the nudge: from the accepted comment to the draft
    assert (
        "Sửa dự thảo theo ý kiến"
        not in client.get(reverse("consultations:comment_detail", args=[c.pk, other.pk])).content.decode()
    )
    page = client.get(create, {"y_kien": [cm.pk, other.pk]})
    assert cm.tracking_code in page.content.decode() and other.tracking_code not in page.content.decode()
    new_text = DRAFT.replace(
        "2. Công khai, minh bạch, đúng pháp luật.", "2. Công khai, minh bạch, lắng nghe Nhân dân."
    )
    r = client.post(create, {"draft_text": new_text, "note": "Tiếp thu", "y_kien": [str(cm.pk)]})
    assert r.status_code == 302
    cm.refresh_from_db()
    assert cm.changed_article.version.number == 2
    assert cm.changed_article.label == "Khoản 2 Điều 2. Nguyên tắc thực hiện dân chủ"
    results = client.get(reverse("consultations:results", args=[c.pk])).content.decode()
    assert "Điều khoản đã sửa theo ý kiến" in results and cm.tracking_code in results
    # The public results say it too, once published.
    s = services.summary_save(consultation=c, by=mttq, text="Tổng hợp", now=at(2024, 3, 22))
    services.summary_submit(summary=s, by=mttq, now=at(2024, 3, 22))
    c = issue_report(Consultation.objects.get(pk=c.pk), staff, signer=leader, now=at(2024, 3, 27))
    services.consultation_publish_results(
        consultation=c, by=staff, issued_on=dt.date(2024, 3, 27), now=at(2024, 3, 27)
    )
    client.logout()
    public = client.get(reverse("consultations:public_detail", args=[c.pk])).content.decode()
    assert "Điều khoản đã sửa theo ý kiến" in public
    assert (
        f"<td>Khoản 2 Điều 2. Nguyên tắc thực hiện dân chủ (lần 2)</td><td>{cm.tracking_code}</td>" in public
    )
