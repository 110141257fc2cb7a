import datetime as dt
import io

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.documents.models import Document
from portal.documents.rendering import render_pdf
from portal.publicity import register, services
from portal.publicity.models import Form, InformationRequest
from tests.consultations.factories import orgs
from tests.publicity.factories import DECIDED, at, make_budget, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _text(document) -> str:
    """The PDF's running text, then each table cell on its own (cells wrap inside their column)."""
    with pdfplumber.open(io.BytesIO(render_pdf(document))) as pdf:
        parts = [" ".join((p.extract_text() or "").split()) for p in pdf.pages]
        for page in pdf.pages:
            for table in page.extract_tables():
                parts += [" ".join((cell or "").split()) for row in table for cell in row]
        return " | ".join(parts)


def test_quarterly_list_document_lists_what_was_publicized_with_forms_and_times(
    commune, village, staff, leader, radio
):
    orgs(commune)
    pub = make_budget(commune, staff, title="Dự toán ngân sách xã năm 2026")
    on_air = pub.postings.get(kind="radio")
    for day in (3, 4, 5):
        services.posting_log_broadcast(
            posting=on_air, by=radio, broadcast_on=dt.date(2026, 3, day), now=at(2026, 3, 6)
        )
    make_budget(
        commune, staff, title="Quyết toán năm 2025", decided_on=dt.date(2026, 4, 6), now=at(2026, 4, 6)
    )
    doc = register.quarterly_list_document(
        commune=commune, year=2026, quarter=1, by=staff, now=at(2026, 4, 1)
    )
    assert doc.doc_type == "TB" and doc.status == Document.Status.DRAFT and doc.commune == commune
    text = _text(doc)
    assert "Quý I/2026" in text and "Dự toán ngân sách xã năm 2026" in text and "Điều 11 khoản 2" in text
    assert "Quyết toán" not in text  # second quarter
    assert "(3 ngày liên tục)" in text and "Từ 02/03/2026 đến 01/04/2026" in text
    with pytest.raises(ValidationError):
        register.quarterly_list_document(commune=commune, year=2026, quarter=5, by=staff)


def test_plan_is_data_and_renders_as_ke_hoach(commune, staff, village_head):
    orgs(commune)
    with pytest.raises(ValidationError) as exc:
        register.plan_entry_add(
            commune=commune, year=2026, item=0, content="", timing="", responsible="", by=staff
        )
    assert set(exc.value.message_dict) == {"item", "content", "timing", "responsible"}
    entry = register.plan_entry_add(
        commune=commune,
        year=2026,
        item=9,
        content="Danh sách công dân gọi nhập ngũ",
        timing="Trong 5 ngày làm việc từ khi có quyết định",
        responsible="Ban Chỉ huy Quân sự xã",
        by=staff,
    )
    assert entry.forms == [Form.POSTING, Form.PORTAL, Form.RADIO, Form.VILLAGE_HEAD]
    assert "30 ngày" in entry.duration and "3 ngày" in entry.duration
    with pytest.raises(ValidationError, match="chưa có nội dung"):
        register.plan_document(commune=commune, year=2027, by=staff)
    doc = register.plan_document(commune=commune, year=2026, by=staff, now=at(2026, 1, 5))
    assert doc.doc_type == "KH"
    text = _text(doc)
    assert (
        "KẾ HOẠCH" in text and "Danh sách công dân gọi nhập ngũ" in text and "Ban Chỉ huy Quân sự xã" in text
    )


def test_hdnd_report_counts_from_the_register(commune, village, staff):
    orgs(commune)
    make_budget(commune, staff)
    register.information_request_record(
        commune=commune,
        requester="Nguyễn Văn A",
        reason=InformationRequest.Reason.EXPIRED,
        text="Xin bản dự toán năm 2025",
        received_on=dt.date(2026, 3, 10),
        by=staff,
        now=at(2026, 3, 10),
    )
    doc = register.hdnd_report_document(
        commune=commune,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        session_on=dt.date(2026, 7, 10),
        by=staff,
        now=at(2026, 7, 1),
    )
    text = _text(doc)
    assert "đã công khai 1 nội dung" in text and "tiếp nhận 1, đã trả lời 0" in text
    assert "quá hạn chưa thực hiện" in text


def test_information_request_logged_and_answered(commune, staff):
    with pytest.raises(ValidationError) as exc:
        register.information_request_record(
            commune=commune, requester=" ", reason="x", text="", received_on=dt.date(2020, 1, 1), by=staff
        )
    assert set(exc.value.message_dict) == {"requester", "reason", "text", "received_on"}
    req = register.information_request_record(
        commune=commune,
        requester="Trần Thị B",
        reason=InformationRequest.Reason.NOT_YET,
        text="Kết quả bình xét hộ nghèo",
        received_on=dt.date(2026, 3, 10),
        by=staff,
        now=at(2026, 3, 10),
    )
    with pytest.raises(ValidationError):
        register.information_request_answer(
            request=req, answer="", answered_on=dt.date(2026, 3, 11), by=staff, now=at(2026, 3, 11)
        )
    req = register.information_request_answer(
        request=req, answer="Đã gửi bản sao", answered_on=dt.date(2026, 3, 11), by=staff, now=at(2026, 3, 11)
    )
    assert req.status == InformationRequest.Status.ANSWERED and req.answered_by == staff


def test_public_commune_page_lists_publications_by_item_current_and_archived(client, commune, village, staff):
    today = timezone.localdate()
    current = make_budget(commune, staff, decided_on=today, now=timezone.now())
    old = make_budget(
        commune,
        staff,
        title="Quyết toán ngân sách năm trước",
        decided_on=today - dt.timedelta(days=90),
        now=timezone.now() - dt.timedelta(days=90),
    )
    rules_pub = make_budget(
        commune,
        staff,
        item=4,
        title="Quy chế thực hiện dân chủ xã",
        decided_on=today - dt.timedelta(days=400),
        now=timezone.now() - dt.timedelta(days=400),
    )
    html = client.get(reverse("commune_public", args=[commune.code])).content.decode()
    assert "Công khai" in html
    budget = html.index("2. Dự toán, quyết toán")
    assert html.index(current.title) > budget and html.index(old.title) > budget
    assert "Đã hết thời hạn công khai (1)" in html
    assert html.index("4. Quy chế thực hiện dân chủ") > budget and rules_pub.title in html  # by item
    assert "thường xuyên" in html
    assert reverse("publicity:file", args=[current.pk]) in html
    assert client.get(reverse("publicity:file", args=[current.pk])).status_code == 200


def test_staff_publicize_from_the_register_with_a_pdf_or_an_issued_document(
    client, commune, village, staff, leader
):
    orgs(commune)
    client.force_login(staff)
    url = reverse("publicity:create")
    assert client.get(url).status_code == 200
    today = timezone.localdate().isoformat()
    fake = pdf_upload()
    fake.file = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.size = 40
    r = client.post(url, {"item": "2", "title": "Dự toán", "decided_on": today, "file": fake})
    assert r.status_code == 200 and "PDF" in r.content.decode()
    r = client.post(
        url,
        {
            "item": "2",
            "title": "Dự toán ngân sách",
            "decided_on": today,
            "file": pdf_upload(),
            "extra_forms": ["radio"],
        },
    )
    assert r.status_code == 302
    pub = services.Publication.objects.get(title="Dự toán ngân sách")
    assert Form.RADIO in pub.forms and pub.postings.filter(kind="radio").exists()
    page = client.get(reverse("publicity:register")).content.decode()
    assert "Dự toán ngân sách" in page


def test_register_list_query_count_is_constant(client, commune, village, staff):
    client.force_login(staff)
    url = reverse("publicity:register")
    make_budget(commune, staff, decided_on=timezone.localdate(), now=timezone.now())
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(20):
        make_budget(
            commune, staff, title=f"Nội dung {i}", decided_on=timezone.localdate(), now=timezone.now()
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("/cong-khai/") >= 21
    assert len(many) == len(few)


def test_register_pages_answer_for_staff_and_404_for_others(client, commune, staff, village_head, mttq):
    orgs(commune)
    urls = [
        reverse("publicity:register"),
        reverse("publicity:create"),
        reverse("publicity:plan", args=[2026]),
        reverse("publicity:quarterly"),
        reverse("publicity:report"),
        reverse("publicity:requests"),
    ]
    client.force_login(staff)
    for url in urls:
        assert client.get(url).status_code == 200, url
    for user in (village_head, mttq):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url


def test_public_commune_page_links_each_publication_to_where_a_citizen_reads_it(
    client, commune, village, staff
):
    """A consultation publicized without a PDF links to its public page; a draft subject links nowhere."""
    from consultations.models import Consultation
    from tests.consultations.factories import make_consultation, make_published

    published = make_published(commune, staff, title="Dự thảo Quy chế A")
    draft = make_consultation(commune, staff, title="Dự thảo Quy chế B")
    services.publication_create(
        commune=commune,
        title="Kế hoạch lấy ý kiến B",
        item=11,
        decided_on=DECIDED,
        subject=draft,
        phase="plan",
        by=staff,
        now=at(2026, 3, 2),
    )
    page = client.get(reverse("commune_public", args=[commune.code])).content.decode()
    start = page.index('id="panel-pub-register"')
    html = page[start : page.find('<section class="card panel"', start)]  # the "Công khai" panel only
    url = reverse("consultations:public_detail", args=[published.pk])
    assert f'href="{url}"' in html
    assert client.get(url).status_code == 200
    assert (
        reverse("consultations:public_detail", args=[draft.pk]) not in html
        and "Kế hoạch lấy ý kiến B" in html
    )
    assert Consultation.objects.get(pk=draft.pk).status == Consultation.Status.DRAFT

    # The links cost one query per subject model, not one per publication.
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("commune_public", args=[commune.code]))
    for n in range(4):
        make_published(commune, staff, title=f"Dự thảo Quy chế C{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("commune_public", args=[commune.code]))
    assert len(many) == len(few)
