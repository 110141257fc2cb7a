"""Browser UI for official documents (thin views: forms → services; visibility via selectors; rules for actions)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from portal import files, registry
from portal.access import access_for
from portal.documents import selectors, services
from portal.documents.forms import (
    DocumentForm,
    ReserveNumberForm,
    SectionForm,
    TaskForm,
    TaskReportForm,
    TriggerForm,
    task_initial,
)
from portal.documents.models import Document, DocumentType, Section, Task, TaskReport, register_group
from portal.documents.rendering import render_docx, render_html, render_pdf, rich
from portal.documents.specs import SpecError, document_to_spec, dump_yaml
from portal.documents.structure import due_phrase, numbered_body
from portal.models import AdministrativeUnit, Deadline, Organization, Role

ISSUER_KINDS = [
    Organization.Kind.PEOPLES_COMMITTEE,
    Organization.Kind.PEOPLES_COUNCIL,
    Organization.Kind.PARTY_COMMITTEE,
    Organization.Kind.OFFICE,
]


def _get(request, pk) -> Document:
    try:
        return selectors.document_get(user=request.user, pk=pk)
    except Document.DoesNotExist as exc:
        raise Http404 from exc


def _need(request, perm, obj, message):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(message)


def _errors(request, exc: ValidationError):
    messages.error(request, " ".join(exc.messages))


@login_required
def document_list(request):
    status = request.GET.get("status")
    if status not in Document.Status.values:
        status = None
    doc_type = request.GET.get("loai")
    if doc_type not in DocumentType.values:
        doc_type = None
    search = (request.GET.get("q") or "").strip()[:100]
    models_only = request.GET.get("mau") == "1"
    qs = selectors.document_list(
        user=request.user, status=status, doc_type=doc_type, search=search, models_only=models_only
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    access = access_for(request.user)
    params = {
        k: v
        for k, v in (
            ("status", status),
            ("loai", doc_type),
            ("q", search),
            ("mau", "1" if models_only else ""),
        )
        if v
    }
    return render(
        request,
        "documents/list.html",
        {
            "page": page,
            "status": status,
            "statuses": Document.Status.choices,
            "doc_type": doc_type,
            "types": DocumentType.choices,
            "search": search,
            "models_only": models_only,
            "query": urlencode(params),
            "can_create": bool(access.commune_ids(Role.STAFF, Role.LEADER))
            or access.has_role(Role.OVERSEER)
            or access.is_superuser,
        },
    )


def _create_target(request):
    """(commune or None, issuer queryset) for a new document of this user."""
    access = access_for(request.user)
    communes = sorted(access.commune_ids(Role.STAFF, Role.LEADER))
    if communes:
        commune = AdministrativeUnit.objects.get(pk=communes[0])
        return commune, Organization.objects.filter(unit=commune, kind__in=ISSUER_KINDS)
    upper = [m.unit_id for m in access.memberships if m.role == Role.OVERSEER]
    if upper:
        return None, Organization.objects.filter(unit_id__in=upper)
    raise PermissionDenied("Bạn không có quyền soạn văn bản.")


@login_required
def document_create(request):
    commune, issuers = _create_target(request)
    form = DocumentForm(
        request.POST or None,
        issuers=issuers,
        upper_level=commune is None,
        initial={
            "place": commune.name if commune else "",
            "doc_type": "KH",
            "sig_authority": "TM",
            "sig_organ": "ỦY BAN NHÂN DÂN",
            "sig_position": "CHỦ TỊCH",
            "archive": "Lưu: VT",
            "numbering": "roman",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = {
            "type": data["doc_type"],
            "place": data["place"],
            "title": data["title"],
            "date": f"{data['draft_date']:%Y-%m}"
            if data["draft_date"] and data["draft_day_blank"]
            else data["draft_date"],
            "parent_organ": data["parent_organ"],
            "organ": data["organ"],
            "letter_unit": data["letter_unit"],
            "preamble": data["preamble_text"],
            "preamble_style": data["preamble_style"],
            "closing": data["closing"],
            "level3": data["level3"],
            "recipients": data["recipients_text"],
            "archive": data["archive"],
            "to": data["addressees_text"],
            "enacting_authority": data["enacting_authority"],
            "numbering": data["numbering"],
            "sections": [],
            "signature": {
                "authority": data["sig_authority"] or "none",
                "organ": data["sig_organ"],
                "head": data["sig_head"],
                "position": data["sig_position"],
                "signer": data["sig_signer"],
            },
        }
        if commune is None:
            spec["purpose"] = data["purpose"]
        try:
            doc = services.document_create_from_spec(
                spec=spec, issuer=data["issuer"], by=request.user, commune=commune
            )
        except ValidationError as exc:
            _errors(request, exc)
        except SpecError as exc:  # e.g. an empty title: said on the form, nothing created
            for message in exc.messages():
                form.add_error(None, message)
        else:
            messages.success(request, "Đã tạo dự thảo. Hãy thêm các mục nội dung.")
            return redirect("documents:detail", pk=doc.pk)
    return render(request, "documents/form.html", {"form": form, "document": None})


@login_required
def document_edit(request, pk):
    doc = _get(request, pk)
    _need(request, "documents.change_document", doc, "Bạn không có quyền sửa văn bản này.")
    issuers = Organization.objects.filter(unit=doc.unit, kind__in=ISSUER_KINDS) | Organization.objects.filter(
        pk=doc.issuer_id
    )
    form = DocumentForm(
        request.POST or None, instance=Document.objects.get(pk=doc.pk), issuers=issuers.distinct()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in DocumentForm.Meta.fields if k != "issuer"}
        fields["preamble"] = data["preamble_text"]
        fields["recipients"] = data["recipients_text"]
        fields["addressees"] = data["addressees_text"]
        try:
            services.document_update_fields(document=doc, by=request.user, **fields)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "Đã lưu thông tin văn bản.")
            return redirect("documents:detail", pk=doc.pk)
    return render(request, "documents/form.html", {"form": form, "document": doc})


@login_required
def document_detail(request, pk):
    doc = _get(request, pk)
    sections = list(Section.objects.filter(document=doc).order_by("position", "id"))
    tasks = list(doc.tasks.prefetch_related("reports", "reports__reported_by"))
    body = numbered_body(doc, sections=sections, tasks=tasks)
    editable_nodes = []

    def walk(nodes, depth):
        for n in nodes:
            if n.get("id"):
                n["depth"] = depth
                n["html_heading"], n["html_text"] = rich(n["heading"]), rich(n["text"])
                if n["kind"] == Section.Kind.TABLE:
                    n["edit_text"] = services.table_to_text(n.get("data", {}))
                    n["html_text"] = rich(
                        f"[Bảng {len(n['data'].get('rows', []))} hàng] " + n["edit_text"][:200]
                    )
                else:
                    n["edit_text"] = n["text"]
                editable_nodes.append(n)
            walk(n["children"], depth + 1)

    walk(body, 0)
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Task)
    deadlines = {
        int(d.object_id): d
        for d in Deadline.objects.filter(content_type=ct, object_id__in=[str(t.pk) for t in tasks]).order_by(
            "id"
        )
    }
    today = timezone.localdate()
    can_edit = request.user.has_perm("documents.change_document", doc)
    rows = [
        {
            "task": t,
            "due": due_phrase(t),
            "deadline": deadlines.get(t.pk),
            "form": TaskForm(initial=task_initial(t), prefix=f"t{t.pk}") if can_edit else None,
            # One form per row with its own ids, so each label points at its own row's control.
            "report_form": TaskReportForm(auto_id=f"id_report{t.pk}_%s"),
            "trigger_form": TriggerForm(auto_id=f"id_trigger{t.pk}_%s"),
            "overdue": (d := deadlines.get(t.pk)) is not None
            and d.status in ("open", "missed")
            and d.due_date < today,
        }
        for t in tasks
    ]
    user = request.user
    return render(
        request,
        "documents/detail.html",
        {
            "document": doc,
            "nodes": editable_nodes,
            "rows": rows,
            "can_edit": can_edit,
            "can_issue": (can_issue := user.has_perm("documents.issue_document", doc)),
            "issue_problems": registry.document_issue_problems(doc, today=today)
            if can_issue and doc.status == Document.Status.DRAFT
            else [],
            "held_numbers": selectors.reserved_numbers_open(
                issuer=doc.issuer, group=register_group(doc.doc_type), year=today.year
            )
            if can_issue and doc.status == Document.Status.DRAFT
            else [],
            "can_version": user.has_perm("documents.new_version_document", doc),
            "can_copy": user.has_perm("documents.copy_model_document", doc),
            "can_report": user.has_perm("documents.report_task", doc),
            "can_trigger": user.has_perm("documents.trigger_task", doc),
            "can_plan_report": user.has_perm("documents.report_plan", doc) and doc.doc_type == "KH",
            "section_form": SectionForm(),
            "task_form": TaskForm(),
            "kinds": Section.Kind.choices,
            "versions": Document.objects.filter(
                pk__in=[x for x in (doc.previous_id, doc.replaced_by_id) if x]
            ),
        },
    )


def _post_action(request, doc, fn, ok):
    try:
        result = fn()
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("documents:detail", pk=doc.pk)
    messages.success(request, ok)
    return result


@login_required
@require_POST
def document_issue(request, pk):
    doc = _get(request, pk)
    _need(request, "documents.issue_document", doc, "Chỉ lãnh đạo được ký ban hành văn bản.")
    held = request.POST.get("so-giu") or ""
    if held and not held.isdigit():
        raise Http404
    r = _post_action(
        request,
        doc,
        lambda: services.document_issue(
            document=doc, by=request.user, reserved_number=int(held) if held else None
        ),
        "Đã ban hành văn bản.",
    )
    return r if isinstance(r, HttpResponse) else redirect("documents:detail", pk=doc.pk)


@login_required
@require_POST
def document_new_version(request, pk):
    doc = _get(request, pk)
    _need(request, "documents.new_version_document", doc, "Bạn không có quyền tạo phiên bản mới.")
    r = _post_action(
        request,
        doc,
        lambda: services.document_new_version(document=doc, by=request.user),
        "Đã tạo phiên bản mới (dự thảo).",
    )
    return r if isinstance(r, HttpResponse) else redirect("documents:detail", pk=r.pk)


@login_required
@require_POST
def document_copy(request, pk):
    doc = _get(request, pk)
    _need(request, "documents.copy_model_document", doc, "Bạn không có quyền sao chép văn bản mẫu.")
    commune_ids = sorted(access_for(request.user).commune_ids(Role.STAFF, Role.LEADER))
    commune = AdministrativeUnit.objects.get(pk=commune_ids[0])
    r = _post_action(
        request,
        doc,
        lambda: services.document_copy_model(document=doc, commune=commune, by=request.user),
        "Đã sao chép văn bản mẫu về xã.",
    )
    return r if isinstance(r, HttpResponse) else redirect("documents:detail", pk=r.pk)


@login_required
@require_POST
def document_plan_report(request, pk):
    doc = _get(request, pk)
    _need(request, "documents.report_plan", doc, "Bạn không có quyền lập báo cáo.")
    r = _post_action(
        request,
        doc,
        lambda: services.document_report_from_plan(plan=doc, by=request.user),
        "Đã lập dự thảo báo cáo kết quả thực hiện kế hoạch.",
    )
    return r if isinstance(r, HttpResponse) else redirect("documents:detail", pk=r.pk)


@login_required
@require_POST
def section_add(request, pk):
    doc = _get(request, pk)
    _need(request, "documents.change_document", doc, "Bạn không có quyền sửa văn bản này.")
    form = SectionForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = get_object_or_404(Section, pk=form.cleaned_data["parent"], document=doc)
        _post_action(
            request,
            doc,
            lambda: services.section_add(
                document=doc,
                by=request.user,
                kind=form.cleaned_data["kind"],
                heading=form.cleaned_data["heading"],
                text=form.cleaned_data["text"],
                parent=parent,
            ),
            "Đã thêm mục.",
        )
    else:
        messages.error(request, "Dữ liệu mục không hợp lệ.")
    return redirect("documents:detail", pk=doc.pk)


def _section(request, sid) -> tuple[Document, Section]:
    section = get_object_or_404(Section, pk=sid)
    doc = _get(request, section.document_id)
    _need(request, "documents.change_document", doc, "Bạn không có quyền sửa văn bản này.")
    return doc, section


@login_required
@require_POST
def section_edit(request, sid):
    doc, section = _section(request, sid)
    _post_action(
        request,
        doc,
        lambda: services.section_update(
            section=section,
            by=request.user,
            heading=request.POST.get("heading", "").strip(),
            text=request.POST.get("text", "").strip(),
        ),
        "Đã lưu mục.",
    )
    return redirect(f"/van-ban/{doc.pk}/#section-{section.pk}")


@login_required
@require_POST
def section_move(request, sid):
    doc, section = _section(request, sid)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    _post_action(
        request,
        doc,
        lambda: services.section_move(section=section, by=request.user, direction=direction),
        "Đã di chuyển mục; số thứ tự được đánh lại.",
    )
    return redirect("documents:detail", pk=doc.pk)


@login_required
@require_POST
def section_delete(request, sid):
    doc, section = _section(request, sid)
    _post_action(
        request, doc, lambda: services.section_delete(section=section, by=request.user), "Đã xóa mục."
    )
    return redirect("documents:detail", pk=doc.pk)


@login_required
@require_POST
def task_add(request, pk):
    doc = _get(request, pk)
    _need(request, "documents.change_document", doc, "Bạn không có quyền sửa văn bản này.")
    form = TaskForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _post_action(
            request,
            doc,
            lambda: services.task_save(
                document=doc,
                by=request.user,
                lead=d["lead"],
                description=d["description"],
                coordinating=d["coordinating_list"],
                due=d["due"],
            ),
            "Đã thêm nhiệm vụ.",
        )
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("documents:detail", pk=doc.pk)


def _task(request, tid) -> tuple[Document, Task]:
    task = get_object_or_404(Task, pk=tid)
    return _get(request, task.document_id), task


@login_required
@require_POST
def task_edit(request, tid):
    doc, task = _task(request, tid)
    _need(request, "documents.change_document", doc, "Bạn không có quyền sửa văn bản này.")
    form = TaskForm(request.POST, prefix=f"t{task.pk}")
    if form.is_valid():
        d = form.cleaned_data
        _post_action(
            request,
            doc,
            lambda: services.task_save(
                document=doc,
                by=request.user,
                task=task,
                lead=d["lead"],
                description=d["description"],
                coordinating=d["coordinating_list"],
                due=d["due"],
            ),
            "Đã lưu nhiệm vụ.",
        )
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(f"/van-ban/{doc.pk}/#task-{task.pk}")


@login_required
@require_POST
def task_delete(request, tid):
    doc, task = _task(request, tid)
    _need(request, "documents.change_document", doc, "Bạn không có quyền sửa văn bản này.")
    _post_action(request, doc, lambda: services.task_delete(task=task, by=request.user), "Đã xóa nhiệm vụ.")
    return redirect("documents:detail", pk=doc.pk)


@login_required
@require_POST
def task_report(request, tid):
    doc, task = _task(request, tid)
    _need(request, "documents.report_task", task, "Bạn không có quyền báo cáo nhiệm vụ này.")
    form = TaskReportForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        _post_action(
            request,
            doc,
            lambda: services.task_report(
                task=task,
                text=d["text"],
                by=request.user,
                completes=d["completes"],
                evidence=d["evidence"],
                evidence_link=d["evidence_link"],
            ),
            "Đã ghi nhận báo cáo tiến độ.",
        )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(f"/van-ban/{doc.pk}/#task-{task.pk}")


@login_required
@require_POST
def task_trigger(request, tid):
    doc, task = _task(request, tid)
    _need(request, "documents.trigger_task", task, "Bạn không có quyền ghi nhận sự kiện.")
    form = TriggerForm(request.POST)
    if form.is_valid():
        _post_action(
            request,
            doc,
            lambda: services.task_record_trigger(task=task, on=form.cleaned_data["on"], by=request.user),
            "Đã ghi nhận sự kiện; thời hạn bắt đầu tính.",
        )
    else:
        messages.error(request, "Ngày không hợp lệ.")
    return redirect("documents:detail", pk=doc.pk)


@login_required
def evidence_download(request, rid):
    report = get_object_or_404(TaskReport.objects.select_related("task"), pk=rid)
    _get(request, report.task.document_id)  # 404 unless the user may read the document
    return files.serve(request, report.evidence)


@login_required
def document_preview(request, pk):
    doc = _get(request, pk)
    return HttpResponse(render_html(doc))


def _filename(doc: Document, ext: str) -> str:
    base = doc.symbol.replace("/", "-") if doc.symbol else f"du-thao-{doc.pk}"
    return f"van-ban-{base}.{ext}"


@login_required
def document_pdf(request, pk):
    """Small documents: the PDF now. Large ones: rendered by a worker; a status page that reloads itself until the
    file is ready (then the download), or says that it failed and offers a retry."""
    from portal.documents import tasks

    doc = _get(request, pk)
    chars, key, path = tasks.pdf_job(doc)
    if chars <= tasks.INLINE_PDF_CHARS:
        response = HttpResponse(render_pdf(doc), content_type="application/pdf")
    elif path.exists():
        response = FileResponse(path.open("rb"), content_type="application/pdf")
    else:
        state = tasks.pdf_state(key)
        if state is None or (state == "failed" and request.method == "POST"):
            tasks.enqueue_pdf(doc, key)
            state = "pending"
        return render(
            request,
            "documents/pdf_pending.html",
            {"document": doc, "state": state, "chars": chars},
            status=202 if state == "pending" else 200,
        )
    response["Content-Disposition"] = content_disposition_header(False, _filename(doc, "pdf"))
    return response


@login_required
def document_docx(request, pk):
    doc = _get(request, pk)
    response = HttpResponse(
        render_docx(doc),
        content_type=("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    )
    response["Content-Disposition"] = content_disposition_header(True, _filename(doc, "docx"))
    return response


@login_required
def document_yaml(request, pk):
    doc = _get(request, pk)
    response = HttpResponse(dump_yaml(document_to_spec(doc)), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _filename(doc, "yaml"))
    return response


@login_required
@require_POST
def bundle_request(request):
    """Render the listed issued documents (current filters, at most 100) in the background as one ZIP."""
    from portal.documents.tasks import BATCH_LIMIT, enqueue_render_bundle

    doc_type = request.POST.get("loai") if request.POST.get("loai") in DocumentType.values else None
    ids = list(
        selectors.document_list(
            user=request.user,
            status=Document.Status.ISSUED,
            doc_type=doc_type,
            search=(request.POST.get("q") or "").strip()[:100],
        ).values_list("pk", flat=True)[:BATCH_LIMIT]
    )
    if not ids:
        messages.error(request, "Không có văn bản đã ban hành nào để xuất.")
    else:
        enqueue_render_bundle(ids, request.user.pk)
        messages.success(request, f"Đang tạo gói PDF của {len(ids)} văn bản; bạn sẽ nhận thông báo khi xong.")
    return redirect("documents:list")


@login_required
def bundle_download(request, token):
    from django.core import signing

    from portal.documents.tasks import BATCH_MAX_AGE, BATCH_SALT, batch_dir

    try:
        data = signing.loads(token, salt=BATCH_SALT, max_age=BATCH_MAX_AGE)
    except signing.BadSignature as exc:
        raise Http404 from exc
    if data.get("u") != request.user.pk:
        raise Http404
    path = batch_dir() / str(data.get("f", "")).replace("/", "")
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename="van-ban.zip")


@login_required
def register_book(request):
    """Sổ văn bản đi: one book per issuer, group and year; every number from 1 to the last, gaps shown."""
    issuers = list(selectors.register_issuers(user=request.user))
    if not issuers:  # e.g. an upper level's reader: no book of its own here
        if request.GET.get("co-quan"):
            raise Http404  # someone else's book: not found, as for any document not yours
        return render(request, "documents/register.html", {"issuers": [], "rows": []})
    try:
        issuer_id = int(request.GET.get("co-quan") or issuers[0].pk)
        year = int(request.GET.get("nam") or timezone.localdate().year)
    except ValueError as exc:
        raise Http404 from exc
    issuer = next((o for o in issuers if o.pk == issuer_id), None)
    group = request.GET.get("so") or "HC"
    if issuer is None or group not in REGISTER_BOOKS or not 2000 <= year <= 2100:
        raise Http404
    rows = selectors.register_book(issuer=issuer, group=group, year=year)
    can_reserve = request.user.has_perm("documents.reserve_number", issuer)
    return render(
        request,
        "documents/register.html",
        {
            "issuers": issuers,
            "issuer": issuer,
            "group": group,
            "groups": REGISTER_BOOKS.items(),
            "year": year,
            "rows": rows,
            "gaps": sum(1 for r in rows if r["gap"]),
            "held": sum(1 for r in rows if r["reserved"]),
            "reserve_form": ReserveNumberForm() if can_reserve else None,
        },
    )


@login_required
@require_POST
def register_reserve(request):
    """Giữ số: a leader (or an administrator) holds a number back in a book, with the reason."""
    issuers = list(selectors.register_issuers(user=request.user))
    try:
        issuer_id = int(request.POST.get("co-quan") or 0)
        year = int(request.POST.get("nam") or 0)
    except ValueError as exc:
        raise Http404 from exc
    issuer = next((o for o in issuers if o.pk == issuer_id), None)
    group = request.POST.get("so") or ""
    if issuer is None or group not in REGISTER_BOOKS:
        raise Http404
    _need(
        request, "documents.reserve_number", issuer, "Chỉ lãnh đạo hoặc quản trị viên được giữ số trong sổ."
    )
    form = ReserveNumberForm(request.POST)
    if form.is_valid():
        try:
            held = services.register_reserve(
                issuer=issuer,
                group=group,
                year=year,
                number=form.cleaned_data["number"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"Đã giữ số {held.number:02d} trong sổ năm {held.year}.")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    query = urlencode({"co-quan": issuer.pk, "so": group, "nam": year})
    return redirect(f"{reverse('documents:register')}?{query}")


REGISTER_BOOKS = {
    "HC": "Văn bản hành chính (kế hoạch, báo cáo, thông báo…)",
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
    "CV": "Công văn",
}
