"""The consultation's KẾ HOẠCH and BÁO CÁO, generated from its data through the documents engine."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consultations import document_specs
from consultations.models import Comment, Consultation
from portal import lookups
from portal.audit import audit_record
from portal.documents.models import Document
from portal.documents.services import (
    document_create_from_spec,
    document_new_version,
    document_update_from_spec,
)
from portal.models import Organization

from ._base import lock, require_perm, today_of


def _signer(commune_id: int) -> dict:
    signer = lookups.signer(commune_id)
    return signer.as_spec() if signer else {}


def _issuer(consultation: Consultation) -> Organization:
    return lookups.peoples_committee(consultation.commune_id)


def _recipients(consultation: Consultation, *, extra=()) -> list[str]:
    """Nơi nhận: HĐND and the reviewing organization (MTTQ, or the trade union for staff) get the plan and the report
    (Điều 28 khoản 1, 4); the Đảng ủy is informed; coordinating organizations follow, each organization once."""
    kind = Organization.Kind
    reviewer = kind.FATHERLAND_FRONT if consultation.is_people else kind.TRADE_UNION
    kinds = [kind.PARTY_COMMITTEE, kind.PEOPLES_COUNCIL, reviewer]
    return lookups.recipients(consultation.commune_id, kinds, extra=extra)


def _save(consultation: Consultation, field: str, spec: dict, *, by, now) -> Consultation:
    existing = getattr(consultation, field)
    if existing is not None and existing.status != existing.Status.DRAFT:
        raise ValidationError("Văn bản đã được ban hành; không tạo lại được.")
    if existing is None:
        document = document_create_from_spec(
            spec=spec, issuer=_issuer(consultation), by=by, commune=consultation.commune, now=now
        )
        setattr(consultation, field, document)
        consultation.save(update_fields=[field])
    else:
        document = document_update_from_spec(document=existing, spec=spec, by=by, now=now)
    audit_record(
        actor=by, action=f"consultation.{field}", obj=consultation, now=now, changes={field: document.pk}
    )
    return consultation


@transaction.atomic
def consultation_plan_document(
    *, consultation: Consultation, by, now: dt.datetime | None = None
) -> Consultation:
    """Create (or refresh, while still a draft) the KẾ HOẠCH lấy ý kiến from the consultation's data."""
    now = now or timezone.now()
    require_perm(by, "consultations.change_consultation", consultation)
    consultation = lock(consultation)
    return _save(consultation, "plan_document", _plan_spec(consultation, now), by=by, now=now)


def _plan_spec(consultation: Consultation, now) -> dict:
    villages = list(lookups.villages(consultation.commune_id).values_list("name", flat=True))
    return document_specs.plan_spec(
        consultation,
        commune_name=consultation.commune.name,
        villages=villages,
        recipients=_recipients(consultation, extra=consultation.organizers.order_by("pk")),
        on=today_of(now),
        signer=_signer(consultation.commune_id),
    )


def plan_revise(*, consultation: Consultation, by, now, changes: dict) -> Document | None:
    """The plan's facts changed (inside the caller's transaction, the row locked): the KẾ HOẠCH follows.

    A draft plan is refreshed. An issued plan stays as it was signed and a new version (Decree 30: a correction is a
    new document) is drafted from the new facts; the consultation then waits for it to be signed and sent again
    (``plan_issued_on`` and the sending dates are cleared: publishing is refused until then). Returns the new
    version, or None when no issued plan was replaced."""
    plan = consultation.plan_document
    revised = None
    if plan is not None:
        if plan.status != plan.Status.DRAFT:
            revised = document_new_version(document=plan, by=by, now=now)
            consultation.plan_document = revised
            consultation.save(update_fields=["plan_document"])
        document_update_from_spec(
            document=consultation.plan_document, spec=_plan_spec(consultation, now), by=by, now=now
        )
    if consultation.plan_issued_on is not None:
        old = [
            consultation.plan_issued_on,
            consultation.plan_sent_hdnd_on,
            consultation.plan_sent_mttq_on,
            consultation.plan_sent_union_on,
        ]
        consultation.plan_issued_on = None
        consultation.plan_sent_hdnd_on = consultation.plan_sent_mttq_on = consultation.plan_sent_union_on = (
            None
        )
        consultation.save(
            update_fields=["plan_issued_on", "plan_sent_hdnd_on", "plan_sent_mttq_on", "plan_sent_union_on"]
        )
        audit_record(
            actor=by,
            action="consultation.plan_revised",
            obj=consultation,
            now=now,
            changes={
                "plan": [old, None],
                "replaced": plan.number_line_value() if plan is not None and plan.number else None,
                "new_version": revised.pk if revised else None,
                **changes,
            },
        )
    return revised


@transaction.atomic
def consultation_report_document(
    *, consultation: Consultation, by, now: dt.datetime | None = None
) -> Consultation:
    """Create (or refresh) the BÁO CÁO tổng hợp, tiếp thu, giải trình with its statistics."""
    from consultations import selectors

    now = now or timezone.now()
    require_perm(by, "consultations.change_consultation", consultation)
    consultation = lock(consultation)
    if consultation.status in (
        Consultation.Status.DRAFT,
        Consultation.Status.PUBLISHED,
        Consultation.Status.OPEN,
    ):
        raise ValidationError("Chỉ lập báo cáo tổng hợp sau khi hết thời gian lấy ý kiến.")
    stats = selectors.results_statistics(consultation)
    labels = dict(Comment.Answer.choices)
    comments = [
        {
            "code": c.tracking_code,
            "article": c.article.label if c.article else None,
            "text": c.text,
            "answer_label": labels.get(c.answer_kind, "Chưa trả lời"),
            "answer": c.answer_text,
        }
        for c in Comment.objects.filter(consultation=consultation, hidden=False, merged_into__isnull=True)
        .select_related("article__parent")
        .order_by("article__position", "id")[: document_specs.REPORT_COMMENT_LIMIT + 1]
    ]
    total = stats["totals"]["total"] - stats["totals"]["duplicates"]
    spec = document_specs.report_spec(
        consultation,
        commune_name=consultation.commune.name,
        stats=stats,
        comments=comments,
        comment_total=total,
        meetings=consultation.meetings.count(),
        recipients=_recipients(consultation),
        on=today_of(now),
        signer=_signer(consultation.commune_id),
    )
    return _save(consultation, "report_document", spec, by=by, now=now)


@transaction.atomic
def consultation_decision_document(
    *, consultation: Consultation, by, now: dt.datetime | None = None
) -> Consultation:
    """Create (or refresh, while a draft) the QUYẾT ĐỊNH ban hành Quy chế, the regulation as its annex, from the last
    draft version (with the accepted changes). The leader signs it in /van-ban/: the register numbers and dates it."""
    from consultations import selectors

    now = now or timezone.now()
    require_perm(by, "consultations.change_consultation", consultation)
    consultation = lock(consultation)
    if consultation.status != Consultation.Status.RESULTS_PUBLISHED:
        raise ValidationError("Chỉ lập quyết định ban hành sau khi đã công khai kết quả lấy ý kiến.")
    version = selectors.current_version(consultation)
    articles = version.articles.order_by("position") if version else []
    report = consultation.report_document
    spec = document_specs.decision_spec(
        consultation,
        commune_name=consultation.commune.name,
        articles=articles,
        report_number=report.number_line_value() if report is not None and report.number else "",
        report_date=report.issued_on if report is not None else None,
        on=today_of(now),
        signer=_signer(consultation.commune_id),
        recipients=["Như Điều 3", *_recipients(consultation)],
    )
    return _save(consultation, "decision_document", spec, by=by, now=now)
