"""Petition pages for staff, MTTQ and village heads: the list, recording (phone layout), the petition and its actions."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from dialogues import forms, selectors, services
from dialogues.models import Answer, Channel, Dialogue, Field, Petition, Provenance
from dialogues.workflow import PETITION
from portal import files, fragments, generations, pagination
from portal.access import access_for
from portal.models import Role

from ._common import (
    add_errors,
    flash_errors,
    form_errors_to_messages,
    headed_villages,
    list_commune,
    require,
    user_commune,
)

PETITION_LIST_PARAMS = {
    "status",
    "field",
    "channel",
    "xa",
    "nam",
    "tinh-trang",
    pagination.AFTER,
    pagination.BEFORE,
}


def petition_list_body(request, commune, scope) -> str:
    """The filters, the count, twenty rows and the pager: rendered once per (commune generation, what this person may
    see of the commune, query, day) and shared by everyone who sees the same (portal/fragments.py). A petition saved
    or deleted moves its commune's generation on commit (portal/generations.py: Petition is a watched model), so the
    next request renders it again; an unusual query string, or a write of this connection not committed yet,
    renders live."""

    def build() -> str:
        qs = scope.apply(selectors.petition_list(user=request.user, commune_id=commune.pk))
        status = request.GET.get("status", "")
        field = request.GET.get("field", "")
        channel = request.GET.get("channel", "")
        if status in Petition.Status.values:
            qs = qs.filter(status=status)
        if field in Field.values:
            qs = qs.filter(field=field)
        if channel in Channel.values:
            qs = qs.filter(channel=channel)
        return render_to_string(
            "dialogues/includes/petition_list_body.html",
            {
                "page": selectors.petition_page(qs, request.GET),
                "query": pagination.querystring(request.GET),
                "status": status,
                "field": field,
                "channel": channel,
                "statuses": Petition.Status.choices,
                "fields": Field.choices,
                "channels": Channel.choices,
                "commune": commune,
                "scope": scope,
                "request": request,
            },
        )

    query = fragments.query_key(request.GET, PETITION_LIST_PARAMS)
    scopes = [generations.ALL, generations.unit_scope(commune.pk)]
    if query is None or generations.written(scopes):
        return mark_safe(build())  # noqa: S308 - rendered by the template engine (autoescaped)
    seen = selectors.petition_visibility(request.user, commune.pk)
    parts = (commune.pk, seen, query, timezone.localdate())
    html = generations.cached("dialogues:petitions", parts, scopes, build)  # tokens and HTML: one round trip
    return mark_safe(html)  # noqa: S308 - rendered by the template engine (autoescaped)


@login_required
def petition_list(request):
    require(request, "dialogues.view_petition")
    commune = list_commune(request)
    scope = selectors.PetitionScope.from_params(request.GET)
    return render(
        request,
        "dialogues/petition_list.html",
        {
            "body": petition_list_body(request, commune, scope),
            "can_record": request.user.has_perm("dialogues.record_petition"),
            "commune": commune,
            "scope": scope,
        },
    )


@login_required
def petition_record(request):
    """Record a petition from paper, a meeting, the reception register, Zalo or the phone (a phone-width form)."""
    require(request, "dialogues.record_petition")
    commune = user_commune(request)
    access = access_for(request.user)
    office = bool(access.roles_in(commune.pk) & {Role.STAFF, Role.LEADER, Role.MTTQ}) or access.is_superuser
    villages = None
    initial = {
        "provenance": Provenance.MTTQ if Role.MTTQ in access.roles_in(commune.pk) else Provenance.CITIZEN
    }
    if not office:
        own = headed_villages(request)
        from portal.models import AdministrativeUnit

        villages = AdministrativeUnit.objects.filter(pk__in=[v.pk for v in own])
        initial = {
            "provenance": Provenance.VILLAGE_HEAD,
            "channel": Channel.PHONE,
            "village": own[0] if own else None,
        }
    dialogue_id = request.GET.get("hoi-nghi")
    if dialogue_id and dialogue_id.isdigit():
        initial["dialogue"] = dialogue_id
    form = forms.PetitionRecordForm(
        request.POST or None, commune_id=commune.pk, villages=villages, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            petition = services.petition_record(
                commune=commune,
                by=request.user,
                channel=data["channel"],
                provenance=data["provenance"],
                text=data["text"],
                village=data["village"],
                dialogue=data["dialogue"],
                petitioner_name=data["petitioner_name"],
                petitioner_contact=data["petitioner_contact"],
                field=data["field"],
                kind=data["kind"],
                oral_confirmed=data["oral_confirmed"],
                received_on=data["received_on"],
                is_public=data["is_public"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "Bạn không có quyền ghi kiến nghị này.")
        else:
            messages.success(
                request,
                f"Đã ghi nhận kiến nghị {petition.tracking_code}. Báo mã này cho người kiến nghị để tra cứu câu trả lời.",
            )
            if request.POST.get("again"):
                return redirect("dialogues:petition_record")
            if request.user.has_perm("dialogues.view_petition", petition):
                return redirect(petition)
            return redirect("dialogues:petition_record")
    return render(request, "dialogues/petition_record.html", {"form": form, "office": office})


@login_required
def answer_proof(request, pk: int, answer_pk: int):
    """The proof file of an answer, for whoever may read the petition (portal/files.py)."""
    petition = selectors.petition_get(user=request.user, pk=pk)
    answer = Answer.objects.filter(pk=answer_pk, petition=petition).first()
    if answer is None:
        raise Http404
    return files.serve(request, answer.proof)


def _action_forms(petition, user) -> dict:
    """The input form of each workflow action the user may take on the petition now."""
    return {
        a.name: a.form_class()(petition=petition)
        for a in PETITION.available(petition, user)
        if a.form and a.button
    }


@login_required
def petition_detail(request, pk: int):
    petition = selectors.petition_get(user=request.user, pk=pk)
    user = request.user
    can_classify = user.has_perm("dialogues.classify_petition", petition)
    buttons = PETITION.buttons(
        petition,
        user,
        url=lambda slug: reverse("dialogues:petition_action", args=[petition.pk, slug]),
        forms=_action_forms(petition, user),
    )
    return render(
        request,
        "dialogues/petition_detail.html",
        {
            "petition": petition,
            "answers": selectors.petition_answers(petition),
            "duplicates": petition.duplicates.all()[:20],
            "parts": petition.parts.all()[:20],
            "can_classify": can_classify,
            "can_hide": user.has_perm("dialogues.hide_petition", petition),
            "classify_form": forms.ClassifyForm(
                initial={"field": petition.field, "competence": petition.competence, "kind": petition.kind}
            )
            if can_classify
            else None,
            "buttons": buttons,
            "problems": [str(r) for r in PETITION.problems(petition)],
            # A written answer may start as a draft letter (the documents engine) while answering is open.
            "can_letter": any(b.name == "tra-loi" and b.allowed for b in buttons),
            "open": petition.status in Petition.OPEN_STATUSES,
        },
    )


def _classify(request, petition):
    form = forms.ClassifyForm(request.POST)
    if not form.is_valid():
        return form
    services.petition_classify(petition=petition, by=request.user, **form.cleaned_data)
    return "Đã phân loại kiến nghị."


def _hide(request, petition):
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        return form
    services.petition_hide(petition=petition, by=request.user, reason=form.cleaned_data["reason"])
    return "Đã ẩn khỏi trang công khai (vẫn còn trong danh sách và báo cáo)."


def _letter(request, petition):
    form = forms.UpperAnswerForm(request.POST)
    if not form.is_valid():
        return form
    services.petition_answer_letter(petition=petition, by=request.user, text=form.cleaned_data["text"])
    return "Đã tạo dự thảo công văn trả lời; trình ký ở mục Văn bản rồi ghi nhận câu trả lời kèm số văn bản."


def _duplicate(request, petition):
    code = (request.POST.get("of") or "").strip()
    main = services.petition_by_code(code)
    if main is None or main.commune_id != petition.commune_id:
        raise ValidationError("Không tìm thấy kiến nghị chính có mã này trong xã.")
    services.petition_mark_duplicate(petition=petition, of=main, by=request.user)
    return f"Đã gộp vào kiến nghị {main.tracking_code}."


# What the petition page does besides its workflow (dialogues/workflow.py PETITION): no state change.
ACTIONS = {
    "phan-loai": _classify,
    "an": _hide,
    "cong-van": _letter,
    "gop": _duplicate,
}


def _workflow_step(request, petition, action: str):
    """One of the petition's workflow actions: its form, then the service the table names."""
    step = PETITION.action(action)  # Http404 for an unknown slug
    if not step.button or not step.form:
        raise Http404
    form = step.form_class()(request.POST, request.FILES, petition=petition)
    if not form.is_valid():
        return form
    PETITION.perform(petition, action, by=request.user, **form.service_kwargs())
    petition.refresh_from_db()
    return PETITION.done_message(petition, action)


@login_required
@require_POST
def petition_action(request, pk: int, action: str):
    handler = ACTIONS.get(action)
    if handler is None:
        handler = partial(_workflow_step, action=action)
        PETITION.action(action)  # Http404 for an unknown slug, before reading the petition
    petition = selectors.petition_get(user=request.user, pk=pk)
    try:
        result = handler(request, petition)
    except ValidationError as exc:
        flash_errors(request, exc)
    except PermissionDenied:
        messages.error(request, "Bạn không có quyền thực hiện việc này.")
    else:
        if isinstance(result, str):
            messages.success(request, result)
        else:
            form_errors_to_messages(request, result)
    return redirect(petition)


def dialogues_for_record(commune_id: int):
    return Dialogue.objects.filter(commune_id=commune_id).exclude(
        status__in=[Dialogue.Status.CLOSED, Dialogue.Status.CANCELLED]
    )
