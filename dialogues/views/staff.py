"""Staff pages: the list, planning, the dialogue's page and its transitions, documents, attendance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dialogues import forms, selectors, services
from dialogues.models import Attendance, Dialogue, Petition, Survey
from dialogues.workflow import DIALOGUE
from portal import pagination, statutes
from portal.documents.models import Document
from portal.documents.selectors import visible_documents_q
from portal.models import Deadline
from portal.publicity.selectors import compliance_matrix

from ._common import add_errors, flash_errors, form_errors_to_messages, require, user_commune


@login_required
def dialogue_list(request):
    require(request, "dialogues.view_dialogue")
    commune = user_commune(request)
    qs = selectors.dialogue_list(user=request.user, commune_id=commune.pk)
    status = request.GET.get("status", "")
    if status in Dialogue.Status.values:
        qs = qs.filter(status=status)
    year = timezone.localdate().year
    return render(
        request,
        "dialogues/dialogue_list.html",
        {
            "page": selectors.dialogue_page(qs, request.GET),
            "query": pagination.querystring(request.GET),
            "commune": commune,
            "status": status,
            "statuses": Dialogue.Status.choices,
            "can_add": request.user.has_perm("dialogues.change_dialogue", commune),
            "can_record": request.user.has_perm("dialogues.record_petition"),
            "year": year,
            "yearly_rule": statutes.DIALOGUE_YEARLY,
        },
    )


@login_required
def dialogue_create(request):
    commune = user_commune(request)
    require(request, "dialogues.change_dialogue", commune)
    form = forms.DialogueForm(request.POST or None, commune_id=commune.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dialogue = services.dialogue_create(
                commune=commune,
                by=request.user,
                title=data["title"],
                kind=data["kind"],
                starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                villages=data["villages"],
                host=data["host"],
                place=data["place"],
                online_link=data["online_link"],
                co_chairs=data["co_chairs"],
                participants=data["participants"],
                topics=data["topics"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            rule = statutes.rule_for("dialogue.notice_before", commune)
            messages.success(
                request,
                f"Đã lập hội nghị. Việc tiếp theo: thông báo trước ngày hội nghị ít nhất {rule.days} ngày.",
            )
            return redirect(dialogue)
    return render(request, "dialogues/dialogue_form.html", {"form": form, "commune": commune})


@login_required
def dialogue_edit(request, pk: int):
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    require(request, "dialogues.change_dialogue", dialogue)
    local = timezone.localtime(dialogue.starts_at)
    initial = {
        "title": dialogue.title,
        "kind": dialogue.kind,
        "villages": list(dialogue.villages.all()),
        "day": local.date(),
        "time": local.time(),
        "duration_minutes": dialogue.duration_minutes,
        "place": dialogue.place,
        "online_link": dialogue.online_link,
        "host": dialogue.host,
        "co_chairs": dialogue.co_chairs,
        "participants": dialogue.participants,
        "topics": dialogue.topics,
    }
    form = forms.DialogueForm(request.POST or None, initial=initial, commune_id=dialogue.commune_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            k: data[k]
            for k in (
                "title",
                "kind",
                "duration_minutes",
                "host",
                "place",
                "online_link",
                "co_chairs",
                "participants",
                "topics",
            )
        }
        try:
            services.dialogue_update(
                dialogue=dialogue,
                by=request.user,
                villages=data["villages"],
                starts_at=form.starts_at(),
                **fields,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin hội nghị.")
            return redirect(dialogue)
    return render(request, "dialogues/dialogue_form.html", {"form": form, "dialogue": dialogue})


def _next_step(dialogue: Dialogue, stats: dict) -> str:
    s = Dialogue.Status
    if dialogue.status == s.DRAFT:
        return (
            "Thu thập kiến nghị trước hội nghị, lập kế hoạch và thông báo trước ngày hội nghị ít nhất 7 ngày."
        )
    if dialogue.status == s.NOTICED:
        return "Phân loại, giao cán bộ chuẩn bị trả lời; in tài liệu cho chủ trì; trong hội nghị dùng màn hình điều hành."
    if dialogue.status == s.HELD:
        return "Chủ tịch rà soát, giao xử lý mọi kiến nghị còn lại trong 5 ngày; lập thông báo kết luận."
    if dialogue.status == s.REVIEWED:
        if stats["open"]:
            return f"Còn {stats['open']} kiến nghị đang giải quyết; trả lời trong thời hạn rồi kết thúc hội nghị."
        return "Công khai kết quả (nếu chưa) và kết thúc hội nghị."
    return ""


@login_required
def dialogue_detail(request, pk: int):
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    require(request, "dialogues.view_dialogue", dialogue)
    petitions = selectors.petition_list(user=request.user, dialogue=dialogue)
    status = request.GET.get("status", "")
    if status in Petition.Status.values:
        petitions = petitions.filter(status=status)
    stats = selectors.petition_stats(Petition.objects.filter(dialogue=dialogue))
    from django.contrib.contenttypes.models import ContentType

    deadlines = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Dialogue), object_id=str(dialogue.pk)
    ).order_by("due_date")
    user = request.user
    publications = selectors.dialogue_publications(dialogue)
    matrices = compliance_matrix(publications=publications)
    documents = [
        (label, getattr(dialogue, f"{key}_document"), key)
        for key, label in (
            ("plan", "Kế hoạch"),
            ("invitation", "Giấy mời"),
            ("notice", "Thông báo"),
            ("minutes", "Biên bản"),
            ("conclusion", "Thông báo kết luận"),
            ("report", "Báo cáo kết quả"),
        )
    ]
    # Linked only where the person may open it (a village head reads issued documents, not drafts): one query.
    visible = visible_documents_q(user)
    ids = [doc.pk for _label, doc, _key in documents if doc]
    readable = (
        set(Document.objects.filter(visible, pk__in=ids).values_list("pk", flat=True)) if ids else set()
    )
    documents = [(label, doc, doc is not None and doc.pk in readable) for label, doc, _key in documents]
    return render(
        request,
        "dialogues/dialogue_detail.html",
        {
            "dialogue": dialogue,
            "villages": list(dialogue.villages.all()),
            "page": selectors.petition_page(petitions, request.GET, count_limit=0),
            "query": pagination.querystring(request.GET),
            "status": status,
            "statuses": Petition.Status.choices,
            "stats": stats,
            "deadlines": deadlines,
            "documents": documents,
            "next_step": _next_step(dialogue, stats),
            "notice_rule": statutes.rule_for("dialogue.notice_before", dialogue.commune),
            "can_change": user.has_perm("dialogues.change_dialogue", dialogue),
            "can_review": user.has_perm("dialogues.review_dialogue", dialogue),
            "can_run": user.has_perm("dialogues.run_meeting", dialogue),
            "can_supervise": user.has_perm("dialogues.supervise_dialogue", dialogue),
            "can_brief": user.has_perm("dialogues.print_briefing", dialogue),
            "can_report": user.has_perm("dialogues.view_report", dialogue),
            "can_record": user.has_perm("dialogues.record_petition"),
            "notes": dialogue.supervision_notes.select_related("author", "petition")[:20],
            "survey": Survey.objects.filter(dialogue=dialogue).first(),
            "publications": [(p, matrices[p.pk]) for p in publications],
            "problems": [str(r) for r in DIALOGUE.problems(dialogue)],
        },
    )


DONE = {
    "thong-bao": "Đã thông báo hội nghị; thông báo được đưa vào Sổ công khai để niêm yết, phát thanh, gửi Trưởng thôn.",
    "da-to-chuc": "Đã ghi nhận hội nghị đã tổ chức; các thời hạn sau hội nghị bắt đầu.",
    "ra-soat": "Đã rà soát, giao xử lý các kiến nghị còn lại.",
    "cong-khai-ket-qua": "Đã công khai Thông báo kết luận; Trưởng thôn xác nhận đã nhận, niêm yết trên điện thoại.",
    "ket-thuc": "Đã kết thúc hội nghị.",
    "huy": "Đã hủy hội nghị.",
}


@login_required
@require_POST
def dialogue_transition(request, pk: int, action: str):
    step = DIALOGUE.action(action)  # Http404 for an unknown action
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    form_class = step.form_class()
    kwargs = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            form_errors_to_messages(request, form)
            return redirect(dialogue)
        kwargs = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    try:
        DIALOGUE.perform(dialogue, action, by=request.user, **kwargs)
    except ValidationError as exc:
        flash_errors(request, exc)
    except PermissionDenied:
        messages.error(request, "Bạn không có quyền thực hiện việc này.")
    else:
        messages.success(
            request,
            DONE.get(action, "Đã tạo văn bản từ dữ liệu hội nghị; xem, sửa và trình ký ở mục Văn bản."),
        )
    return redirect(dialogue)


@login_required
def attendance(request, pk: int):
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    require(request, "dialogues.run_meeting", dialogue)
    villages = list(dialogue.villages.order_by("name"))
    existing = {(a.village_id, a.group): a.count for a in Attendance.objects.filter(dialogue=dialogue)}
    form = forms.AttendanceForm(
        request.POST or None,
        villages=villages,
        existing=existing,
        initial={"officials_present": dialogue.officials_present},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_save(
                dialogue=dialogue,
                by=request.user,
                rows=form.rows(),
                officials_present=form.cleaned_data["officials_present"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã lưu số người dự.")
            return redirect("dialogues:console", pk=dialogue.pk)
    groups = dict(Attendance.Group.choices)
    return render(
        request,
        "dialogues/attendance_form.html",
        {
            "dialogue": dialogue,
            "form": form,
            "groups": list(groups.values()),
            "grid": [(v, [form[n] for n in names]) for v, names in form.grid],
        },
    )


@login_required
def briefing_pdf(request, pk: int):
    """The chair's briefing pack as PDF: petitions grouped by field with the answers prepared for them."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from portal.documents.rendering import render_template_pdf

    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    require(request, "dialogues.print_briefing", dialogue)
    pdf = render_template_pdf(
        "dialogues/pdf/briefing.html",
        {
            "dialogue": dialogue,
            "villages": list(dialogue.villages.order_by("name")),
            "printed_at": timezone.localtime(),
            **selectors.briefing_groups(dialogue),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"tai-lieu-chu-tri-{dialogue.pk}.pdf")
    return response
