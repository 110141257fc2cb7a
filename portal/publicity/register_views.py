"""The commune's publicity register pages (Sổ công khai): list, publicize, plan, quarterly list, HĐND report,
information requests. Thin: parse, check permission, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.access import access_for
from portal.documents.models import Document
from portal.models import Role
from portal.publicity import register, selectors, services
from portal.publicity.forms import (
    AnswerForm,
    InformationRequestForm,
    PeriodForm,
    PlanEntryForm,
    PublicationForm,
    QuarterForm,
)
from portal.publicity.models import ContentItem, InformationRequest, PlanEntry
from portal.publicity.views import add_errors


def _office_commune(request):
    """The commune whose register this staff member keeps (404 for anyone else)."""
    access = access_for(request.user)
    ids = sorted(access.commune_ids(Role.STAFF, Role.LEADER))
    if not ids:
        raise Http404
    from portal.models import AdministrativeUnit

    return AdministrativeUnit.objects.get(pk=ids[0])


@login_required
def register_list(request):
    commune = _office_commune(request)
    item = request.GET.get("noi-dung", "")
    item = int(item) if item.isdigit() and int(item) in ContentItem.values else None
    qs = selectors.publication_list(user=request.user, commune=commune, item=item)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/register_list.html",
        {
            "commune": commune,
            "page": page,
            "items": ContentItem.choices,
            "item": item,
            "year": timezone.localdate().year,
        },
    )


@login_required
def publication_create(request):
    commune = _office_commune(request)
    documents = Document.objects.filter(commune=commune, status=Document.Status.ISSUED).order_by(
        "-issued_on", "-id"
    )[:200]
    form = PublicationForm(request.POST or None, request.FILES or None, documents=documents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = (
            next((d for d in documents if d.pk == data["document"]), None) if data["document"] else None
        )
        try:
            publication = services.publication_create(
                commune=commune,
                title=data["title"],
                item=data["item"],
                summary=data["summary"],
                document=document,
                file=data["file"],
                decided_on=data["decided_on"],
                starts_on=data["starts_on"],
                forms=data["extra_forms"],
                responsible=data["responsible"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, "Đã công khai. Các việc niêm yết, truyền thanh, gửi Trưởng thôn đã được giao."
            )
            return redirect("publicity:detail", pk=publication.pk)
    return render(request, "publicity/publication_form.html", {"form": form, "commune": commune})


@login_required
def plan(request, year: int):
    commune = _office_commune(request)
    if not (2023 <= year <= 2100):
        raise Http404
    form = PlanEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            register.plan_entry_add(
                commune=commune,
                year=year,
                item=form.cleaned_data["item"],
                content=form.cleaned_data["content"],
                forms=form.cleaned_data["forms"],
                timing=form.cleaned_data["timing"],
                duration=form.cleaned_data["duration"],
                responsible=form.cleaned_data["responsible"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã thêm vào kế hoạch công khai.")
            return redirect("publicity:plan", year=year)
    entries = PlanEntry.objects.filter(commune=commune, year=year, withdrawn=False).order_by("item", "id")
    return render(
        request, "publicity/plan.html", {"form": form, "entries": entries, "year": year, "commune": commune}
    )


@login_required
@require_POST
def plan_entry_withdraw(request, entry_pk: int):
    commune = _office_commune(request)
    entry = get_object_or_404(PlanEntry, pk=entry_pk, commune=commune)
    register.plan_entry_withdraw(entry=entry, by=request.user)
    messages.success(request, "Đã bỏ dòng khỏi kế hoạch.")
    return redirect("publicity:plan", year=entry.year)


@login_required
@require_POST
def plan_document(request, year: int):
    commune = _office_commune(request)
    try:
        document = register.plan_document(commune=commune, year=year, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("publicity:plan", year=year)
    messages.success(request, "Đã lập dự thảo Kế hoạch công khai; trình lãnh đạo ký ban hành.")
    return redirect("documents:detail", pk=document.pk)


@login_required
def quarterly(request):
    commune = _office_commune(request)
    today = timezone.localdate()
    form = QuarterForm(
        request.POST or None, initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = register.quarterly_list_document(
                commune=commune,
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                "Đã lập danh sách các nội dung đã công khai trong quý. Sau khi ban hành, công khai danh sách tại "
                "trụ sở và các thôn (Sổ công khai → Công khai nội dung mới).",
            )
            return redirect("documents:detail", pk=document.pk)
    return render(
        request,
        "publicity/document_form.html",
        {
            "form": form,
            "title": "Danh sách nội dung đã công khai theo quý",
            "lead": "Điều 13 khoản 2: danh sách các nội dung đã công khai kèm hình thức, thời gian thực hiện được lập, "
            "cập nhật theo từng quý và niêm yết tại trụ sở, các thôn.",
            "button": "Lập danh sách",
        },
    )


@login_required
def report(request):
    commune = _office_commune(request)
    today = timezone.localdate()
    form = PeriodForm(request.POST or None, initial={"start": today.replace(month=1, day=1), "end": today})
    if request.method == "POST" and form.is_valid():
        try:
            document = register.hdnd_report_document(
                commune=commune,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                session_on=form.cleaned_data["session_on"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, "Đã lập dự thảo báo cáo HĐND; trình lãnh đạo ký ban hành, gửi Ủy ban MTTQ."
            )
            return redirect("documents:detail", pk=document.pk)
    return render(
        request,
        "publicity/document_form.html",
        {
            "form": form,
            "title": "Báo cáo HĐND kết quả công khai",
            "lead": "Điều 14 khoản 3: báo cáo quá trình, kết quả công khai tại kỳ họp thường lệ gần nhất của HĐND xã, "
            "gửi Ủy ban MTTQ xã để giám sát.",
            "button": "Lập báo cáo",
        },
    )


@login_required
def requests(request):
    commune = _office_commune(request)
    form = InformationRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            register.information_request_record(commune=commune, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã ghi nhận yêu cầu cung cấp thông tin.")
            return redirect("publicity:requests")
    qs = (
        InformationRequest.objects.filter(commune=commune)
        .select_related("answered_by")
        .order_by("status", "-received_on", "-id")
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "publicity/requests.html", {"form": form, "page": page})


@login_required
def request_answer(request, request_pk: int):
    commune = _office_commune(request)
    info_request = get_object_or_404(InformationRequest, pk=request_pk, commune=commune)
    form = AnswerForm(request.POST or None, initial={"answered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            register.information_request_answer(request=info_request, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã ghi nhận trả lời.")
            return redirect("publicity:requests")
    return render(request, "publicity/request_answer.html", {"form": form, "info_request": info_request})
