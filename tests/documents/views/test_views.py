import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.documents.models import Document, Section
from portal.documents.services import document_create_from_spec, document_issue
from tests.documents.factories import minimal_spec
from tests.factories import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def draft(commune, orgs, staff):
    return document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=staff, commune=commune)


@pytest.mark.django_db
def test_other_commune_gets_404(client, draft, other_staff):
    login(client, other_staff)
    for name in ("detail", "pdf", "docx", "preview"):
        assert client.get(reverse(f"documents:{name}", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("documents:list")).content.decode()


@pytest.mark.django_db
def test_village_head_reads_only_issued_and_cannot_edit(client, draft, village_head, leader):
    login(client, village_head)
    assert client.get(reverse("documents:detail", args=[draft.pk])).status_code == 404
    document_issue(document=draft, by=leader)
    assert client.get(reverse("documents:detail", args=[draft.pk])).status_code == 200
    section = Section.objects.filter(document=draft).first()
    r = client.post(reverse("documents:section_edit", args=[section.pk]), {"heading": "X", "text": ""})
    assert r.status_code == 403


@pytest.mark.django_db
def test_only_leader_issues(client, draft, staff, leader):
    login(client, staff)
    assert client.post(reverse("documents:issue", args=[draft.pk])).status_code == 403
    assert Document.objects.get(pk=draft.pk).status == "draft"
    client.logout()
    login(client, leader)
    r = client.post(reverse("documents:issue", args=[draft.pk]))
    assert r.status_code == 302
    doc = Document.objects.get(pk=draft.pk)
    assert doc.status == "issued" and doc.number == 1


@pytest.mark.django_db
def test_staff_edits_sections_and_moves(client, draft, staff):
    login(client, staff)
    url = reverse("documents:section_add", args=[draft.pk])
    client.post(url, {"kind": "section", "heading": "KINH PHÍ", "text": ""})
    new = Section.objects.get(document=draft, heading="KINH PHÍ")
    client.post(reverse("documents:section_move", args=[new.pk]), {"direction": "up"})
    page = client.get(reverse("documents:detail", args=[draft.pk])).content.decode()
    assert page.index("KINH PHÍ") < page.index("TỔ CHỨC THỰC HIỆN")
    preview = client.get(reverse("documents:preview", args=[draft.pk])).content.decode()
    assert "II. KINH PHÍ" in preview and "III. TỔ CHỨC THỰC HIỆN" in preview
    r = client.post(
        reverse("documents:task_add", args=[draft.pk]),
        {
            "lead": "Công an xã",
            "description": "Bảo đảm an ninh",
            "due_kind": "before",
            "due_value": "26/03/2026",
        },
    )
    assert r.status_code == 302 and draft.tasks.filter(lead="Công an xã", due_kind="before").exists()
    assert client.get(reverse("documents:pdf", args=[draft.pk]))["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_create_view(client, commune, orgs, staff):
    login(client, staff)
    r = client.post(
        reverse("documents:create"),
        {
            "doc_type": "TB",
            "issuer": orgs["UBND"].pk,
            "title": "Thông báo lịch tiếp công dân",
            "place": "Tân Trung",
            "preamble_style": "plain",
            "level3": "1.1.",
            "archive": "Lưu: VT",
            "sig_authority": "KT",
            "sig_head": "CHỦ TỊCH",
            "sig_position": "PHÓ CHỦ TỊCH",
            "sig_signer": "Lê Minh Tuấn",
            "recipients_text": "UBND tỉnh (b/c)\nCác thôn",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    doc = Document.objects.get(title="Thông báo lịch tiếp công dân")
    assert doc.commune_id == commune.pk and doc.recipients[0] == {"name": "UBND tỉnh", "note": "(b/c)"}


@pytest.mark.django_db
def test_list_query_count_constant(client, commune, orgs, staff):
    login(client, staff)
    url = reverse("documents:list")

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    for _ in range(3):
        document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=None, commune=commune)
    small = count()
    for _ in range(25):
        document_create_from_spec(spec=minimal_spec(), issuer=orgs["ĐU"], by=None, commune=commune)
    assert count() == small


@pytest.mark.django_db
def test_task_edit_roundtrip(client, draft, staff):
    login(client, staff)
    task = draft.tasks.get()
    page = client.get(reverse("documents:detail", args=[draft.pk])).content.decode()
    assert 'value="20/03/2026"' in page  # the edit form is prefilled with the due date
    r = client.post(
        reverse("documents:task_edit", args=[task.pk]),
        {
            f"t{task.pk}-lead": "Văn phòng",
            f"t{task.pk}-description": "Làm việc A",
            f"t{task.pk}-due_kind": "quarter",
            f"t{task.pk}-due_value": "II/2026",
        },
    )
    assert r.status_code == 302
    task.refresh_from_db()
    assert (task.due_kind, task.quarter, task.year, task.due_date) == ("quarter", 2, 2026, None)
    r = client.post(
        reverse("documents:task_edit", args=[task.pk]),
        {
            f"t{task.pk}-lead": "Văn phòng",
            f"t{task.pk}-description": "Làm việc A",
            f"t{task.pk}-due_kind": "period",
            f"t{task.pk}-due_value": "29/02/2026 - 20/03/2026",
        },
    )
    task.refresh_from_db()
    assert task.due_kind == "quarter"  # 29/02/2026 does not exist: refused, unchanged


@pytest.mark.django_db
def test_progress_report_with_evidence(client, draft, staff, leader, other_staff, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    doc = document_issue(document=draft, by=leader)
    task = doc.tasks.get()
    login(client, staff)
    url = reverse("documents:task_report", args=[task.pk])
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    client.post(url, {"text": "Đã làm", "evidence": bad})
    assert not task.reports.exists()
    good = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(url, {"text": "Đã tổ chức hội nghị", "evidence": good, "completes": "on"})
    report = task.reports.get()
    task.refresh_from_db()
    assert task.done_at is not None
    r = client.get(reverse("documents:evidence", args=[report.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 test"
    client.logout()
    login(client, other_staff)
    assert client.get(reverse("documents:evidence", args=[report.pk])).status_code == 404


@pytest.mark.django_db
def test_list_filters(client, commune, orgs, staff, leader):
    document_create_from_spec(
        spec=minimal_spec(title="Kế hoạch đối thoại"), issuer=orgs["UBND"], by=staff, commune=commune
    )
    report = document_create_from_spec(
        spec=minimal_spec(type="BC", title="Báo cáo công khai"),
        issuer=orgs["UBND"],
        by=staff,
        commune=commune,
    )
    document_issue(document=report, by=leader)
    login(client, staff)
    url = reverse("documents:list")
    page = client.get(url, {"loai": "BC"}).content.decode()
    assert "Báo cáo công khai" in page and "Kế hoạch đối thoại" not in page
    page = client.get(url, {"q": "01/BC"}).content.decode()
    assert "Báo cáo công khai" in page and "Kế hoạch đối thoại" not in page
    page = client.get(url, {"q": "đối thoại", "status": "draft"}).content.decode()
    assert "Kế hoạch đối thoại" in page and "Báo cáo công khai" not in page
    assert "Kế hoạch đối thoại" not in client.get(url, {"mau": "1"}).content.decode()


@pytest.mark.django_db
def test_party_download_filename(client, commune, orgs, staff, leader):
    doc = document_create_from_spec(spec=minimal_spec(), issuer=orgs["ĐU"], by=None, commune=commune)
    document_issue(document=doc, by=None)
    login(client, staff)
    r = client.get(reverse("documents:docx", args=[doc.pk]))
    assert r.status_code == 200
    assert "filename*=utf-8''van-ban-01-KH-%C4%90U.docx" in r["Content-Disposition"]


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", ["model", "own"])
def test_overseer_creates_model_or_own_document(purpose, client, commune, overseer):
    from portal.models import Organization
    from tests.factories import OrganizationFactory

    org = OrganizationFactory(
        unit=commune.parent,
        kind=Organization.Kind.PEOPLES_COMMITTEE,
        name="Ủy ban nhân dân tỉnh",
        short_name="UBND",
    )
    login(client, overseer)
    form = client.get(reverse("documents:create")).content.decode()
    assert "Kế hoạch mẫu cho các xã" in form and "Văn bản của đơn vị" in form  # the choice is asked
    r = client.post(
        reverse("documents:create"),
        {
            "doc_type": "KH",
            "issuer": org.pk,
            "title": "Kế hoạch mẫu thực hiện dân chủ",
            "place": "Bắc Ninh",
            "preamble_style": "plain",
            "level3": "1.1.",
            "archive": "Lưu: VT",
            "sig_authority": "TM",
            "sig_organ": "ỦY BAN NHÂN DÂN",
            "sig_position": "CHỦ TỊCH",
            "sig_signer": "Nguyễn Văn A",
            "purpose": purpose,
        },
    )
    assert r.status_code == 302
    doc = Document.objects.get(title="Kế hoạch mẫu thực hiện dân chủ")
    assert doc.commune_id is None and doc.unit_id == commune.parent_id and doc.purpose == purpose


@pytest.mark.django_db
def test_bundle_request_enqueues(client, commune, orgs, staff, leader, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "portal.documents.tasks.enqueue_render_bundle", lambda ids, uid: calls.append((ids, uid))
    )
    doc = document_issue(
        document=document_create_from_spec(
            spec=minimal_spec(), issuer=orgs["UBND"], by=None, commune=commune
        ),
        by=None,
    )
    document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=None, commune=commune)  # a draft
    login(client, staff)
    assert client.post(reverse("documents:bundle_request")).status_code == 302
    assert calls == [([doc.pk], staff.pk)]


@pytest.mark.django_db
def test_create_letter_with_addressees_then_edit_numbering(client, commune, orgs, staff):
    login(client, staff)
    r = client.post(
        reverse("documents:create"),
        {
            "doc_type": "CV",
            "issuer": orgs["UBND"].pk,
            "letter_unit": "VX",
            "title": "niêm yết dự thảo",
            "place": "Tân Trung",
            "preamble_style": "plain",
            "level3": "1.1.",
            "archive": "Lưu: VT",
            "sig_authority": "KT",
            "sig_head": "CHỦ TỊCH",
            "sig_position": "PHÓ CHỦ TỊCH",
            "sig_signer": "Lê Minh Tuấn",
            "addressees_text": "Trưởng các thôn;\nĐài truyền thanh xã",
            "recipients_text": "Như trên",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    doc = Document.objects.get(title="niêm yết dự thảo")
    assert doc.addressees == ["Trưởng các thôn", "Đài truyền thanh xã"] and doc.numbering == "roman"
    data = {
        "doc_type": "QĐ",
        "issuer": orgs["UBND"].pk,
        "title": "Ban hành Quy chế",
        "place": "Tân Trung",
        "preamble_style": "italic",
        "level3": "1.1.",
        "archive": "Lưu: VT",
        "sig_authority": "TM",
        "sig_organ": "ỦY BAN NHÂN DÂN",
        "sig_position": "CHỦ TỊCH",
        "sig_signer": "Trần Văn Hùng",
        "numbering": "articles",
        "enacting_authority": "ỦY BAN NHÂN DÂN XÃ TÂN TRUNG",
        "addressees_text": "",
    }
    r = client.post(reverse("documents:edit", args=[doc.pk]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    doc.refresh_from_db()
    assert (doc.numbering, doc.addressees, doc.enacting_line()) == ("articles", [], "QUYẾT ĐỊNH:")
    html = client.get(reverse("documents:preview", args=[doc.pk])).content.decode()
    assert "ỦY BAN NHÂN DÂN XÃ TÂN TRUNG" in html and "QUYẾT ĐỊNH:" in html


@pytest.mark.django_db
def test_each_task_row_labels_its_own_controls(client, commune, orgs, staff, leader):
    import re

    spec = minimal_spec()
    spec["tasks"] = [
        {"lead": "Văn phòng", "do": "Làm việc A", "due": "2026-03-20"},
        {"lead": "Văn hóa - Xã hội", "do": "Làm việc B", "due": "2026-04-20"},
    ]
    doc = document_issue(
        document=document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=staff, commune=commune),
        by=leader,
    )
    html = login(client, staff).get(reverse("documents:detail", args=[doc.pk])).content.decode()
    ids = re.findall(r'\bid="(id_[^"]+)"', html)
    assert len([i for i in ids if i.startswith("id_report")]) >= 2  # a report form on each task row
    assert len(ids) == len(set(ids)), "duplicate element ids break label/control pairs"
