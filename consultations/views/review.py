"""MTTQ and Công đoàn: read every comment and answer, flag unanswered ones, write and submit the summary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from consultations import cache as public_cache
from consultations import selectors, services
from consultations.forms import SummaryForm
from consultations.models import OrganizationSummary
from consultations.rules import rule_inputs
from portal import fragments, principal

from .staff import _staff_get, comment_list_slot, comment_list_spec


def _summary(consultation):
    org = services.reviewer_organization(consultation)
    return (
        OrganizationSummary.objects.filter(consultation=consultation, organization=org).first()
        if org
        else None
    )


def with_csrf(request, html: str) -> str:
    return mark_safe(html.replace(public_cache.CSRF_SLOT, get_token(request)))  # noqa: S308 - rendered, autoescaped


def summary_slot(pk: int, can_submit: bool) -> str:
    """The cache key of the summary section's slot for those who may (or may not) submit the summary."""
    return fragments.slot_key("consultations:review-summary", pk, can_submit)


def summary_spec(consultation, can_submit: bool) -> tuple:
    """The MTTQ / union summary section (what was sent, or the draft form prefilled from the meetings recorded) as a
    ``fragments.from_slots`` spec: three queries and a form render, done once per ``staff_version`` (summary_save,
    summary_submit and meeting_record bump it) for everyone who sees the same (``can_submit``); its CSRF token is a
    slot, filled per request (``with_csrf``)."""

    def build() -> str:
        summary = _summary(consultation)
        form = prefilled = None
        if can_submit and not (summary and summary.submitted_at):
            if summary:
                initial = {
                    "text": summary.text,
                    "meetings_held": summary.meetings_held,
                    "participants": summary.participants,
                }
            else:  # the first draft starts from what the portal recorded (meetings, attendance), editable
                initial = prefilled = selectors.summary_prefill(consultation)
            form = SummaryForm(initial=initial)
        return render_to_string(
            "consultations/includes/review_summary.html",
            {
                "consultation": consultation,
                "summary": summary,
                "summary_form": form,
                "prefilled": prefilled,
                "csrf_token": public_cache.CSRF_SLOT,
            },
        )

    parts = (consultation.pk, consultation.staff_version, consultation.audience)
    return summary_slot(consultation.pk, can_submit), parts, build


@login_required
def review(request, pk: int):
    user = request.user
    key = comment_list_slot(request, pk)
    consultation, got = selectors.staff_consultation_get_cached_with(
        user=user, pk=pk, also=(*((key,) if key else ()), summary_slot(pk, True), summary_slot(pk, False))
    )  # the row and every slot the page may show, in one cache round trip
    parts = ("consultations:review", *rule_inputs(consultation))
    can_submit, can_flag = principal.memoized(
        user,
        parts,
        lambda: (
            user.has_perm("consultations.submit_summary", consultation),
            user.has_perm("consultations.flag_comment", consultation),
        ),
    )  # the rules read the person's roles and these fields of the consultation only
    body, summary = fragments.from_slots(
        [comment_list_spec(request, consultation, key), summary_spec(consultation, can_submit)], got
    )
    return render(
        request,
        "consultations/review.html",
        {
            "consultation": consultation,
            "body": body,
            "summary_block": with_csrf(request, summary),
            "can_submit": can_submit,
            "can_flag": can_flag,
        },
    )


@login_required
@require_POST
def summary_save(request, pk: int):
    consultation = _staff_get(request, pk, "consultations.submit_summary")
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            summary = services.summary_save(consultation=consultation, by=request.user, **form.cleaned_data)
            if request.POST.get("submit") == "1":
                services.summary_submit(summary=summary, by=request.user)
                messages.success(request, "Đã gửi báo cáo tổng hợp đến UBND xã.")
            else:
                messages.success(request, "Đã lưu bản nháp báo cáo tổng hợp.")
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("consultations:review", pk=pk)
