"""The commune's publicity register (Sổ công khai, Luật 10/2022/QH15 Điều 13–14) as data and documents.

- the publicity plan (Điều 14.1: content, form, time, duration, who) — ``plan_entry_add`` / ``plan_entry_withdraw``,
  and its KẾ HOẠCH công khai — ``plan_document``;
- the quarterly list of what was publicized, with forms and times (Điều 13.2) — ``quarterly_list_document``
  (a Document, itself publicizable like any other issued document);
- the report to HĐND at its next regular session, sent to MTTQ (Điều 14.3) — ``hdnd_report_document``;
- information requested by a citizen (Điều 14.2) — ``information_request_record`` / ``information_request_answer``.

Documents go through the documents engine (``portal.documents.services.document_create_from_spec``): drafts that
the leader issues on /van-ban/, rendered to PDF/DOCX there.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal import statutes
from portal.audit import audit_record
from portal.documents.services import document_create_from_spec
from portal.models import Membership, Organization, Role
from portal.publicity.models import ContentItem, Form, InformationRequest, PlanEntry, Publication
from portal.publicity.selectors import publicized_between
from portal.publicity.state import fmt, longest_run, posting_state

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _today(now) -> dt.date:
    return timezone.localdate(now or timezone.now())


def _require(by, perm: str, commune) -> None:
    if by is None:
        return
    if not by.has_perm(perm, Publication(commune=commune)):
        raise PermissionDenied("Bạn không có quyền thực hiện việc này.")


def _line(value: str, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in ROMAN or not (2023 <= year <= 2100):
        raise ValidationError("Quý hoặc năm không hợp lệ.")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


# --- The plan (Điều 14 khoản 1) -------------------------------------------------------------------------------------


@transaction.atomic
def plan_entry_add(
    *,
    commune,
    year: int,
    item: int,
    content: str,
    timing: str,
    responsible: str,
    forms: list[str] | None = None,
    duration: str = "",
    by,
    now: dt.datetime | None = None,
) -> PlanEntry:
    now = now or timezone.now()
    _require(by, "publicity.manage_register", commune)
    errors = {}
    if item not in ContentItem.values:
        errors["item"] = "Phải chọn nội dung theo Điều 11 (từ 1 đến 14)."
    if not (2023 <= year <= 2100):
        errors["year"] = "Năm không hợp lệ."
    for field, value in (("content", content), ("timing", timing), ("responsible", responsible)):
        if not _line(value, 300):
            errors[field] = "Không được để trống."
    if any(f not in Form.values for f in forms or []):
        errors["forms"] = "Hình thức công khai không hợp lệ."
    if errors:
        raise ValidationError(errors)
    from portal.publicity.services import required_forms

    chosen = list(dict.fromkeys([*required_forms(item=item), *(forms or [])]))
    chosen.sort(key=Form.values.index)
    if not duration:
        if item in statutes.PUBLICIZE_PERMANENT_ITEMS:
            duration = "Thường xuyên (Điều 13 khoản 2)"
        elif item in statutes.PUBLICIZE_POSTED_ITEMS:
            duration = f"Niêm yết ít nhất {statutes.POSTING_MIN_DAYS.days} ngày liên tục (Điều 13 khoản 2)"
            if item in statutes.PUBLICIZE_RADIO_ITEMS:
                duration += (
                    f"; truyền thanh ít nhất {statutes.RADIO_MIN_DAYS.days} ngày liên tục (Điều 13 khoản 3)"
                )
    entry = PlanEntry(
        commune=commune,
        year=year,
        item=item,
        content=_line(content, 300),
        forms=chosen,
        timing=_line(timing, 200),
        duration=_line(duration, 200),
        responsible=_line(responsible, 200),
        created_by=by,
        created_at=now,
    )
    entry.full_clean()
    entry.save()
    audit_record(
        actor=by, action="publicity.plan_entry_add", obj=entry, now=now, changes={"year": year, "item": item}
    )
    return entry


@transaction.atomic
def plan_entry_withdraw(*, entry: PlanEntry, by, now: dt.datetime | None = None) -> PlanEntry:
    _require(by, "publicity.manage_register", entry.commune)
    entry = PlanEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.withdrawn:
        entry.withdrawn = True
        entry.save(update_fields=["withdrawn"])
        audit_record(actor=by, action="publicity.plan_entry_withdraw", obj=entry, now=now)
    return entry


# --- Documents through the documents engine -------------------------------------------------------------------------


def _issuer(commune) -> Organization:
    org = (
        Organization.objects.filter(unit=commune, kind=Organization.Kind.PEOPLES_COMMITTEE)
        .order_by("id")
        .first()
    )
    if org is None:
        raise ValidationError("Xã chưa khai báo Ủy ban nhân dân (cơ quan ban hành văn bản).")
    return org


def _signature(commune) -> dict:
    leaders = list(
        Membership.objects.filter(commune=commune, role=Role.LEADER, active=True)
        .select_related("user")
        .order_by("id")
    )
    chair = next(
        (m for m in leaders if "phó" not in (m.position or "").lower()), leaders[0] if leaders else None
    )
    deputy = chair is not None and "phó" in (chair.position or "").lower()
    sig = {
        "authority": "KT" if deputy else "TM",
        "organ": "ỦY BAN NHÂN DÂN",
        "position": "PHÓ CHỦ TỊCH" if deputy else "CHỦ TỊCH",
        "signer": (chair.user.get_full_name() or chair.user.username) if chair else "",
    }
    if deputy:
        sig["head"] = "CHỦ TỊCH"
    return sig


def _create(commune, spec: dict, *, by, now, action: str, changes: dict):
    document = document_create_from_spec(spec=spec, issuer=_issuer(commune), by=by, commune=commune, now=now)
    audit_record(actor=by, action=action, obj=document, now=now, changes=changes, commune=commune)
    return document


def _forms_text(forms: list[str]) -> str:
    labels = dict(Form.choices)
    return "; ".join(str(labels.get(f, f)).split(") ", 1)[-1] for f in forms) or "—"


@transaction.atomic
def plan_document(*, commune, year: int, by, now: dt.datetime | None = None):
    """KẾ HOẠCH công khai thông tin năm ``year`` (Điều 14 khoản 1) from the plan's entries: a draft Document."""
    now = now or timezone.now()
    _require(by, "publicity.manage_register", commune)
    entries = list(
        PlanEntry.objects.filter(commune=commune, year=year, withdrawn=False).order_by("item", "id")
    )
    if not entries:
        raise ValidationError("Kế hoạch công khai năm này chưa có nội dung nào.")
    rows = [
        [
            str(i),
            f"{e.content} (Điều 11 khoản {e.item})",
            _forms_text(e.forms),
            e.timing,
            e.duration or "—",
            e.responsible,
        ]
        for i, e in enumerate(entries, start=1)
    ]
    spec = {
        "format": "portal-document/1",
        "type": "KH",
        "place": commune.name,
        "date": _today(now),
        "title": f"Công khai thông tin của chính quyền xã năm {year}",
        "preamble": [
            "Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022;",
            "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14 tháng 8 năm 2023 của Chính phủ.",
        ],
        "sections": [
            {
                "heading": "MỤC ĐÍCH, YÊU CẦU",
                "content": [
                    "- Bảo đảm quyền được biết của Nhân dân đối với các nội dung chính quyền xã phải công khai theo "
                    "Điều 11 Luật Thực hiện dân chủ ở cơ sở.",
                    "- Công khai đúng nội dung, hình thức, thời điểm và thời hạn theo Điều 12, Điều 13 của Luật.",
                ],
            },
            {
                "heading": "NỘI DUNG, HÌNH THỨC, THỜI ĐIỂM, THỜI HẠN CÔNG KHAI",
                "content": [
                    {
                        "table": {
                            "columns": [
                                "TT",
                                "Nội dung",
                                "Hình thức",
                                "Thời điểm",
                                "Thời hạn",
                                "Trách nhiệm",
                            ],
                            "rows": rows,
                        }
                    }
                ],
            },
            {
                "heading": "TỔ CHỨC THỰC HIỆN",
                "content": [
                    "- Chủ tịch Ủy ban nhân dân xã chỉ đạo thực hiện Kế hoạch; thông tin đã công khai có thay đổi thì "
                    "công khai kịp thời nội dung thay đổi (Điều 14 khoản 1).",
                    "- Văn phòng - Thống kê lập, cập nhật danh sách các nội dung đã công khai theo từng quý "
                    "(Điều 13 khoản 2) và báo cáo kết quả tại kỳ họp thường lệ gần nhất của Hội đồng nhân dân xã "
                    "(Điều 14 khoản 3).",
                ],
            },
        ],
        "recipients": ["Thường trực HĐND xã", "Ủy ban MTTQ xã", "Các thôn"],
        "signature": _signature(commune),
    }
    return _create(commune, spec, by=by, now=now, action="publicity.plan_document", changes={"year": year})


def _publication_rows(publications) -> list[list[str]]:
    rows = []
    for i, p in enumerate(publications, start=1):
        period = f"Từ {fmt(p.starts_on)}" + (f" đến {fmt(p.ends_on)}" if p.ends_on else " (thường xuyên)")
        radio_days = [
            longest_run(b.broadcast_on for b in posting.broadcasts.all())
            for posting in p.postings.all()
            if posting.kind == "radio"
        ]
        forms = _forms_text(p.forms) + (f" ({radio_days[0]} ngày liên tục)" if radio_days else "")
        rows.append([str(i), f"{p.title} (Điều 11 khoản {p.item})" if p.item else p.title, forms, period])
    return rows


@transaction.atomic
def quarterly_list_document(*, commune, year: int, quarter: int, by, now: dt.datetime | None = None):
    """Danh sách các nội dung đã công khai kèm hình thức, thời gian thực hiện, quý ``quarter``/``year`` (Điều 13.2)."""
    now = now or timezone.now()
    _require(by, "publicity.manage_register", commune)
    start, end = quarter_bounds(year, quarter)
    publications = [
        p
        for p in publicized_between(commune=commune, start=start, end=end)
        if p.status != Publication.Status.WITHDRAWN and p.regime == "commune"
    ]
    rows = _publication_rows(publications)
    label = f"Quý {ROMAN[quarter]}/{year}"
    spec = {
        "format": "portal-document/1",
        "type": "TB",
        "place": commune.name,
        "date": _today(now),
        "title": f"Danh sách các nội dung đã thực hiện công khai {label}",
        "numbering": "arabic",
        "sections": [
            f"Thực hiện khoản 2 Điều 13 Luật Thực hiện dân chủ ở cơ sở, Ủy ban nhân dân xã thông báo danh sách các "
            f"nội dung đã thực hiện công khai trong {label} (từ ngày {fmt(start)} đến ngày {fmt(end)}), kèm theo "
            "hình thức và thời gian thực hiện:",
            {"table": {"columns": ["TT", "Nội dung công khai", "Hình thức", "Thời gian"], "rows": rows}}
            if rows
            else "Trong quý không có nội dung nào được công khai.",
            "Danh sách này được niêm yết tại trụ sở HĐND, UBND xã và điểm sinh hoạt cộng đồng của các thôn, "
            "tổ dân phố.",
        ],
        "recipients": ["Thường trực HĐND xã", "Ủy ban MTTQ xã", "Các thôn"],
        "signature": _signature(commune),
    }
    return _create(
        commune,
        spec,
        by=by,
        now=now,
        action="publicity.quarterly_list",
        changes={"quarter": label, "rows": len(rows)},
    )


@transaction.atomic
def hdnd_report_document(
    *,
    commune,
    start: dt.date,
    end: dt.date,
    session_on: dt.date | None = None,
    by,
    now: dt.datetime | None = None,
):
    """BÁO CÁO kết quả thực hiện công khai thông tin to HĐND at its next regular session (Điều 14 khoản 3)."""
    now = now or timezone.now()
    _require(by, "publicity.manage_register", commune)
    if end < start or (end - start).days > 3 * 366:
        raise ValidationError("Khoảng thời gian báo cáo không hợp lệ (tối đa 3 năm).")
    today = _today(now)
    publications = [
        p
        for p in publicized_between(commune=commune, start=start, end=end)
        if p.status != Publication.Status.WITHDRAWN and p.regime == "commune"
    ]
    counts: dict[int, int] = {}
    late = missing = on_behalf = early = 0
    for p in publications:
        counts[p.item] = counts.get(p.item, 0) + 1
        for posting in p.postings.all():
            info = posting_state(posting, today, [b.broadcast_on for b in posting.broadcasts.all()])
            late += info["state"] == "late"
            missing += info["state"] == "missing"
            on_behalf += posting.on_behalf
            early += bool(info.get("removed_early"))
    done = sum(p.status == Publication.Status.PUBLICIZED for p in publications)
    requests = InformationRequest.objects.filter(
        commune=commune, received_on__gte=start, received_on__lte=end
    )
    answered = requests.filter(status=InformationRequest.Status.ANSWERED).count()
    by_item = [f"- {ContentItem(item).label}: {n} nội dung;" for item, n in sorted(counts.items())]
    situation = [
        f"Từ ngày {fmt(start)} đến ngày {fmt(end)}, Ủy ban nhân dân xã đã công khai **{len(publications)}** nội "
        f"dung theo Điều 11 Luật Thực hiện dân chủ ở cơ sở; trong đó {done} nội dung đã thực hiện đủ các hình thức "
        "công khai theo quy định.",
        *by_item,
        f"Việc niêm yết, truyền thanh, gửi Trưởng thôn: {late} việc thực hiện trễ hạn; {missing} việc quá hạn chưa "
        f"thực hiện; {early} việc gỡ trước thời hạn; {on_behalf} việc cán bộ xã xác nhận thay Trưởng thôn.",
        f"Yêu cầu cung cấp thông tin của công dân (Điều 14 khoản 2): tiếp nhận {requests.count()}, đã trả lời "
        f"{answered}.",
    ]
    spec = {
        "format": "portal-document/1",
        "type": "BC",
        "place": commune.name,
        "date": today,
        "title": f"Kết quả thực hiện công khai thông tin từ ngày {fmt(start)} đến ngày {fmt(end)}",
        "to": "Hội đồng nhân dân xã" + (f" (kỳ họp ngày {fmt(session_on)})" if session_on else ""),
        "sections": [
            {"heading": "TÌNH HÌNH, KẾT QUẢ THỰC HIỆN", "content": situation},
            {
                "heading": "DANH SÁCH NỘI DUNG ĐÃ CÔNG KHAI",
                "content": [
                    {
                        "table": {
                            "columns": ["TT", "Nội dung công khai", "Hình thức", "Thời gian"],
                            "rows": _publication_rows(publications),
                        }
                    }
                    if publications
                    else "Không có."
                ],
            },
            {
                "heading": "ĐỀ XUẤT, KIẾN NGHỊ",
                "content": [
                    "Tiếp tục thực hiện đầy đủ, đúng thời hạn việc công khai theo Kế hoạch công khai của xã."
                ],
            },
        ],
        "recipients": ["Thường trực HĐND xã", "Ủy ban MTTQ xã (để giám sát)"],
        "signature": _signature(commune),
    }
    return _create(
        commune,
        spec,
        by=by,
        now=now,
        action="publicity.hdnd_report",
        changes={"period": [start, end], "publications": len(publications)},
    )


# --- Information requests (Điều 14 khoản 2) -------------------------------------------------------------------------


@transaction.atomic
def information_request_record(
    *,
    commune,
    requester: str,
    reason: str,
    text: str,
    received_on: dt.date,
    contact: str = "",
    publication: Publication | None = None,
    by,
    now: dt.datetime | None = None,
) -> InformationRequest:
    now = now or timezone.now()
    _require(by, "publicity.manage_register", commune)
    errors = {}
    if not _line(requester, 120):
        errors["requester"] = "Phải ghi họ và tên người yêu cầu."
    if reason not in InformationRequest.Reason.values:
        errors["reason"] = "Trường hợp không hợp lệ."
    if not (text or "").strip():
        errors["text"] = "Phải ghi thông tin được yêu cầu."
    if not (dt.date(2023, 7, 1) <= received_on <= _today(now)):
        errors["received_on"] = "Ngày tiếp nhận phải từ 01/07/2023 đến hôm nay."
    if publication is not None and publication.commune_id != commune.pk:
        errors["publication"] = "Nội dung không thuộc xã này."
    if errors:
        raise ValidationError(errors)
    request = InformationRequest(
        commune=commune,
        requester=_line(requester, 120),
        contact=_line(contact, 200),
        reason=reason,
        text=text.strip()[:3000],
        publication=publication,
        received_on=received_on,
        recorded_by=by,
        created_at=now,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=by, action="publicity.request_record", obj=request, now=now, changes={"reason": reason}
    )
    return request


@transaction.atomic
def information_request_answer(
    *, request: InformationRequest, answer: str, answered_on: dt.date, by, now: dt.datetime | None = None
) -> InformationRequest:
    now = now or timezone.now()
    _require(by, "publicity.manage_register", request.commune)
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == InformationRequest.Status.ANSWERED:
        raise ValidationError("Yêu cầu này đã được trả lời.")
    if not (answer or "").strip():
        raise ValidationError({"answer": "Phải ghi nội dung trả lời."})
    if not (request.received_on <= answered_on <= _today(now)):
        raise ValidationError({"answered_on": "Ngày trả lời phải từ ngày tiếp nhận đến hôm nay."})
    request.answer = answer.strip()[:5000]
    request.answered_on = answered_on
    request.answered_by = by
    request.status = InformationRequest.Status.ANSWERED
    request.save(update_fields=["answer", "answered_on", "answered_by", "status"])
    audit_record(
        actor=by,
        action="publicity.request_answer",
        obj=request,
        now=now,
        changes={"status": [InformationRequest.Status.RECEIVED, request.status]},
    )
    return request
