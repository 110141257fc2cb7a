"""The consultation's lifecycle: each transition is a service that re-checks the law's conditions.

The states, who may act and the guards (with their articles) are declared once in consultations/workflow.py; each
service calls ``CONSULTATION.require(...)`` under the row lock and then does the work.

draft → published → open → closed → synthesis → results_published → adopted → publicized → reported
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consultations.models import Consultation, PublicityPhase
from consultations.workflow import CONSULTATION, regulation_publication
from portal import lookups, statutes
from portal import text as txt
from portal.audit import audit_record
from portal.deadlines import deadline_meet, deadline_open
from portal.models import Role
from portal.notifications import notify
from portal.publicity import services as publicity_services

from ._base import fmt, lock, public_changed, require_perm, today_of, touch
from .publicity import postings_generate

S = Consultation.Status


def _url(consultation: Consultation) -> str:
    return f"/lay-y-kien/{consultation.pk}/quan-ly/"


def _transition(
    consultation: Consultation,
    new: str,
    *,
    by,
    now,
    fields: list[str],
    changes=None,
    note="",
    action: str | None = None,
) -> None:
    old = consultation.status
    consultation.status = new
    touch(consultation, now, ["status", *fields])
    public_changed(consultation.pk)
    audit_record(
        actor=by,
        action=f"consultation.{action or new}",
        obj=consultation,
        now=now,
        changes={"status": [old, new], **(changes or {})},
        note=note,
    )


def _members(commune_id: int, *roles) -> list:
    return lookups.member_users(commune_id, *roles)


def min_closes_on(publicized_on: dt.date) -> dt.date:
    """Earliest last day of a people's consultation publicized on ``publicized_on`` (Điều 28 khoản 2)."""
    return statutes.CONSULTATION_MIN_WINDOW.due(publicized_on)


@transaction.atomic
def consultation_issue_plan(
    *,
    consultation: Consultation,
    by,
    issued_on: dt.date | None = None,
    sent_hdnd_on: dt.date | None = None,
    sent_mttq_on: dt.date | None = None,
    sent_union_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Consultation:
    """Record that the KẾ HOẠCH was issued and sent (Điều 28 khoản 1); opens the 5-working-day publicizing deadline."""
    require_perm(by, "consultations.change_consultation", consultation)
    consultation = lock(consultation)
    CONSULTATION.require_state(consultation, "ke-hoach")
    plan = consultation.plan_document
    if plan is not None and plan.status == plan.Status.DRAFT:
        raise ValidationError("Kế hoạch (văn bản) chưa được lãnh đạo ký ban hành trên mục Văn bản.")
    if issued_on is None:
        if plan is None:
            raise ValidationError("Phải ghi ngày ban hành kế hoạch.")
        issued_on = plan.issued_on
    # A plan that breaks a statutory rule is not issued (Điều 28): the same check as the manage page's list.
    CONSULTATION.require(consultation, "ke-hoach", check_perm=False, issued_on=issued_on)
    for label, sent in (("HĐND", sent_hdnd_on), ("Ủy ban MTTQ", sent_mttq_on), ("Công đoàn", sent_union_on)):
        if sent is not None and sent < issued_on:
            raise ValidationError(f"Ngày gửi kế hoạch đến {label} không được trước ngày ban hành kế hoạch.")
    if issued_on > today_of(now):
        raise ValidationError("Ngày ban hành kế hoạch không được sau ngày hôm nay.")
    old = (
        consultation.plan_issued_on,
        consultation.plan_sent_hdnd_on,
        consultation.plan_sent_mttq_on,
        consultation.plan_sent_union_on,
    )
    consultation.plan_issued_on = issued_on
    consultation.plan_sent_hdnd_on = sent_hdnd_on
    consultation.plan_sent_mttq_on = sent_mttq_on
    consultation.plan_sent_union_on = sent_union_on
    touch(
        consultation, now, ["plan_issued_on", "plan_sent_hdnd_on", "plan_sent_mttq_on", "plan_sent_union_on"]
    )
    rule = statutes.PUBLICIZE_WITHIN if consultation.is_people else statutes.AGENCY_PUBLICIZE_WITHIN
    deadline_open(
        subject=consultation,
        rule_code=rule.code,
        trigger_date=issued_on,
        commune=consultation.commune,
        assignee=consultation.responsible,
        title=f"Công khai kế hoạch và dự thảo: {consultation.title}"[:300],
        url=_url(consultation),
        by=by,
        now=now,
    )
    audit_record(
        actor=by,
        action="consultation.plan_issued",
        obj=consultation,
        now=now,
        changes={"plan": [list(old), [issued_on, sent_hdnd_on, sent_mttq_on, sent_union_on]]},
    )
    return consultation


def publish_problems(consultation: Consultation, publicized_on: dt.date) -> list[str]:
    """Every condition of Điều 28 that is not met yet, as Vietnamese messages naming the rule."""
    return [str(r) for r in CONSULTATION.unmet(consultation, "cong-bo", publicized_on=publicized_on)]


@transaction.atomic
def consultation_publish(
    *, consultation: Consultation, by, publicized_on: dt.date, now: dt.datetime | None = None
) -> Consultation:
    """Công bố: publicize the plan and the draft, generate the postings, open the window when it starts."""
    now = now or timezone.now()
    require_perm(by, "consultations.change_consultation", consultation)
    consultation = lock(consultation)
    CONSULTATION.require(consultation, "cong-bo", check_perm=False, publicized_on=publicized_on)
    consultation.publicized_on = publicized_on
    new = S.OPEN if today_of(now) >= consultation.opens_on else S.PUBLISHED
    _transition(
        consultation,
        new,
        by=by,
        now=now,
        fields=["publicized_on"],
        action="published",
        changes={"publicized_on": publicized_on, "window": [consultation.opens_on, consultation.closes_on]},
    )
    postings_generate(
        consultation=consultation,
        phase=PublicityPhase.PLAN,
        trigger_on=consultation.plan_issued_on,
        portal_on=publicized_on,
        by=by,
        now=now,
    )
    rule = statutes.PUBLICIZE_WITHIN if consultation.is_people else statutes.AGENCY_PUBLICIZE_WITHIN
    deadline_meet(subject=consultation, rule_code=rule.code, by=by, now=now)
    reviewer_role = Role.MTTQ if consultation.is_people else Role.UNION
    reviewers = _members(consultation.commune_id, reviewer_role)
    deadline_open(
        subject=consultation,
        rule_code=statutes.CONSULTATION_ORG_SUMMARY.code,
        trigger_date=publicized_on,
        due_date=consultation.summary_due_on,
        commune=consultation.commune,
        assignee=reviewers[0] if reviewers else None,
        title=f"Gửi kết quả tổng hợp ý kiến: {consultation.title}"[:300],
        url=f"/lay-y-kien/{consultation.pk}/giam-sat/",
        by=by,
        now=now,
    )
    recipients = list(reviewers)
    if consultation.is_people:
        recipients += _members(consultation.commune_id, Role.RADIO)
        recipients += lookups.member_users(consultation.commune_id, Role.VILLAGE_HEAD)
    notify(
        recipients=recipients,
        title=f"Công bố lấy ý kiến: {consultation.title}",
        body=f"Thời gian lấy ý kiến từ {fmt(consultation.opens_on)} đến hết {fmt(consultation.closes_on)}.",
        url=f"/lay-y-kien/{consultation.pk}/",
        key=f"consultation:{consultation.pk}:published",
        now=now,
    )
    return consultation


@transaction.atomic
def consultation_open(*, consultation: Consultation, by=None, now: dt.datetime | None = None) -> Consultation:
    consultation = lock(consultation)
    CONSULTATION.require(consultation, "mo", check_perm=False, today=today_of(now))
    _transition(consultation, S.OPEN, by=by, now=now, fields=[])
    return consultation


@transaction.atomic
def consultation_close(
    *, consultation: Consultation, by=None, now: dt.datetime | None = None
) -> Consultation:
    """Close the window; refused while the window lasts (it ends at 24:00 on closes_on)."""
    consultation = lock(consultation)
    CONSULTATION.require(consultation, "ket-thuc", check_perm=False, today=today_of(now))
    _transition(consultation, S.CLOSED, by=by, now=now, fields=[])
    return consultation


@transaction.atomic
def consultation_start_synthesis(
    *, consultation: Consultation, by, now: dt.datetime | None = None
) -> Consultation:
    require_perm(by, "consultations.change_consultation", consultation)
    consultation = lock(consultation)
    CONSULTATION.require(consultation, "tong-hop", check_perm=False)
    _transition(consultation, S.SYNTHESIS, by=by, now=now, fields=[])
    return consultation


def results_problems(consultation: Consultation) -> list[str]:
    return [str(r) for r in CONSULTATION.unmet(consultation, "cong-khai-ket-qua")]


@transaction.atomic
def consultation_publish_results(
    *,
    consultation: Consultation,
    by,
    issued_on: dt.date,
    results_summary: str = "",
    now: dt.datetime | None = None,
) -> Consultation:
    """Công khai kết quả tổng hợp, tiếp thu, giải trình (Điều 28 khoản 3; Điều 11 khoản 11).

    Refused until the BÁO CÁO tổng hợp, tiếp thu, giải trình is issued (signed) through the documents engine, as
    publishing the consultation waits for the issued KẾ HOẠCH: what is publicized is the signed report.
    """
    now = now or timezone.now()
    require_perm(by, "consultations.change_consultation", consultation)
    consultation = lock(consultation)
    CONSULTATION.require(
        consultation, "cong-khai-ket-qua", check_perm=False, issued_on=issued_on, today=today_of(now)
    )
    consultation.results_issued_on = issued_on
    consultation.results_summary = txt.clean_text(results_summary)
    _transition(
        consultation,
        S.RESULTS_PUBLISHED,
        by=by,
        now=now,
        fields=["results_issued_on", "results_summary"],
        changes={"results_issued_on": issued_on},
    )
    postings_generate(
        consultation=consultation,
        phase=PublicityPhase.RESULTS,
        trigger_on=issued_on,
        portal_on=today_of(now),
        by=by,
        now=now,
    )
    consultation_id, commune_id, title = consultation.pk, consultation.commune_id, consultation.title
    transaction.on_commit(
        lambda: notify(
            recipients=_members(commune_id, Role.LEADER),
            title=f"Chờ ghi nhận văn bản được ban hành: {title}"[:300],
            body="Kết quả lấy ý kiến đã được công khai; văn bản chờ lãnh đạo xem xét, ban hành (Điều 28).",
            url=f"/lay-y-kien/{consultation_id}/quan-ly/",
            key=f"consultation:{consultation_id}:awaiting_adoption",
            topic="consultation",
            now=now,
        )
    )
    return consultation


@transaction.atomic
def consultation_adopt(
    *,
    consultation: Consultation,
    by,
    hdnd_session_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Consultation:
    """Record the adoption: the QUYẾT ĐỊNH generated from the last draft version and signed in /van-ban/ (the register
    gave its number and date); raise the publicizing tasks and the report to HĐND."""
    from consultations import selectors
    from consultations.text import draft_to_text

    now = now or timezone.now()
    require_perm(by, "consultations.adopt_consultation", consultation)
    consultation = lock(consultation)
    decision = consultation.decision_document
    signed = decision is not None and decision.status != decision.Status.DRAFT
    CONSULTATION.require(
        consultation,
        "ban-hanh",
        check_perm=False,
        decision_date=decision.issued_on if signed else None,
        hdnd_session_on=hdnd_session_on,
        today=today_of(now),
    )
    decision_date = decision.issued_on
    version = selectors.current_version(consultation)
    consultation.decision_number = decision.number_line_value()
    consultation.decision_date = decision_date
    consultation.final_text = draft_to_text(version.articles.order_by("position")) if version else ""
    consultation.hdnd_session_on = hdnd_session_on
    _transition(
        consultation,
        S.ADOPTED,
        by=by,
        now=now,
        fields=["decision_number", "decision_date", "final_text", "hdnd_session_on"],
        changes={
            "decision": [consultation.decision_number, decision_date],
            "decision_document": decision.pk,
            "hdnd_session_on": hdnd_session_on,
        },
    )
    postings_generate(
        consultation=consultation,
        phase=PublicityPhase.REGULATION,
        trigger_on=decision_date,
        portal_on=today_of(now),
        by=by,
        now=now,
    )
    rule = statutes.PUBLICIZE_WITHIN if consultation.is_people else statutes.AGENCY_PUBLICIZE_WITHIN
    deadline_open(
        subject=consultation,
        rule_code=rule.code,
        trigger_date=decision_date,
        commune=consultation.commune,
        assignee=consultation.responsible,
        title=f"Công khai văn bản ban hành: {consultation.title}"[:300],
        url=_url(consultation),
        by=by,
        now=now,
    )
    if hdnd_session_on is not None:
        deadline_open(
            subject=consultation,
            rule_code=statutes.CONSULTATION_REPORT_HDND.code,
            trigger_date=decision_date,
            due_date=hdnd_session_on,
            commune=consultation.commune,
            assignee=consultation.responsible,
            title=f"Báo cáo HĐND kết quả lấy ý kiến: {consultation.title}"[:300],
            url=_url(consultation),
            by=by,
            now=now,
        )
    return consultation


def publicized_problems(consultation: Consultation) -> list[str]:
    return [str(r) for r in CONSULTATION.unmet(consultation, "da-cong-khai")]


@transaction.atomic
def consultation_mark_publicized(
    *, consultation: Consultation, by, now: dt.datetime | None = None
) -> Consultation:
    now = now or timezone.now()
    require_perm(by, "consultations.change_consultation", consultation)
    consultation = lock(consultation)
    CONSULTATION.require(consultation, "da-cong-khai", check_perm=False, today=today_of(now))
    publication = regulation_publication(consultation)
    last = None
    if publication is not None:
        if publication.status == publication.Status.ACTIVE:
            publication = publicity_services.publication_mark_publicized(
                publication=publication, by=by, now=now
            )
        last = publication.publicized_on
    consultation.regulation_publicized_on = last
    _transition(consultation, S.PUBLICIZED, by=by, now=now, fields=["regulation_publicized_on"])
    rule = statutes.PUBLICIZE_WITHIN if consultation.is_people else statutes.AGENCY_PUBLICIZE_WITHIN
    deadline_meet(subject=consultation, rule_code=rule.code, by=by, now=now)
    return consultation


@transaction.atomic
def consultation_report(
    *, consultation: Consultation, by, reported_on: dt.date, now: dt.datetime | None = None
) -> Consultation:
    """Báo cáo HĐND tại kỳ họp thường lệ gần nhất và gửi Ủy ban MTTQ (Điều 28 khoản 5)."""
    now = now or timezone.now()
    require_perm(by, "consultations.change_consultation", consultation)
    consultation = lock(consultation)
    CONSULTATION.require(
        consultation, "bao-cao", check_perm=False, reported_on=reported_on, today=today_of(now)
    )
    consultation.reported_on = reported_on
    _transition(consultation, S.REPORTED, by=by, now=now, fields=["reported_on"])
    deadline_meet(subject=consultation, rule_code=statutes.CONSULTATION_REPORT_HDND.code, by=by, now=now)
    notify(
        recipients=_members(consultation.commune_id, Role.MTTQ),
        title=f"Báo cáo kết quả lấy ý kiến: {consultation.title}",
        url=f"/lay-y-kien/{consultation.pk}/giam-sat/",
        key=f"consultation:{consultation.pk}:reported",
        now=now,
    )
    return consultation
