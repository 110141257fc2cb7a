"""Public pages: the dialogue's page, the online petition form, the petitioner's page (by code), the survey link."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from dialogues import forms, selectors, services
from dialogues.models import Answer, Dialogue, Petition, Survey
from portal import intake
from portal.models import AdministrativeUnit

from ._common import add_errors

PUBLIC_STATUSES = [
    Dialogue.Status.NOTICED,
    Dialogue.Status.HELD,
    Dialogue.Status.REVIEWED,
    Dialogue.Status.CLOSED,
]


def public_dialogue(request, pk: int):
    dialogue = get_object_or_404(
        Dialogue.objects.select_related("commune", "notice_document", "conclusion_document"),
        pk=pk,
        status__in=PUBLIC_STATUSES,
    )
    page, rows = selectors.public_answers_page(dialogue, request.GET)
    conclusion = dialogue.conclusion_document
    return render(
        request,
        "dialogues/public_dialogue.html",
        {
            "dialogue": dialogue,
            "villages": list(dialogue.villages.all()),
            "page": page,
            "rows": rows,
            "conclusion": conclusion if conclusion and conclusion.status != conclusion.Status.DRAFT else None,
            "notice": dialogue.notice_document
            if dialogue.notice_document and dialogue.notice_document.status != "draft"
            else None,
            "accepting": dialogue.status == Dialogue.Status.NOTICED,
            "publications": selectors.dialogue_publications(dialogue, public=True),
        },
    )


@require_http_methods(["GET", "POST"])
def petition_submit(request, code: str):
    commune = get_object_or_404(AdministrativeUnit, code=code, level=AdministrativeUnit.Level.COMMUNE)
    initial = {}
    d = request.GET.get("hoi-nghi", "")
    if d.isdigit():
        initial["dialogue"] = d
    form = forms.OnlinePetitionForm(request.POST or None, commune_id=commune.pk, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # honeypot: a bot filled the hidden field
            return render(
                request, "dialogues/petition_submit.html", {"form": form, "commune": commune}, status=400
            )
        try:
            petition = services.petition_submit_online(
                commune=commune,
                text=data["text"],
                village=data["village"],
                dialogue=data["dialogue"],
                field=data["field"],
                petitioner_name=data["petitioner_name"],
                petitioner_contact=data["petitioner_contact"],
                is_public=data["is_public"],
                form_token=data["form_token"],
                origin=intake.origin_of(request),
            )
        except intake.RateLimited as exc:
            add_errors(form, exc)
            return render(
                request, "dialogues/petition_submit.html", {"form": form, "commune": commune}, status=429
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("dialogues:my_petition", code=petition.tracking_code)
    return render(request, "dialogues/petition_submit.html", {"form": form, "commune": commune})


@require_http_methods(["GET", "POST"])
def my_petition(request, code: str):
    """What the petitioner sees with their code: status, answers, and whether they are satisfied."""
    petition = services.petition_by_code(code)
    if petition is None:
        raise Http404("Không tìm thấy kiến nghị có mã này.")
    form = forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.petition_feedback(
                petition=petition,
                satisfied=form.cleaned_data["satisfied"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                "Cảm ơn ông/bà đã đánh giá."
                if form.cleaned_data["satisfied"]
                else "Đã ghi nhận ý kiến chưa hài lòng; kiến nghị được mở lại để xem xét, trả lời lại.",
            )
            return redirect("dialogues:my_petition", code=petition.tracking_code)
    main = petition.duplicate_of or petition
    answers = list(Answer.objects.filter(petition=main).order_by("answered_on", "id"))
    return render(
        request,
        "dialogues/my_petition.html",
        {
            "petition": petition,
            "main": main,
            "answers": answers,
            "form": form if petition.status == Petition.Status.ANSWERED else None,
            "survey": Survey.objects.filter(dialogue_id=petition.dialogue_id, is_open=True).first()
            if petition.dialogue_id
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
def survey_public(request, token: str):
    survey = get_object_or_404(Survey.objects.select_related("dialogue"), token=token)
    form = forms.SurveyResponseForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        petition = services.petition_by_code(request.POST.get("ma", "")) if request.POST.get("ma") else None
        if petition is not None and petition.dialogue_id != survey.dialogue_id:
            petition = None
        try:
            services.survey_submit_online(
                survey=survey, answers=form.answers(), petition=petition, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return render(request, "dialogues/survey_thanks.html", {"survey": survey})
    return render(request, "dialogues/survey_form.html", {"survey": survey, "form": form, "public": True})
