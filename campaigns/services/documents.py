"""The contest's documents through the documents engine: KẾ HOẠCH, QUYẾT ĐỊNH khen thưởng, BÁO CÁO tổng kết.

Campaigns checks its own permission (the organizers) and calls the engine as the system; the document is issued by
the contest's organizing organization (a Party committee → the Party layout). A draft is refreshed from the data;
an issued one is left alone (a correction is a new version in the documents app).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns import document_specs
from campaigns.models import Contest
from campaigns.selectors import contest_results
from campaigns.services._common import now_or, require
from portal.audit import audit_record
from portal.documents.services import document_create_from_spec, document_issue, document_update_from_spec

KINDS = {"plan": "plan_document", "decision": "decision_document", "report": "report_document"}


def _spec(contest: Contest, kind: str, on: dt.date) -> dict:
    if kind == "plan":
        names = list(contest.participants.order_by("name").values_list("name", flat=True)[:50])
        return document_specs.plan_spec(
            contest, on=on, participants=names, stars=[(n, m) for n, m in contest.criteria_set.star_levels]
        )
    if not contest.is_final:
        raise ValidationError(
            "Quyết định khen thưởng và báo cáo tổng kết lập sau khi Ban Giám khảo tổng kết."
        )
    if kind == "decision":
        awards = [
            {
                "kind": a.kind,
                "recipient": a.recipient,
                "unit": a.recipient_unit,
                "title": a.title,
                "reason": a.reason,
            }
            for a in contest.awards.order_by("kind", "position", "id")
        ]
        if not awards:
            raise ValidationError("Chưa có tập thể, cá nhân nào được đề nghị khen thưởng.")
        return document_specs.decision_spec(contest, on=on, awards=awards)
    rows = [
        {
            "rank": r.rank,
            "name": r.participant.name,
            "self_total": r.self_total,
            "total": r.total.total,
            "stars": r.stars,
        }
        for r in contest_results(contest)
    ]
    return document_specs.report_spec(contest, on=on, rows=rows, awards=contest.awards.count())


@transaction.atomic
def contest_document(*, contest: Contest, kind: str, by, now: dt.datetime | None = None):
    """Create (or refresh, while a draft) one of the contest's documents; returns the Document."""
    now = now_or(now)
    if kind not in KINDS:
        raise ValidationError("Loại văn bản không có.")
    contest = (
        Contest.objects.select_for_update(of=("self",))
        .select_related("criteria_set", "organizer_unit")
        .get(pk=contest.pk)
    )
    require(by, "campaigns.manage_contest", contest, "Chỉ Ban Tổ chức lập văn bản của cuộc thi.")
    if contest.organizer_org is None:
        raise ValidationError("Cuộc thi chưa có cơ quan ban hành văn bản (cơ quan tổ chức).")
    spec = _spec(contest, kind, timezone.localdate(now))
    field = KINDS[kind]
    document = getattr(contest, field)
    if document is not None and document.status == "draft":
        document = document_update_from_spec(document=document, spec=spec, by=None, now=now)
    elif document is None:
        document = document_create_from_spec(spec=spec, issuer=contest.organizer_org, by=None, now=now)
        setattr(contest, field, document)
        contest.save(update_fields=[field])
    audit_record(
        actor=by, action=f"contest.document_{kind}", obj=contest, now=now, changes={"document": str(document)}
    )
    return document


@transaction.atomic
def contest_document_issue(*, contest: Contest, kind: str, by, now: dt.datetime | None = None):
    """Issue (ban hành) one of the contest's drafts, refreshed from the data first: the register of the organizing
    organization numbers and dates it. The organizers decide (checked here); the engine acts as the system."""
    now = now_or(now)
    if kind not in KINDS:
        raise ValidationError("Loại văn bản không có.")
    contest = Contest.objects.select_for_update(of=("self",)).get(pk=contest.pk)
    require(by, "campaigns.manage_contest", contest, "Chỉ Ban Tổ chức ban hành văn bản của cuộc thi.")
    document = getattr(contest, KINDS[kind])
    if document is None:
        raise ValidationError("Chưa lập văn bản này; bấm “Lập” trước khi ban hành.")
    if document.status != "draft":
        raise ValidationError("Văn bản này đã được ban hành.")
    document = contest_document(contest=contest, kind=kind, by=by, now=now)
    document = document_issue(document=document, by=None, now=now)
    audit_record(
        actor=by,
        action=f"contest.document_{kind}_issue",
        obj=contest,
        now=now,
        changes={"document": document.number_line()},
    )
    return document


LETTERHEAD_FIELDS = ("doc_parent_organ", "doc_organ", "doc_place", "sig_organ", "sig_position", "sig_signer")
# Printed in capitals in the header and the signature block (Quy định 66-QĐ/TW, Nghị định 30/2020/NĐ-CP).
CAPITALIZED = ("doc_parent_organ", "doc_organ", "sig_organ", "sig_position")
REQUIRED = {
    "doc_organ": "Phải ghi cơ quan ban hành văn bản (tiêu đề).",
    "sig_position": "Phải ghi chức vụ người ký.",
    "sig_signer": "Phải ghi họ tên người ký.",
}


@transaction.atomic
def contest_letterhead_save(*, contest: Contest, by, now: dt.datetime | None = None, **fields) -> Contest:
    """The header (organ, superior organ, place) and signature (authority, position, signer) of the contest's
    documents. Drafts take them when next refreshed; issued documents are left as issued."""
    now = now_or(now)
    unknown = set(fields) - set(LETTERHEAD_FIELDS)
    if unknown:
        raise TypeError(f"unknown letterhead fields: {', '.join(sorted(unknown))}")
    contest = Contest.objects.select_for_update(of=("self",)).get(pk=contest.pk)
    require(by, "campaigns.manage_contest", contest, "Chỉ Ban Tổ chức sửa tiêu đề, chữ ký văn bản.")
    values = {}
    for name in LETTERHEAD_FIELDS:
        value = " ".join(str(fields.get(name, getattr(contest, name)) or "").split())
        values[name] = value.upper() if name in CAPITALIZED else value
    errors = {name: [message] for name, message in REQUIRED.items() if not values[name]}
    if errors:
        raise ValidationError(errors)
    old = {name: getattr(contest, name) for name in LETTERHEAD_FIELDS}
    for name, value in values.items():
        setattr(contest, name, value)
    contest.full_clean()  # each field's max_length, as a Vietnamese message naming the field
    contest.save(update_fields=list(LETTERHEAD_FIELDS))
    changes = {name: [old[name], values[name]] for name in LETTERHEAD_FIELDS if old[name] != values[name]}
    audit_record(actor=by, action="contest.letterhead", obj=contest, now=now, changes=changes)
    return contest
