"""Publicity pages for any publication: its matrix, the village head's postings, confirmation, radio log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from portal import files
from portal.access import access_for
from portal.publicity import selectors, services
from portal.publicity.forms import BroadcastForm, PostingConfirmForm, TakeDownForm, WithdrawForm
from portal.publicity.models import Posting


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form (field errors where they belong, the rest on top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _publication(request, pk: int):
    publication = selectors.publication_get(user=request.user, pk=pk)
    if not request.user.has_perm("publicity.view_publication", publication):
        raise Http404
    return publication


@login_required
@require_GET
def publication_detail(request, pk: int):
    publication = _publication(request, pk)
    today = timezone.localdate()
    matrix = selectors.compliance_matrix(publications=[publication], today=today)[publication.pk]
    can_change = request.user.has_perm("publicity.change_publication", publication)
    problems = services.publication_problems(publication, today=today) if can_change else []
    return render(
        request,
        "publicity/publication_detail.html",
        {
            "publication": publication,
            "matrix": matrix,
            "problems": problems,
            "can_change": can_change,
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@require_POST
def publication_action(request, pk: int, action: str):
    publication = _publication(request, pk)
    if not request.user.has_perm("publicity.change_publication", publication):
        raise Http404
    try:
        if action == "da-cong-khai":
            services.publication_mark_publicized(publication=publication, by=request.user)
            messages.success(request, "Đã ghi nhận hoàn thành việc công khai.")
        elif action == "rut":
            form = WithdrawForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Phải ghi lý do rút (tối đa 300 ký tự).")
            services.publication_withdraw(
                publication=publication, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "Đã rút nội dung công khai.")
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("publicity:detail", pk=publication.pk)


def _back(request, posting: Posting):
    if posting.village_id in access_for(request.user).headed_village_ids:
        return redirect("publicity:my_postings")
    if request.user.has_perm("publicity.view_publication", posting.publication):
        return redirect("publicity:detail", pk=posting.publication_id)
    return redirect("publicity:radio")


@login_required
def posting_confirm(request, posting_pk: int):
    posting = selectors.posting_get(user=request.user, pk=posting_pk)
    if posting.kind == Posting.Kind.RADIO:
        return redirect("publicity:broadcast_log", posting_pk=posting.pk)
    if not request.user.has_perm("publicity.confirm_posting", posting):
        raise Http404
    on_behalf = (
        bool(posting.village_id) and posting.village_id not in access_for(request.user).headed_village_ids
    )
    form = PostingConfirmForm(
        request.POST or None,
        request.FILES or None,
        on_behalf=on_behalf,
        initial={"posted_on": posting.posted_on or timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_confirm(
                posting=posting,
                by=request.user,
                posted_on=form.cleaned_data["posted_on"],
                photo=form.cleaned_data["photo"],
                note=form.cleaned_data["note"],
                on_behalf_reason=form.cleaned_data.get("on_behalf_reason", ""),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã xác nhận niêm yết. Cảm ơn!")
            return _back(request, posting)
    take_down = TakeDownForm(initial={"removed_on": timezone.localdate()}) if posting.posted_on else None
    return render(
        request,
        "publicity/posting_confirm.html",
        {"posting": posting, "form": form, "on_behalf": on_behalf, "take_down": take_down},
    )


@login_required
@require_GET
def posting_photo(request, posting_pk: int):
    """The photo of a posting (portal/files.py), for the commune's readers and the village's head only."""
    posting = selectors.posting_get(user=request.user, pk=posting_pk, perms=("publicity.view_posting_photo",))
    return files.serve(
        request, posting.photo, filename=f"anh-niem-yet-{posting.pk}.{posting.photo.name.rsplit('.', 1)[-1]}"
    )


@login_required
@require_POST
def posting_take_down(request, posting_pk: int):
    posting = selectors.posting_get(user=request.user, pk=posting_pk, perms=("publicity.confirm_posting",))
    form = TakeDownForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ngày gỡ không hợp lệ.")
        return redirect("publicity:posting_confirm", posting_pk=posting.pk)
    try:
        services.posting_take_down(
            posting=posting,
            by=request.user,
            removed_on=form.cleaned_data["removed_on"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("publicity:posting_confirm", posting_pk=posting.pk)
    messages.success(request, "Đã ghi nhận việc gỡ.")
    return _back(request, posting)


@login_required
def broadcast_log(request, posting_pk: int):
    posting = selectors.posting_get(user=request.user, pk=posting_pk, perms=("publicity.log_broadcast",))
    if posting.kind != Posting.Kind.RADIO:
        raise Http404
    form = BroadcastForm(request.POST or None, initial={"broadcast_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_log_broadcast(
                posting=posting,
                by=request.user,
                broadcast_on=form.cleaned_data["broadcast_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Đã ghi ngày phát.")
            return redirect("publicity:broadcast_log", posting_pk=posting.pk)
    days = list(posting.broadcasts.select_related("logged_by"))
    info = selectors.posting_state(posting, timezone.localdate(), [b.broadcast_on for b in days])
    return render(
        request,
        "publicity/broadcast_log.html",
        {"posting": posting, "form": form, "days": days, "info": info},
    )


@login_required
@require_GET
def my_postings(request):
    if not access_for(request.user).headed_village_ids:
        raise PermissionDenied
    return render(
        request,
        "publicity/my_postings.html",
        {
            "pending": selectors.postings_for_village_head(user=request.user),
            "done": selectors.postings_done_for_village_head(user=request.user),
            "today": timezone.localdate(),  # a posting due before today is overdue (highlighted, said in words)
        },
    )


@login_required
@require_GET
def radio_home(request):
    from portal.models import Role

    if not access_for(request.user).commune_ids(Role.RADIO, Role.STAFF, Role.LEADER):
        raise PermissionDenied
    return render(
        request, "publicity/radio_home.html", {"rows": selectors.postings_for_radio(user=request.user)}
    )


def _public_or_readable(request, pk: int):
    """A publication anyone may read (publicized by the commune, started, not withdrawn), or one the user reads."""
    from portal.publicity.models import Publication, Regime

    publication = (
        Publication.objects.select_related("document", "commune")
        .filter(pk=pk, regime=Regime.COMMUNE, starts_on__lte=timezone.localdate())
        .exclude(status=Publication.Status.WITHDRAWN)
        .first()
    )
    if publication is None:
        if not request.user.is_authenticated:
            raise Http404
        publication = _publication(request, pk)
    return publication


@require_GET
def publication_file(request, pk: int):
    publication = _public_or_readable(request, pk)
    return files.serve(
        request,
        publication.file,
        filename=publication.filename or "cong-khai.pdf",
        content_type="application/pdf",
    )


@require_GET
def publication_document_pdf(request, pk: int):
    """The publicized document as PDF (issued documents only; rendered by the documents engine)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from portal.documents.rendering import render_pdf

    publication = _public_or_readable(request, pk)
    document = publication.document
    if document is None or document.status != document.Status.ISSUED:
        raise Http404
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"cong-khai-{publication.pk}.pdf")
    return response
