"""Staff pages: list, create, the lifecycle actions, postings, comments, meetings, import, answers, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consultations import documents_bridge, exports, selectors, services
from consultations.filters import CommentFilter
from consultations.forms import (
    AdoptForm,
    AnswerForm,
    AssignForm,
    ConsultationForm,
    DraftVersionForm,
    HideForm,
    ImportForm,
    IssuePlanForm,
    MeetingForm,
    MergeForm,
    PublishForm,
    RecordCommentForm,
    ReportForm,
    ResultsForm,
    TagForm,
)
from consultations.models import Article, Comment, Consultation, ImportBatch
from consultations.text import draft_to_text
from consultations.workflow import CONSULTATION
from portal import fragments, lookups
from portal.access import access_for
from portal.models import Role
from portal.pagination import seek_page
from portal.text import normalize_tracking_code

from ._common import add_errors, flash_errors, page_of, querystring_without_page

S = Consultation.Status


def _staff_get(
    request,
    pk: int,
    perm: str = "consultations.review_consultation",
    related=selectors.FULL_RELATED,
    *,
    cached: bool = False,
) -> Consultation:
    return selectors.staff_consultation_get(
        user=request.user, pk=pk, perm=perm, related=related, cached=cached
    )


@login_required
@require_GET
def consultation_list(request):
    status = request.GET.get("status") or None
    if status not in S.values:
        status = None
    qs = selectors.consultation_list(user=request.user, status=status)
    access = access_for(request.user)
    qs = (
        qs.filter(commune_id__in=access.readable_commune_ids() | access.commune_ids(Role.RADIO))
        if not access.is_superuser
        else qs
    )
    return render(
        request,
        "consultations/consultation_list.html",
        {
            "page": page_of(request, qs),
            "status": status,
            "statuses": S.choices,
            "query": f"status={status}" if status else "",
            "can_add": request.user.has_perm(
                "consultations.add_consultation", Consultation(commune=access.home_commune)
            )
            if access.home_commune
            else False,
        },
    )


@login_required
def consultation_create(request):
    access = access_for(request.user)
    commune = access.home_commune
    if commune is None or not request.user.has_perm(
        "consultations.add_consultation", Consultation(commune=commune)
    ):
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.consultation_create(
                commune=commune,
                by=request.user,
                title=data["title"],
                category=data["category"],
                audience=data["audience"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                channels=data["channels"],
                organizers=list(data["organizers"]),
                summary_due_on=data["summary_due_on"],
                responsible=data["responsible"],
                summary=data["summary"],
                draft_text=data["draft_text"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã tạo cuộc lấy ý kiến.")
            return redirect("consultations:manage", pk=consultation.pk)
    return render(request, "consultations/consultation_form.html", {"form": form, "consultation": None})


@login_required
def consultation_edit(request, pk: int):
    consultation = _staff_get(request, pk, "consultations.change_consultation")
    initial = {
        k: getattr(consultation, k)
        for k in (
            "title",
            "audience",
            "category",
            "summary",
            "opens_on",
            "closes_on",
            "summary_due_on",
            "channels",
            "responsible",
        )
    }
    initial["organizers"] = list(consultation.organizers.all())
    form = ConsultationForm(request.POST or None, commune=consultation.commune, initial=initial)
    form.fields["draft_text"].widget = form.fields["draft_text"].hidden_widget()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            k: data[k]
            for k in (
                "title",
                "audience",
                "category",
                "summary",
                "opens_on",
                "closes_on",
                "summary_due_on",
                "channels",
            )
        }
        fields["responsible"] = data["responsible"] or consultation.responsible
        plan_before = (consultation.plan_document_id, consultation.plan_issued_on)
        try:
            updated = services.consultation_update(
                consultation=consultation, by=request.user, organizers=list(data["organizers"]), **fields
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã lưu.")
            if plan_before[1] is not None and updated.plan_issued_on is None:
                messages.warning(request, _plan_revised_message(plan_before[0], updated))
            return redirect("consultations:manage", pk=consultation.pk)
    in_force, _replaced = documents_bridge.plan_in_force(consultation)
    return render(
        request,
        "consultations/consultation_form.html",
        {
            "form": form,
            "consultation": consultation,
            "plan_issued": consultation.plan_issued_on is not None,
            "plan_in_force": in_force,
        },
    )


def _plan_revised_message(old_plan_id, consultation) -> str:
    if old_plan_id and consultation.plan_document_id != old_plan_id:
        return (
            f"Kế hoạch đã ban hành không còn khớp với thời gian, hình thức mới: đã lập Kế hoạch sửa đổi (dự thảo "
            f"phiên bản {consultation.plan_document.version}). Trình lãnh đạo ký ban hành, rồi ghi ngày gửi lại "
            "HĐND xã và Ủy ban MTTQ xã trước khi công bố; kế hoạch cũ vẫn được lưu."
        )
    return (
        "Kế hoạch đã ban hành không còn khớp với thời gian, hình thức mới: ban hành lại kế hoạch và ghi ngày gửi "
        "HĐND xã và Ủy ban MTTQ xã trước khi công bố."
    )


def _action_forms(consultation):
    """The input forms of the workflow's actions, keyed by action name (consultations/workflow.py)."""
    today = timezone.localdate()
    return {
        "ke-hoach": IssuePlanForm(
            initial={
                "issued_on": consultation.plan_issued_on
                or (None if consultation.plan_document_id else today),
                "sent_hdnd_on": consultation.plan_sent_hdnd_on or today,
                "sent_mttq_on": consultation.plan_sent_mttq_on or today,
                "sent_union_on": consultation.plan_sent_union_on or today,
            }
        ),
        "cong-bo": PublishForm(initial={"publicized_on": consultation.opens_on}),
        "cong-khai-ket-qua": ResultsForm(
            initial={
                "issued_on": (
                    consultation.report_document.issued_on if consultation.report_document_id else None
                )
                or today
            }
        ),
        "ban-hanh": AdoptForm(initial={"hdnd_session_on": consultation.hdnd_session_on}),
        "bao-cao": ReportForm(initial={"reported_on": consultation.hdnd_session_on or today}),
    }


@login_required
@require_GET
def consultation_manage(request, pk: int):
    consultation = _staff_get(request, pk)
    version = selectors.current_version(consultation)
    can_change = request.user.has_perm("consultations.change_consultation", consultation)
    can_adopt = request.user.has_perm("consultations.adopt_consultation", consultation)
    buttons = []
    if can_change or can_adopt:
        buttons = CONSULTATION.buttons(
            consultation,
            request.user,
            forms=_action_forms(consultation),
            url=lambda name: reverse("consultations:transition", args=[consultation.pk, name]),
        )
    context = {
        "consultation": consultation,
        "version": version,
        "buttons": buttons,
        "versions": list(consultation.versions.all()),
        "counts": selectors.comment_counts(consultation, public=False),
        "can_change": can_change,
        "can_adopt": can_adopt,
        "organizers": list(consultation.organizers.all()),
        "summaries": list(consultation.org_summaries.select_related("organization")),
        "documents": _documents(consultation),
        "deadlines": list(audit_deadlines(consultation)),
        "problems": [str(r) for r in CONSULTATION.problems(consultation)],
    }
    return render(request, "consultations/consultation_manage.html", context)


def audit_deadlines(consultation):
    from django.contrib.contenttypes.models import ContentType

    from portal.models import Deadline

    ct = ContentType.objects.get_for_model(Consultation)
    return Deadline.objects.filter(content_type=ct, object_id=str(consultation.pk)).order_by("due_date", "id")


def _documents(consultation):
    return documents_bridge.documents_for(consultation)


@login_required
@require_POST
def consultation_transition(request, pk: int, action: str):
    step = CONSULTATION.action(action)  # Http404 for an unknown action
    if not step.button:  # done by the system only
        raise Http404
    consultation = _staff_get(request, pk, step.perm)
    kwargs = {}
    form_class = step.form_class()
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return redirect("consultations:manage", pk=pk)
        kwargs = form.cleaned_data
    try:
        CONSULTATION.perform(consultation, action, by=request.user, **kwargs)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        consultation.refresh_from_db()
        messages.success(request, CONSULTATION.done_message(consultation, action))
    return redirect("consultations:manage", pk=pk)


@login_required
def version_create(request, pk: int):
    consultation = _staff_get(request, pk, "consultations.change_consultation")
    version = selectors.current_version(consultation)
    # "Sửa điều khoản theo ý kiến" on an accepted comment comes here with ?y_kien=<id>: the new version is linked
    # to the comments it answers (the results then show which article changed because of which comments).
    wanted = [int(x) for x in (request.POST or request.GET).getlist("y_kien") if x.isdigit()][:50]
    answered = list(
        Comment.objects.filter(
            consultation=consultation,
            pk__in=wanted,
            answer_kind__in=[Comment.Answer.ACCEPTED, Comment.Answer.PARTLY],
        ).select_related("article__parent")
    )
    note = "Tiếp thu ý kiến " + ", ".join(c.tracking_code for c in answered) if answered else ""
    initial = {"draft_text": draft_to_text(version.articles.all()) if version else "", "note": note[:500]}
    form = DraftVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.draft_version_create(
                consultation=consultation,
                by=request.user,
                draft_text=form.cleaned_data["draft_text"],
                note=form.cleaned_data["note"],
                for_comments=[c.pk for c in answered],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu dự thảo lần {new.number}.")
            return redirect("consultations:version_detail", pk=pk, number=new.number)
    return render(
        request,
        "consultations/version_form.html",
        {"consultation": consultation, "form": form, "answered": answered},
    )


@login_required
@require_GET
def version_detail(request, pk: int, number: int):
    consultation = _staff_get(request, pk)
    version = get_object_or_404(consultation.versions, number=number)
    articles = list(version.articles.select_related("parent", "previous"))
    removed = []
    if version.number > 1:
        keys = {a.key for a in articles}
        removed = [
            a
            for a in Article.objects.filter(
                version__consultation=consultation, version__number=version.number - 1
            ).select_related("parent")
            if a.key not in keys
        ]
    return render(
        request,
        "consultations/version_detail.html",
        {"consultation": consultation, "version": version, "articles": articles, "removed": removed},
    )


# --- Publicity ------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def postings(request, pk: int):
    """The consultation's publicizing: one core compliance matrix per phase (portal/publicity)."""
    consultation = _staff_get(request, pk, "consultations.view_postings")
    return render(
        request,
        "consultations/posting_matrix.html",
        {"consultation": consultation, "phases": selectors.publicity_phases(consultation=consultation)},
    )


# The village head's postings, a posting's confirmation and the radio log are core pages (any publication):
# the old addresses keep working.


def posting_confirm(request, posting_pk: int):
    return redirect("publicity:posting_confirm", posting_pk=posting_pk, permanent=True)


def broadcast_log(request, posting_pk: int):
    return redirect("publicity:broadcast_log", posting_pk=posting_pk, permanent=True)


def my_postings(request):
    return redirect("publicity:my_postings", permanent=True)


def radio_home(request):
    return redirect("publicity:radio", permanent=True)


# --- Comments -------------------------------------------------------------------------------------------------------


def comment_filter(request, consultation):
    version = selectors.current_version(consultation)
    qs = selectors.comment_list(user=request.user, consultation=consultation)
    return CommentFilter(request.GET or None, queryset=qs, consultation=consultation, version=version)


def comment_page(request, consultation, f):
    """20 comments, newest first, sought from ``?sau=`` / ``?truoc=`` on the index comment_staff_list."""
    count = selectors.comment_list_count(consultation, request.GET)
    return seek_page(f.qs, params=request.GET, order="-received_at", count=count)


COMMENT_LIST_PARAMS = {*CommentFilter.base_filters, "sau", "truoc", "page"}


def comment_list_slot(request, pk: int) -> str | None:
    """The cache key of the comment list's slot for this page and query (portal/fragments.py: one entry whatever the
    ``staff_version``, read with the consultation's row), or None when the query is rendered live."""
    query = fragments.query_key(request.GET, COMMENT_LIST_PARAMS)
    if query is None:  # an unusual query string: rendered live, never cached
        return None
    return fragments.slot_key("consultations:comments", pk, request.resolver_match.url_name, query)


def comment_list_spec(request, consultation, key: str | None) -> tuple:
    """The filter form, the count, the export links, twenty rows and the pager as a ``fragments.from_slots`` spec:
    the same HTML for everyone allowed to read the list (``review_consultation``, checked by the caller), rendered
    once per ``staff_version`` (which every service that changes a comment bumps) in slot ``key``."""

    def build() -> str:
        f = comment_filter(request, consultation)
        return render_to_string(
            "consultations/includes/comment_list_body.html",
            {
                "consultation": consultation,
                "filter": f,
                "page": comment_page(request, consultation, f),
                "query": querystring_without_page(request),
                "exports": request.resolver_match.url_name == "comments",
            },
        )

    return key, (consultation.pk, consultation.staff_version), build


@login_required
@require_GET
def comment_list(request, pk: int):
    key = comment_list_slot(request, pk)
    consultation, got = selectors.staff_consultation_get_cached_with(
        user=request.user, pk=pk, also=(key,) if key else ()
    )  # the row (with its commune: all the list shows of it) and the list's slot, in one cache round trip
    (body,) = fragments.from_slots([comment_list_spec(request, consultation, key)], got)
    return render(request, "consultations/comment_list.html", {"consultation": consultation, "body": body})


def _comment_get(request, consultation, comment_pk):
    return selectors.comment_get(user=request.user, consultation=consultation, pk=comment_pk)


def _staff_users(consultation):
    return lookups.users_with_role(consultation.commune_id, Role.STAFF, Role.LEADER)


@login_required
@require_GET
def comment_detail(request, pk: int, comment_pk: int):
    consultation = _staff_get(request, pk)
    comment = _comment_get(request, consultation, comment_pk)
    version = selectors.current_version(consultation)
    ctx = {
        "consultation": consultation,
        "comment": comment,
        "answer_form": AnswerForm(
            consultation=consultation,
            initial={
                "kind": comment.answer_kind,
                "text": comment.answer_text,
                "changed_article": comment.changed_article_id,
            },
        ),
        "tag_form": TagForm(
            version=version,
            initial={
                "article": comment.article_id,
                "topics": ", ".join(t.name for t in comment.topics.all()),
            },
        ),
        "merge_form": MergeForm(),
        "assign_form": AssignForm(
            users=_staff_users(consultation), initial={"assignee": comment.assignee_id}
        ),
        "hide_form": HideForm(),
        "duplicates": list(comment.duplicates.all()[:50]),
        "can_answer": request.user.has_perm("consultations.answer_comment", comment),
        # An accepted comment leads to the article change in a new draft version (after the window closed).
        "can_revise": comment.answer_kind in (Comment.Answer.ACCEPTED, Comment.Answer.PARTLY)
        and consultation.status in (Consultation.Status.CLOSED, Consultation.Status.SYNTHESIS)
        and request.user.has_perm("consultations.change_consultation", consultation),
        "can_flag": request.user.has_perm("consultations.flag_comment", comment),
    }
    return render(request, "consultations/comment_detail.html", ctx)


@login_required
@require_POST
def comment_action(request, pk: int, comment_pk: int, action: str):
    consultation = _staff_get(request, pk)
    comment = _comment_get(request, consultation, comment_pk)
    version = selectors.current_version(consultation)
    try:
        if action == "tra-loi":
            form = AnswerForm(request.POST, consultation=consultation)
            if form.is_valid():
                services.comment_answer(
                    comment=comment,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                    changed_article=form.cleaned_data["changed_article"],
                )
        elif action == "gan-nhan":
            form = TagForm(request.POST, version=version)
            if form.is_valid():
                topics = [t for t in form.cleaned_data["topics"].split(",") if t.strip()]
                services.comment_tag(
                    comment=comment, by=request.user, article=form.cleaned_data["article"], topics=topics
                )
        elif action == "gop":
            form = MergeForm(request.POST)
            if form.is_valid():
                into = Comment.objects.filter(
                    consultation=consultation,
                    tracking_code=normalize_tracking_code(form.cleaned_data["into_code"]),
                ).first()
                if into is None:
                    raise ValidationError("Không tìm thấy ý kiến chính với mã này.")
                services.comment_merge(comment=comment, into=into, by=request.user)
        elif action == "giao":
            form = AssignForm(request.POST, users=_staff_users(consultation))
            if form.is_valid():
                services.comment_assign(
                    comment=comment, by=request.user, assignee=form.cleaned_data["assignee"]
                )
        elif action == "an":
            form = HideForm(request.POST)
            if form.is_valid():
                services.comment_hide(comment=comment, by=request.user, reason=form.cleaned_data["reason"])
        elif action == "hien":
            form = None
            services.comment_unhide(comment=comment, by=request.user)
        elif action == "nhac":
            form = None
            services.comment_flag(comment=comment, by=request.user, note=request.POST.get("note", ""))
        else:
            raise Http404
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, "Đã lưu.")
    nxt = request.POST.get("next", "")
    if nxt.startswith("/lay-y-kien/"):
        return redirect(nxt)
    return redirect("consultations:comment_detail", pk=pk, comment_pk=comment.pk)


@login_required
def comment_record(request, pk: int):
    consultation = _staff_get(request, pk, "consultations.record_comment")
    version = selectors.current_version(consultation)
    form = RecordCommentForm(
        request.POST or None,
        consultation=consultation,
        version=version,
        initial={"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            comment = services.comment_record(
                consultation=consultation,
                by=request.user,
                text=d["text"],
                channel=d["channel"],
                received_at=d["received_at"],
                article=d["article"],
                author_name=d["author_name"],
                village=d["village"],
                organization=d["organization"],
                contact=d["contact"],
                form_token=d["form_token"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Đã ghi nhận ý kiến, mã tra cứu {comment.tracking_code}.")
            return redirect("consultations:comment_record", pk=pk)
    return render(request, "consultations/comment_record.html", {"consultation": consultation, "form": form})


@login_required
def meeting_create(request, pk: int):
    consultation = _staff_get(request, pk, "consultations.record_comment")
    form = MeetingForm(
        request.POST or None, consultation=consultation, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting, comments = services.meeting_record(
                consultation=consultation, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu hội nghị và {len(comments)} ý kiến.")
            return redirect(f"{_url('consultations:comments', pk)}?channel=meeting")
    meetings = consultation.meetings.select_related("village", "organization")[:50]
    return render(
        request,
        "consultations/meeting_form.html",
        {"consultation": consultation, "form": form, "meetings": meetings},
    )


def _url(name, pk):
    from django.urls import reverse

    return reverse(name, kwargs={"pk": pk})


@login_required
def import_comments(request, pk: int):
    consultation = _staff_get(request, pk, "consultations.import_comments")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_batch_create(
                consultation=consultation,
                by=request.user,
                upload=form.cleaned_data["file"],
                channel=form.cleaned_data["channel"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("consultations:import_detail", pk=pk, batch_pk=batch.pk)
    batches = consultation.imports.select_related("created_by")[:20]
    return render(
        request,
        "consultations/import_form.html",
        {"consultation": consultation, "form": form, "batches": batches},
    )


@login_required
@require_GET
def import_detail(request, pk: int, batch_pk: int):
    consultation = _staff_get(request, pk, "consultations.import_comments")
    batch = get_object_or_404(ImportBatch, pk=batch_pk, consultation=consultation)
    return render(request, "consultations/import_detail.html", {"consultation": consultation, "batch": batch})


@login_required
@require_POST
def import_retry(request, pk: int, batch_pk: int):
    consultation = _staff_get(request, pk, "consultations.import_comments")
    batch = get_object_or_404(ImportBatch, pk=batch_pk, consultation=consultation)
    try:
        retry = services.import_batch_retry(batch=batch, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("consultations:import_detail", pk=pk, batch_pk=batch.pk)
    return redirect("consultations:import_detail", pk=pk, batch_pk=retry.pk)


@login_required
@require_GET
def results(request, pk: int):
    consultation = _staff_get(request, pk)
    return render(
        request,
        "consultations/results.html",
        {
            "consultation": consultation,
            "stats": selectors.results_statistics(consultation),
            "article_changes": selectors.article_changes(consultation),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])  # POST: "Thử lại" after a failed build
def export(request, pk: int, fmt: str):
    consultation = _staff_get(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    f = comment_filter(request, consultation)
    return exports.comments_export(request, consultation, f.qs, fmt)
