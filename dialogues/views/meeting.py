"""The secretary's live console (laptop or tablet): next speaker, record what was raised and what happened to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dialogues import forms, selectors, services
from dialogues.models import Petition, SpeakerRegistration

from ._common import add_errors, flash_errors, form_errors_to_messages, require


@login_required
def console(request, pk: int):
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    require(request, "dialogues.run_meeting", dialogue)
    speaker = services.speaker_next(dialogue)
    form = forms.ConsoleForm(
        request.POST or None,
        commune_id=dialogue.commune_id,
        initial={
            "speaker": speaker.pk if speaker else None,
            "petitioner_name": speaker.name if speaker else "",
            "village": speaker.village if speaker else None,
            "text": speaker.topic if speaker else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen = None
        if d["speaker"]:
            chosen = SpeakerRegistration.objects.filter(dialogue=dialogue, pk=d["speaker"]).first()
        try:
            petition = services.meeting_raise(
                dialogue=dialogue,
                by=request.user,
                text=d["text"],
                outcome=d["outcome"],
                village=d["village"],
                field=d["field"],
                petitioner_name=d["petitioner_name"],
                speaker=chosen,
                answer_text=d["answer_text"],
                answerer_name=d["answerer_name"],
                assignee=d["assignee"],
                due_on=d["due_on"],
                forward_to=d["forward_to"],
                follow_up_on=d["follow_up_on"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, f"Đã ghi kiến nghị {petition.tracking_code}: {petition.get_status_display()}."
            )
            return redirect("dialogues:console", pk=dialogue.pk)
    recent = (
        Petition.objects.filter(dialogue=dialogue, raised_at_meeting=True)
        .select_related("assignee", "village")
        .order_by("-id")[:10]
    )
    waiting = dialogue.speakers.filter(status=SpeakerRegistration.Status.WAITING).select_related("village")[
        :10
    ]
    prepared = (
        selectors.petition_list(user=request.user, dialogue=dialogue)
        .filter(raised_at_meeting=False, status__in=Petition.OPEN_STATUSES)
        .order_by("field", "id")[:50]
    )
    return render(
        request,
        "dialogues/console.html",
        {
            "dialogue": dialogue,
            "form": form,
            "speaker": speaker,
            "waiting": waiting,
            "recent": recent,
            "prepared": prepared,
            "speaker_form": forms.SpeakerForm(commune_id=dialogue.commune_id),
            "live": dialogue.status in ("noticed", "held"),
        },
    )


@login_required
@require_POST
def speaker_add(request, pk: int):
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    form = forms.SpeakerForm(request.POST, commune_id=dialogue.commune_id)
    if not form.is_valid():
        form_errors_to_messages(request, form)
    else:
        try:
            s = services.speaker_register(dialogue=dialogue, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, f"Đã đăng ký phát biểu: số {s.position}, {s.name}.")
    return redirect("dialogues:console", pk=dialogue.pk)


@login_required
@require_POST
def speaker_skip(request, pk: int, speaker_pk: int):
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    speaker = get_object_or_404(SpeakerRegistration, dialogue=dialogue, pk=speaker_pk)
    try:
        services.speaker_mark(speaker=speaker, by=request.user, status=SpeakerRegistration.Status.SKIPPED)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("dialogues:console", pk=dialogue.pk)


@login_required
@require_POST
def prepared_resolve(request, pk: int, petition_pk: int):
    """A petition collected before the meeting, answered / assigned / forwarded at it."""
    dialogue = selectors.dialogue_get(user=request.user, pk=pk)
    petition = get_object_or_404(Petition, dialogue=dialogue, pk=petition_pk)
    form = forms.ConsoleForm(request.POST, commune_id=dialogue.commune_id)
    form.fields["text"].required = False
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect("dialogues:console", pk=dialogue.pk)
    d = form.cleaned_data
    try:
        services.meeting_resolve(
            petition=petition,
            by=request.user,
            outcome=d["outcome"],
            answer_text=d["answer_text"],
            answerer_name=d["answerer_name"],
            assignee=d["assignee"],
            due_on=d["due_on"],
            forward_to=d["forward_to"],
            follow_up_on=d["follow_up_on"],
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"Đã cập nhật kiến nghị {petition.tracking_code}.")
    return redirect("dialogues:console", pk=dialogue.pk)
