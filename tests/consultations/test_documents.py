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
