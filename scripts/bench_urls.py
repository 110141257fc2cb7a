"""URLconf for the benchmark server only: the portal's URLs plus three minimal views.

- /bench/hello/: a plain-text response through the whole middleware (the yardstick the issue's ratios use);
- /bench/shell/: the portal's page shell (base.html with its menu, for the logged-in person) around an empty
  content block: the floor any logged-in page pays (session, user, memberships, menu, unread badge);
- /bench/post-floor/<pk>/: the least a comment submission can do and still be one: the same POST as the public form
  (CSRF checked by the middleware), a two-field form, the comment and its form token inserted through the ORM in one
  transaction, a 302. No flood control, window check, audit event, counts or version bump: a yardstick for the
  comment POST's ratio, not a way to submit (its comments are not counted: only the benchmark database sees it).
"""

import functools

from django import forms
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.forms import PortalForm


def hello(request):
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


def shell(request):
    return render(request, "base.html", {})


class FloorForm(PortalForm):  # hardened like the public form
    text = forms.CharField(max_length=2000)
    form_token = forms.CharField(max_length=64)


@functools.cache
def _floor_target(pk: int) -> tuple[int, int]:
    from django.contrib.contenttypes.models import ContentType

    from consultations.models import Comment, Consultation

    return Consultation.objects.values_list("commune_id", flat=True).get(
        pk=pk
    ), ContentType.objects.get_for_model(Comment).pk


@require_POST
def post_floor(request, pk: int):
    from consultations.models import Channel, Comment
    from consultations.tracking import KIND
    from portal import text as txt
    from portal.intake.codes import new_code
    from portal.intake.models import FormToken

    form = FloorForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("bad form")
    commune_id, content_type_id = _floor_target(pk)
    text, now = form.cleaned_data["text"], timezone.now()
    with transaction.atomic():
        comment = Comment(
            consultation_id=pk,
            commune_id=commune_id,
            text=text,
            text_html=txt.to_html(text),
            text_search=txt.normalize_search(text),
            channel=Channel.ONLINE,
            received_at=now,
            created_at=now,
            tracking_code=new_code(KIND),
        )
        comment.save(force_insert=True)
        FormToken.objects.create(
            token=form.cleaned_data["form_token"],
            content_type_id=content_type_id,
            object_id=comment.pk,
            created_at=now,
        )
    return redirect("consultations:receipt", pk=pk, code=comment.tracking_code)


urlpatterns = [
    path("bench/hello/", hello, name="bench_hello"),
    path("bench/shell/", shell, name="bench_shell"),
    path("bench/post-floor/<int:pk>/", post_floor, name="bench_post_floor"),
    path("", include("portal.urls")),
]
