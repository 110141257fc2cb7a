import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from consultations import document_specs, services, tasks
from consultations.models import Comment, Consultation
from portal import lookups
from portal.documents.rendering import render_pdf
from portal.documents.services import document_issue
from portal.documents.specs import parse_spec
from portal.models import Organization
from tests.consultations.factories import (
    CLOSES,
    PUBLICIZED,
    SUMMARY_DUE,
    at,
    issue_report,
    make_consultation,
    make_published,
    orgs,
    submit,
)
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
PLAN_DAY = dt.date(2024, 2, 27)


def _unsaved():
    return Consultation(
        title="Dự thảo Quy chế thực hiện dân chủ của xã",
        audience="people",
        category="p7",
        opens_on=PUBLICIZED,
        closes_on=CLOSES,
        summary_due_on=SUMMARY_DUE,
        channels=["online", "meeting"],
        publicized_on=PUBLICIZED,
    )


def test_plan_spec_is_valid_and_carries_the_dates():
    spec = document_specs.plan_spec(
        _unsaved(),
        commune_name="Tân Trung",
        villages=["Đồng Tâm", "Trung Đồng"],
        recipients=["Ủy ban MTTQ xã Tân Trung"],
        on=dt.date(2024, 2, 26),
        signer={"name": "Trần Văn Hùng"},
    )
    parsed = parse_spec(spec)
    assert parsed.fields["doc_type"] == "KH"
    text = str(spec["sections"])
    assert "29/02/2024" in text and "20/03/2024" in text and "Đồng Tâm" in text
    assert spec["tasks"][-1]["lead"] == "Ủy ban MTTQ xã" and spec["tasks"][-1]["due"] == SUMMARY_DUE
    assert spec["signature"]["authority"] == "TM" and spec["signature"]["signer"] == "Trần Văn Hùng"


def test_report_spec_lists_statistics_and_caps_answers():
    stats = {
        "totals": {"total": 400, "duplicates": 2, "no_village": 0},
        "by_channel": [{"label": "Hội nghị", "count": 400}],
        "by_village": [],
        "by_article": [{"label": "Điều 1", "count": 3}],
        "by_answer": [{"label": "Tiếp thu", "count": 398}],
    }
    comments = [
        {"code": f"C{i}", "article": "Điều 1", "text": "t", "answer_label": "Tiếp thu", "answer": "a"}
        for i in range(document_specs.REPORT_COMMENT_LIMIT)
    ]
    spec = document_specs.report_spec(
        _unsaved(),
        commune_name="Tân Trung",
        stats=stats,
        comments=comments,
        comment_total=398,
        meetings=6,
        recipients=["Thường trực HĐND xã Tân Trung"],
        on=dt.date(2024, 3, 27),
    )
    parse_spec(
        {
            **spec,
            "signature": {
                "authority": "TM",
                "organ": "ỦY BAN NHÂN DÂN",
                "position": "CHỦ TỊCH",
                "signer": "A",
            },
        }
    )
    assert spec["type"] == "BC"
    assert "Còn 98 ý kiến khác" in str(spec["sections"])
    assert "**400**" in str(spec["sections"])


def test_plan_document_generated_issued_and_used_for_plan_date(commune, village, staff, leader):
    c = make_consultation(commune, staff)
    c = services.consultation_plan_document(consultation=c, by=staff, now=at(2024, 2, 26))
    assert c.plan_document.status == "draft" and render_pdf(c.plan_document)[:4] == b"%PDF"
    with pytest.raises(ValidationError, match="chưa được lãnh đạo ký"):
        services.consultation_issue_plan(
            consultation=c, by=staff, sent_hdnd_on=PUBLICIZED, sent_mttq_on=PUBLICIZED
        )
    doc = document_issue(document=c.plan_document, by=leader, now=at(2024, 2, 27))
    c = services.consultation_issue_plan(
        consultation=c,
        by=staff,
        sent_hdnd_on=dt.date(2024, 2, 27),
        sent_mttq_on=dt.date(2024, 2, 27),
        now=at(2024, 2, 27),
    )
    assert c.plan_issued_on == doc.issued_on == dt.date(2024, 2, 27)
    with pytest.raises(ValidationError, match="đã được ban hành"):
        services.consultation_plan_document(consultation=c, by=staff)


def test_plan_recipients_name_each_organization_once(commune, village, staff):
    """Issue 10 item 5: the coordinating HĐND and MTTQ are not listed again under a second spelling."""
    found = orgs(commune)
    party = OrganizationFactory(
        unit=commune, kind=Organization.Kind.PARTY_COMMITTEE, name="Đảng ủy xã Tân Trung"
    )
    women = OrganizationFactory(
        unit=commune, kind=Organization.Kind.WOMENS_UNION, name="Hội LHPN xã Tân Trung"
    )
    c = make_consultation(
        commune,
        staff,
        organizers=[
            found[Organization.Kind.PEOPLES_COUNCIL],
            found[Organization.Kind.FATHERLAND_FRONT],
            women,
        ],
    )
    c = services.consultation_plan_document(consultation=c, by=staff, now=at(2024, 2, 26))
    names = [r["name"] for r in c.plan_document.recipients]
    assert names == [
        f"Thường trực {party.name}",
        f"Thường trực {found[Organization.Kind.PEOPLES_COUNCIL].name}",
        found[Organization.Kind.FATHERLAND_FRONT].name,
        women.name,
        "Các thôn",
    ]


def test_recipients_name_an_undeclared_organization_by_its_kind(commune):
    assert lookups.recipients(
        commune, [Organization.Kind.PEOPLES_COUNCIL, Organization.Kind.FATHERLAND_FRONT]
    ) == [
        "Thường trực Hội đồng nhân dân xã",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
    ]


def test_results_are_published_from_the_issued_report_document(commune, village, staff, mttq):
    c = make_published(commune, staff)
    cm = submit(c, village=village)
    tasks.sweep_windows(now=at(2024, 3, 21, 1))
    c = services.consultation_start_synthesis(consultation=Consultation.objects.get(pk=c.pk), by=staff)
    services.comment_answer(
        comment=cm, by=staff, kind=Comment.Answer.ACCEPTED, text="Tiếp thu", now=at(2024, 3, 22)
    )
    s = services.summary_save(consultation=c, by=mttq, text="Tổng hợp", now=at(2024, 3, 22))
    services.summary_submit(summary=s, by=mttq, now=at(2024, 3, 22))
    c = issue_report(c, staff, now=at(2024, 3, 27))
    c = services.consultation_publish_results(
        consultation=c, by=staff, issued_on=dt.date(2024, 3, 27), now=at(2024, 3, 27)
    )
    assert c.report_document is not None and c.report_document.doc_type == "BC"
    assert c.report_document.status == "issued"
    assert render_pdf(c.report_document)[:4] == b"%PDF"


def _pdf_text(document) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(document))).pages)


def test_leader_cannot_sign_a_plan_that_breaks_the_window_rule(client, commune, village, staff, leader):
    from django.urls import reverse

    c = make_consultation(commune, staff, closes_on=CLOSES - dt.timedelta(days=1))  # 19 days
    c = services.consultation_plan_document(consultation=c, by=staff, now=at(2024, 2, 26))
    client.force_login(leader)
    page = client.get(reverse("documents:detail", args=[c.plan_document.pk])).content.decode()
    assert "Chưa ký ban hành được" in page and "Điều 28 khoản 2 Luật 10/2022/QH15" in page
    with pytest.raises(ValidationError, match="Điều 28 khoản 2"):
        document_issue(document=c.plan_document, by=leader, now=at(2024, 2, 27, 10))
    c.plan_document.refresh_from_db()
    assert c.plan_document.status == "draft" and c.plan_document.number is None
    # Staff correct the window: the draft plan follows, and now it can be signed.
    services.consultation_update(consultation=c, by=staff, closes_on=CLOSES, now=at(2024, 2, 26, 15))
    c.refresh_from_db()
    assert "20/03/2024" in str(c.plan_document.sections.values_list("text", flat=True))
    doc = document_issue(document=c.plan_document, by=leader, now=at(2024, 2, 27, 10))
    assert doc.status == "issued" and doc.number == 1


def test_changing_an_issued_plan_drafts_a_new_version_and_the_public_page_names_the_plan_in_force(
    client, commune, village, staff, leader
):
    from django.urls import reverse

    c = make_consultation(commune, staff)
    c = services.consultation_plan_document(consultation=c, by=staff, now=at(2024, 2, 26))
    first = document_issue(document=c.plan_document, by=leader, now=at(2024, 2, 27, 9))
    c = services.consultation_issue_plan(
        consultation=c, by=staff, sent_hdnd_on=PLAN_DAY, sent_mttq_on=PLAN_DAY, now=at(2024, 2, 27, 10)
    )
    assert c.plan_issued_on == PLAN_DAY
    # Staff move the closing date after the plan was signed: not silently — a new version of the plan is drafted.
    client.force_login(staff)
    r = client.post(
        reverse("consultations:edit", args=[c.pk]),
        {
            "title": c.title,
            "audience": "people",
            "category": "p7",
            "summary": "",
            "opens_on": PUBLICIZED.isoformat(),
            "closes_on": "2024-03-22",
            "summary_due_on": SUMMARY_DUE.isoformat(),
            "channels": ["online", "meeting"],
            "responsible": staff.pk,
        },
        follow=True,
    )
    assert "đã lập Kế hoạch sửa đổi (dự thảo phiên bản 2)" in r.content.decode()
    c.refresh_from_db()
    first.refresh_from_db()
    assert first.status == "issued" and "20/03/2024" in _pdf_text(first)  # the signed plan stays as signed
    assert c.plan_document.version == 2 and c.plan_document.previous_id == first.pk
    assert c.plan_document.status == "draft" and c.plan_issued_on is None and c.plan_sent_mttq_on is None
    with pytest.raises(ValidationError, match="Chưa ban hành kế hoạch"):
        services.consultation_publish(consultation=c, by=staff, publicized_on=PUBLICIZED, now=at(2024, 2, 29))
    # The leader signs the new version (its own number); staff send it again; then it is publicized.
    second = document_issue(document=c.plan_document, by=leader, now=at(2024, 2, 28, 9))
    assert second.number == 2 and "22/03/2024" in _pdf_text(second)
    first.refresh_from_db()
    assert first.replaced_by_id == second.pk
    c = services.consultation_issue_plan(
        consultation=Consultation.objects.get(pk=c.pk),
        by=staff,
        sent_hdnd_on=dt.date(2024, 2, 28),
        sent_mttq_on=dt.date(2024, 2, 28),
        now=at(2024, 2, 28, 10),
    )
    services.consultation_publish(consultation=c, by=staff, publicized_on=PUBLICIZED, now=at(2024, 2, 29))
    client.logout()
    page = client.get(reverse("consultations:public_detail", args=[c.pk])).content.decode()
    assert "Theo Kế hoạch số 02/KH-UBND ngày 28/02/2024" in page
    assert "thay thế Kế hoạch số 01/KH-UBND ngày 27/02/2024" in page
    assert "22/03/2024" in page


def test_decision_document_carries_the_regulation_from_the_last_draft_version_as_annex(
    commune, village, staff, leader, mttq
):
    from tests.consultations.factories import issue_decision

    c = make_published(commune, staff)
    cm = submit(c, text="Đề nghị bổ sung nguyên tắc lắng nghe Nhân dân.")
    tasks.sweep_windows(now=at(2024, 3, 21, 1))
    c = services.consultation_start_synthesis(consultation=Consultation.objects.get(pk=c.pk), by=staff)
    # The accepted change goes into a new draft version: the decision takes that version, not the first one.
    services.draft_version_create(
        consultation=c,
        by=staff,
        draft_text=(
            "Chương I. QUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\nQuy chế này quy định việc thực hiện dân chủ.\n"
            "Điều 2. Nguyên tắc thực hiện dân chủ\n1. Bảo đảm sự lãnh đạo của Đảng.\n"
            "2. Lắng nghe, tiếp thu ý kiến của Nhân dân."
        ),
        note="Tiếp thu ý kiến",
        now=at(2024, 3, 22),
    )
    services.comment_answer(
        comment=cm, by=staff, kind=Comment.Answer.ACCEPTED, text="Tiếp thu", now=at(2024, 3, 22)
    )
    s = services.summary_save(consultation=c, by=mttq, text="Tổng hợp", now=at(2024, 3, 22))
    services.summary_submit(summary=s, by=mttq, now=at(2024, 3, 22))
    c = issue_report(c, staff, signer=leader, now=at(2024, 3, 27))
    c = services.consultation_publish_results(
        consultation=c, by=staff, issued_on=dt.date(2024, 3, 27), now=at(2024, 3, 27)
    )
    c = services.consultation_decision_document(consultation=c, by=staff, now=at(2024, 4, 1, 8))
    draft = c.decision_document
    assert draft.doc_type == "QĐ" and draft.number is None and draft.sig_signer
    text = _pdf_text(draft)
    assert "QUYẾT ĐỊNH" in text and "Ban hành Quy chế thực hiện dân chủ của xã" in text
    assert f"Báo cáo số {c.report_document.number_line_value()}" in text
    assert "QUY CHẾ" in text and "Chương I" in text
    assert "Lắng nghe, tiếp thu ý kiến của Nhân dân" in text  # the last version, with the accepted change
    c = issue_decision(c, staff, signer=leader, now=at(2024, 4, 1, 9))
    text = _pdf_text(c.decision_document)
    number = c.decision_document.number_line_value()
    assert number.endswith("/QĐ-UBND") and f"Số: {number}" in text
    assert f"Ban hành kèm theo Quyết định số {number} ngày 01/04/2024" in " ".join(text.split())
    c = services.consultation_adopt(
        consultation=c, by=leader, hdnd_session_on=dt.date(2024, 7, 10), now=at(2024, 4, 1, 10)
    )
    assert c.decision_number == number and c.decision_date == dt.date(2024, 4, 1)
    assert "Lắng nghe, tiếp thu ý kiến của Nhân dân" in c.final_text


def test_report_pdf_draws_its_figures_as_charts_beside_the_tables(commune, village, staff, mttq):
    """The BÁO CÁO prints a bar chart above each table of figures (by channel, village, article, answer)."""
    from portal.documents.rendering import render_html

    c = make_published(commune, staff)
    for n in range(3):
        submit(c, village=village, text=f"Ý kiến {n}")
    tasks.sweep_windows(now=at(2024, 3, 21, 1))
    c = services.consultation_start_synthesis(consultation=Consultation.objects.get(pk=c.pk), by=staff)
    c = issue_report(c, staff, now=at(2024, 3, 27))
    html = render_html(c.report_document, for_pdf=True)
    assert html.count('<svg class="chart"') == 4
    assert "Biểu đồ: Số ý kiến theo hình thức" in html and "Biểu đồ: Số ý kiến theo thôn" in html
    text = _pdf_text(c.report_document)
    # The village's name is printed twice: once as a bar's label in the chart, once in the table beside it.
    assert text.count(village.name) >= 2 and "Số ý kiến" in text


def test_a_chart_needs_numbers_in_its_second_column():
    from portal.documents.specs import SpecError

    spec = {
        "format": "portal-document/1",
        "type": "BC",
        "place": "Tân Trung",
        "date": dt.date(2024, 3, 27),
        "title": "Kết quả",
        "sections": [
            {"table": {"columns": ["Thôn", "Số ý kiến"], "rows": [["Đồng Tâm", "mười"]], "chart": "bar"}}
        ],
    }
    with pytest.raises(SpecError) as exc:
        parse_spec(spec)
    assert "phải là số để vẽ biểu đồ" in str(exc.value)
    spec["sections"][0]["table"]["rows"] = [["Đồng Tâm", "10"]]
    spec["sections"][0]["table"]["chart"] = "pie"
    with pytest.raises(SpecError) as exc:
        parse_spec(spec)
    assert "biểu đồ cột" in str(exc.value)
