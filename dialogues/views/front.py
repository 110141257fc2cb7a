"""The Front's seat (Ủy ban MTTQ xã): supervision notes and the satisfaction survey (Luật 10/2022/QH15, Điều 28.6)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dialogues import forms, selectors, services
from dialogues.models import DEFAULT_QUESTIONS, DEFAULT_SCALE, Survey
from portal import charts
from portal.qr import qr_svg

from ._common import add_errors, flash_errors, form_errors_to_messages, require


@login_required
@require_POST
def supervision_add(request, pk: int):
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    form = forms.SupervisionForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
    else:
        try:
            services.supervision_note_add(dialogue=dialogue, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            flash_errors(request, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Đã ghi ý kiến giám sát.")
    return redirect(dialogue)


@login_required
def survey_manage(request, pk: int):
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    require(request, "dialogues.view_report", dialogue)
    survey = Survey.objects.filter(dialogue=dialogue).first()
    can_run = request.user.has_perm("dialogues.run_survey", dialogue)
    config = forms.SurveyConfigForm(
        request.POST if request.POST.get("form") == "config" else None,
        initial={
            "questions": "\n".join(survey.questions if survey else DEFAULT_QUESTIONS),
            "scale": "\n".join(survey.scale if survey else DEFAULT_SCALE),
        },
    )
    if request.method == "POST" and request.POST.get("form") == "config":
        require(request, "dialogues.run_survey", dialogue)
        if config.is_valid():
            try:
                survey = services.survey_open(
                    dialogue=dialogue,
                    by=request.user,
                    questions=config.cleaned_data["questions"].splitlines(),
                    scale=config.cleaned_data["scale"].splitlines(),
                )
            except ValidationError as exc:
                add_errors(config, exc)
            else:
                messages.success(
                    request,
                    "Đã mở khảo sát; gửi đường dẫn hoặc mã QR cho Nhân dân, nhập phiếu giấy bên dưới.",
                )
                return redirect("dialogues:survey", pk=dialogue.pk)
    paper = None
    if survey is not None:
        paper = forms.SurveyResponseForm(
            request.POST if request.POST.get("form") == "paper" else None, survey=survey
        )
        if request.method == "POST" and request.POST.get("form") == "paper":
            require(request, "dialogues.run_survey", dialogue)
            if paper.is_valid():
                try:
                    services.survey_enter_paper(
                        survey=survey,
                        by=request.user,
                        answers=paper.answers(),
                        comment=paper.cleaned_data["comment"],
                    )
                except ValidationError as exc:
                    add_errors(paper, exc)
                else:
                    messages.success(request, "Đã nhập phiếu. Nhập phiếu tiếp theo.")
                    return redirect("dialogues:survey", pk=dialogue.pk)
    results = selectors.survey_results(survey) if survey else None
    link = survey_link(request, survey) if survey else ""
    overall_chart = None
    if results and results["questions"]:
        overall_chart = charts.bar_chart(
            results["questions"][-1]["rows"], title="Mức độ hài lòng chung (số phiếu)"
        )
    return render(
        request,
        "dialogues/survey_manage.html",
        {
            "dialogue": dialogue,
            "survey": survey,
            "config": config,
            "paper": paper,
            "results": results,
            "overall_chart": overall_chart,
            "can_run": can_run,
            "link": link,
            "qr": qr_svg(link, scale=5) if link else None,
        },
    )


def survey_link(request, survey) -> str:
    return request.build_absolute_uri(reverse("dialogues:survey_public", args=[survey.token]))


@login_required
def survey_qr_print(request, pk: int):
    """A printable sheet with the survey's QR code and link (posted at the cultural house, handed out)."""
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    require(request, "dialogues.view_report", dialogue)
    survey = Survey.objects.filter(dialogue=dialogue, is_open=True).first()
    if survey is None:
        raise Http404("Khảo sát chưa mở hoặc đã kết thúc.")
    link = survey_link(request, survey)
    return render(
        request,
        "dialogues/survey_qr_print.html",
        {"dialogue": dialogue, "link": link, "qr": qr_svg(link, scale=10)},
    )
