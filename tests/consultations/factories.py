"""Consultation test data, made through the services."""

import datetime as dt
import zoneinfo

from consultations import services
from consultations.models import Audience, Category, Channel
from portal.models import Organization
from tests.factories import OrganizationFactory

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

DRAFT = """Chương I. QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy chế này quy định việc thực hiện dân chủ trong hoạt động của Ủy ban nhân dân xã.
Điều 2. Nguyên tắc thực hiện dân chủ
1. Bảo đảm sự lãnh đạo của Đảng.
2. Công khai, minh bạch, đúng pháp luật.
Chương II. NỘI DUNG CÔNG KHAI
Điều 3. Nội dung công khai
Các nội dung quy định tại Điều 11 Luật Thực hiện dân chủ ở cơ sở.
"""

# Tân Trung 2024: plan issued 27/02, publicized 29/02, window to 20/03, MTTQ summary before 26/03.
PLAN_ISSUED = dt.date(2024, 2, 27)
PUBLICIZED = dt.date(2024, 2, 29)
CLOSES = dt.date(2024, 3, 20)
SUMMARY_DUE = dt.date(2024, 3, 25)


def at(y, m, d, hour=9, minute=0):
    return dt.datetime(y, m, d, hour, minute, tzinfo=TZ)


def orgs(commune):
    found = {o.kind: o for o in Organization.objects.filter(unit=commune)}
    for kind, short in (
        (Organization.Kind.PEOPLES_COMMITTEE, "UBND"),
        (Organization.Kind.FATHERLAND_FRONT, "MTTQ"),
        (Organization.Kind.TRADE_UNION, "CĐ"),
        (Organization.Kind.PEOPLES_COUNCIL, "HĐND"),
    ):
        if kind not in found:
            found[kind] = OrganizationFactory(
                unit=commune, kind=kind, short_name=short, name=f"{short} xã {commune.name}"
            )
    return found


def make_consultation(
    commune,
    by,
    *,
    audience=Audience.PEOPLE,
    opens_on=PUBLICIZED,
    closes_on=CLOSES,
    summary_due_on=SUMMARY_DUE,
    draft=DRAFT,
    now=None,
    **kw,
):
    orgs(commune)
    category = Category.P7 if audience == Audience.PEOPLE else Category.A8
    return services.consultation_create(
        commune=commune,
        by=by,
        title=kw.pop("title", "Dự thảo Quy chế thực hiện dân chủ của xã"),
        category=category,
        audience=audience,
        opens_on=opens_on,
        closes_on=closes_on,
        summary_due_on=summary_due_on,
        channels=[Channel.ONLINE, Channel.MEETING],
        draft_text=draft,
        now=now or at(2024, 2, 20),
        **kw,
    )


def make_published(commune, by, *, now=None, **kw):
    c = make_consultation(commune, by, **kw)
    services.consultation_issue_plan(
        consultation=c,
        by=by,
        issued_on=PLAN_ISSUED,
        sent_hdnd_on=PLAN_ISSUED,
        sent_mttq_on=PLAN_ISSUED,
        sent_union_on=PLAN_ISSUED,
        now=at(2024, 2, 27),
    )
    return services.consultation_publish(
        consultation=c, by=by, publicized_on=c.opens_on, now=now or at(2024, 2, 29)
    )


def submit(c, text="Đề nghị bổ sung quy định về tiếp công dân.", token=None, now=None, **kw):
    import uuid

    return services.comment_submit(
        consultation=c, text=text, form_token=token or uuid.uuid4().hex, now=now or at(2024, 3, 5), **kw
    )


def issue_report(c, by, *, now=None, signer=None):
    """Staff draft the BÁO CÁO tổng hợp, tiếp thu, giải trình; the leader (``signer``; None = the system) signs it."""
    from portal.documents.services import document_issue, document_update_fields

    now = now or at(2024, 3, 27)
    c = services.consultation_report_document(consultation=c, by=by, now=now)
    if not c.report_document.sig_signer:  # no leader in this test's commune
        document_update_fields(document=c.report_document, by=None, now=now, sig_signer="Trần Văn Hùng")
    document_issue(document=c.report_document, by=signer, now=now)
    c.refresh_from_db()
    return c


def issue_decision(c, by, *, now, signer=None):
    """Staff generate the QUYẾT ĐỊNH ban hành (the regulation as annex); the leader (``signer``) signs it."""
    from portal.documents.services import document_issue, document_update_fields

    c = services.consultation_decision_document(consultation=c, by=by, now=now)
    if not c.decision_document.sig_signer:
        document_update_fields(document=c.decision_document, by=None, now=now, sig_signer="Trần Văn Hùng")
    document_issue(document=c.decision_document, by=signer, now=now)
    c.refresh_from_db()
    return c
