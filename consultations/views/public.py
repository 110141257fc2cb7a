"""Public pages: the draft article by article, the comment form, the receipt, the tracking lookup, the results."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from consultations import cache as public_cache
from consultations import documents_bridge, published, selectors, services
from consultations.forms import PublicCommentForm
from consultations.models import RESULT_STATUSES, Consultation
from consultations.services.tally import tally_of
from portal import fragments, intake, lookups
from portal.models import AdministrativeUnit

from ._common import PAGE_SIZE, add_errors, page_of


def _readable(request, pk: int) -> Consultation:
    """The consultation as cached (consultations/cache.py; an anonymous visitor reads published people's ones only):
    what the page shows and the comment form needs. ``services.comment_submit`` checks the window again on the
    locked row, whatever the cache says."""
    return _readable_with(request, pk, ())[0]


def _readable_with(request, pk: int, also: tuple[str, ...]) -> tuple[Consultation, dict]:
    """:func:`_readable`, and the cache keys ``also`` read in the same round trip."""
    consultation, got = selectors.consultation_get_cached_with(user=request.user, pk=pk, also=also)
    if consultation.status == Consultation.Status.DRAFT and not request.user.has_perm(
        "consultations.review_consultation", consultation
    ):
        raise Http404
    return consultation, got


@require_GET
def public_list(request):
    commune_code = request.GET.get("xa")
    commune = None
    if commune_code:
        commune = get_object_or_404(
            AdministrativeUnit, code=commune_code, level=AdministrativeUnit.Level.COMMUNE
        )
    qs = selectors.public_consultation_list(commune=commune).order_by("-opens_on", "-id")
    return render(
        request,
        "consultations/public_list.html",
        {"page": page_of(request, qs), "commune": commune, "query": f"xa={commune_code}" if commune else ""},
    )


def _public_parts(consultation) -> dict:
    """The parts of the page that depend only on stored data (cacheable for anonymous visitors)."""
    version = selectors.current_version(consultation)
    tally = tally_of(
        consultation.pk
    )  # the maintained counts: one small query, whatever the number of comments
    parts = {
        "version": version,
        "articles": selectors.article_rows(version, tally=tally),
        "villages": list(lookups.villages(consultation.commune_id)),
        "tally": tally,
    }
    if consultation.status in RESULT_STATUSES:
        parts["stats"] = selectors.results_statistics(consultation, tally=tally)
        parts["article_changes"] = selectors.article_changes(consultation)
    return parts


def _detail_context(
    request, consultation, form=None, *, form_token: str | None = None, comments: bool = True
):
    if request.user.is_authenticated:
        parts = _public_parts(consultation)
    else:
        parts = public_cache.public_parts(consultation, lambda: _public_parts(consultation))
    now = timezone.now()
    accepting = consultation.accepts_comments_at(now)
    if form is None and accepting:
        initial = {"article": request.GET.get("dieu")}
        if form_token:
            initial["form_token"] = form_token
        form = PublicCommentForm(
            consultation=consultation, articles=parts["articles"], villages=parts["villages"], initial=initial
        )
    plan, replaced = documents_bridge.plan_in_force(consultation)
    context = {
        "consultation": consultation,
        "form": form,
        "accepting": accepting,
        "now": now,
        "plan_in_force": plan,
        "plan_replaced": replaced,
        **parts,
    }
    if comments and consultation.status in RESULT_STATUSES:
        context["page"] = selectors.public_comments_page(
            consultation, request.GET, tally=parts["tally"], names=_names(consultation)
        )
    return context


def _names(consultation) -> dict:
    return public_cache.public_names(consultation, lambda: selectors.public_names(consultation))


def _body_slot(pk: int, dieu: str) -> str:
    return fragments.slot_key("consultations:public", pk, dieu)


def _shared_body(request, consultation, slot: tuple[str, object] | None = None) -> str:
    """The page's content for this request, with slots for the reader's tokens and the counts.

    The part every reader and every page of comments share is rendered once per version, status, comment window
    and ``?dieu`` (the article the form starts on) and kept (portal/fragments.py); once results are out, this page of
    answered comments (``?sau=`` / ``?truoc=``) is rendered into its slot: a deep page costs twenty rows, not the
    statistics, the charts and the draft again.

    Kept in one slot per consultation and ``?dieu`` whatever the version (``fragments.slot_key``), so that a page
    can read it with the row; ``slot``: ``(key, entry)`` as read already."""
    accepting = consultation.accepts_comments_at(timezone.now())

    def build() -> str:
        context = _detail_context(
            request, consultation, form_token=public_cache.FORM_TOKEN_SLOT, comments=False
        )
        slot = mark_safe(public_cache.COMMENTS_SLOT)  # noqa: S308 - a constant HTML comment
        context.update(csrf_token=public_cache.CSRF_SLOT, comments_slot=slot)
        return render_to_string("consultations/includes/public_detail_body.html", context)

    dieu = request.GET.get("dieu", "")
    if slot is None:
        key = _body_slot(consultation.pk, dieu)
        slot = (key, cache.get(key))
    parts = (consultation.public_version, consultation.status, accepting)
    return fragments.from_slot(slot[1], parts, build, slot[0])


def _with_comments(request, html: str, pk: int, version: int, load) -> str:
    """``html`` with this request's page of answered comments in its slot (if it has one, i.e. results are out):
    sliced from the published files of ``version`` (consultations/published.py) when the worker has built them,
    else read and rendered here from the consultation ``load()`` returns, and the build queued."""
    if public_cache.COMMENTS_SLOT not in html:
        return html
    files = published.opened(pk, version)
    if files is not None:
        part = files.page(request.GET, PAGE_SIZE)
        context = {"page": part.page, "rows_html": mark_safe(part.html())}  # noqa: S308 - rendered by the template
        comments = render_to_string("consultations/includes/public_comment_page.html", context)
    else:  # the worker is behind (or absent): read and render, cached per version and page like the files
        published.request_build(pk, version)

        def build() -> str:
            consultation = load()
            page = selectors.public_comments_page(
                consultation, request.GET, tally=public_cache.public_tally(pk), names=_names(consultation)
            )
            return render_to_string("consultations/includes/public_comment_page.html", {"page": page})

        anchor = public_cache.cacheable_query(request)
        parts = None if anchor is None else (pk, version, anchor)  # odd query strings: rendered, not cached
        (comments,) = fragments.many([("consultations:public-comments", parts, build)])
    return html.replace(public_cache.COMMENTS_SLOT, comments, 1)


@require_GET
def public_detail(request, pk: int):
    query = None
    if not request.user.is_authenticated and not len(get_messages(request)):
        query = public_cache.cacheable_query(request)
    if query is not None:
        # Anonymous visitors: the row's state (cached for a short TTL, dropped on commit of every write) decides
        # which page is served; state, page and counts come in one cache round trip, and on a hit no query runs: the
        # cached HTML gets this visitor's tokens, the page of comments (results) and the current counts.
        state, key, html, tally = public_cache.anonymous_page(
            pk, query, lambda: selectors.public_consultation_state(pk=pk)
        )
        if html is None:
            consultation = selectors.consultation_get_cached(user=request.user, pk=pk)  # anonymous: published
            body = mark_safe(_shared_body(request, consultation))  # noqa: S308 - rendered by the templates
            html = render_to_string(
                "consultations/public_detail.html",
                {"consultation": consultation, "body": body},
                request=request,
            )
            public_cache.page_store(pk, query, key, html)
        html = _with_comments(
            request,
            public_cache.fill(request, html),
            pk,
            state[0],
            lambda: selectors.consultation_get_cached(user=request.user, pk=pk),
        )
        return HttpResponse(public_cache.fill_counts(html, public_cache.public_tally(pk, tally)))
    # Logged-in readers: the row, the counts and the shared content in one cache round trip.
    slot, tkey = _body_slot(pk, request.GET.get("dieu", "")), public_cache.tally_key(pk)
    consultation, got = _readable_with(request, pk, (slot, tkey))
    if public_cache.cacheable_query(request) is None:
        context = _detail_context(request, consultation)
        return _detail_page(request, consultation, context, tally=got.get(tkey))
    # The same content as anonymous visitors get (nothing in it depends on who reads) with their tokens; the header
    # (menu, messages) is theirs. The templates' own (autoescaped) HTML with two alphanumeric tokens put in: safe.
    html = public_cache.fill(request, _shared_body(request, consultation, (slot, got.get(slot))))
    html = _with_comments(request, html, pk, consultation.public_version, lambda: consultation)
    body = mark_safe(html)  # noqa: S308
    return _detail_page(
        request, consultation, {"consultation": consultation, "body": body}, tally=got.get(tkey)
    )


def _detail_page(
    request, consultation, context: dict, *, status: int = 200, tally: dict | None = None
) -> HttpResponse:
    """The page with its count slots filled from the maintained tally (consultations/cache.py; ``tally``: as read
    from the cache already)."""
    html = render_to_string("consultations/public_detail.html", context, request=request)
    return HttpResponse(
        public_cache.fill_counts(html, public_cache.public_tally(consultation.pk, tally)), status=status
    )


@require_POST
def comment_submit(request, pk: int):
    consultation = _readable(request, pk)
    if not consultation.is_people and not request.user.has_perm(
        "consultations.view_consultation", consultation
    ):
        raise Http404
    form = PublicCommentForm(
        request.POST, consultation=consultation
    )  # fetches only the chosen article and village
    if intake.honeypot_tripped(form):  # a person never fills the hidden field: nothing is saved
        return render(
            request, "consultations/comment_rejected.html", {"consultation": consultation}, status=400
        )
    if form.is_valid():
        try:
            comment = services.comment_submit(
                consultation=consultation,
                text=form.cleaned_data["text"],
                form_token=form.cleaned_data["form_token"],
                article=form.cleaned_data["article"],
                author_name=form.cleaned_data["author_name"],
                village=form.cleaned_data["village"],
                contact=form.cleaned_data["contact"],
                origin=intake.origin_of(request),
            )
        except intake.RateLimited as exc:
            add_errors(form, exc)
            response = _detail_page(
                request, consultation, _detail_context(request, consultation, form), status=429
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("consultations:receipt", pk=consultation.pk, code=comment.tracking_code)
    context = _detail_context(request, consultation, form)
    context["form"] = form
    return _detail_page(request, consultation, context, status=400)


@require_GET
def receipt(request, pk: int, code: str):
    comment = selectors.comment_track(code)
    if comment is None or comment.consultation_id != pk:
        raise Http404
    return render(
        request, "consultations/receipt.html", {"comment": comment, "consultation": comment.consultation}
    )


@require_GET
def track(request):
    """The old lookup address: the core lookup page (``/tra-cuu/``) answers for every kind of submission."""
    url = reverse("intake_lookup")
    if code := request.GET.get("ma", "").strip()[:40]:
        url += "?" + urlencode({"ma": code})
    return redirect(url, permanent=True)


JSON_PAGE = 500  # comments per results-JSON page: a response stays ~0.2 MB whatever the number of comments


def _results_json_body(request, pk: int, version: int, cursor: str, load) -> bytes:
    """One page of the results JSON: sliced from the published files of ``version`` when built (no query, nothing
    rendered), else built here from the consultation ``load()`` returns (and the build queued)."""
    url = reverse("consultations:results_json", args=[pk])
    files = published.opened(pk, version)
    if files is not None:
        part = files.page({"sau": cursor}, JSON_PAGE)
        after = part.page.next_after
    else:
        consultation = load()
        published.request_build(pk, version)
        page = selectors.public_comments_page(
            consultation,
            {"sau": cursor},
            size=JSON_PAGE,
            fields=(
                "tracking_code",
                "article_id",
                "channel",
                "village_id",
                "text",
                "answer_kind",
                "answer_text",
            ),
            names=_names(consultation),  # the names of articles and villages, cached per public version
        )
        after = page.next_after
    next_url = request.build_absolute_uri(f"{url}?sau={after}") if after is not None else None
    if files is not None:
        return published.results_body(files.head, part.json_items(), next_url)
    items = b", ".join(published.dumps(published.comment_json(c)) for c in page.object_list)
    return published.results_body(published.results_head(consultation, selectors), items, next_url)


@require_GET
def results_json(request, pk: int):
    """The published results with answered comments, JSON_PAGE a page: follow ``next`` (``?sau=<id>``) for more.

    Served from the files the worker writes once per public version (consultations/published.py); until they exist,
    anonymous pages are built from the database and cached per (public version, page).
    """
    cursor = request.GET.get("sau", "")
    if cursor and (not cursor.isdigit() or len(cursor) > 12):
        cursor = ""
    if not request.user.is_authenticated:
        state = public_cache.public_state(pk, lambda: selectors.public_consultation_state(pk=pk))
        if state[1] not in RESULT_STATUSES:
            raise Http404("Kết quả chưa được công khai.")

        def load():
            return selectors.consultation_get_cached(user=request.user, pk=pk)

        if published.opened(pk, state[0]) is not None:
            body = _results_json_body(request, pk, state[0], cursor, load)
        else:
            key = f"consultations:json:{pk}:{state[0]}:{state[1]}:{cursor}"
            body = cache.get(key)
            if body is None:
                body = _results_json_body(request, pk, state[0], cursor, load)
                cache.set(key, body, public_cache.TTL)
        return HttpResponse(body, content_type="application/json")
    consultation = _readable(request, pk)
    if consultation.status not in RESULT_STATUSES:
        raise Http404("Kết quả chưa được công khai.")
    body = _results_json_body(request, pk, consultation.public_version, cursor, lambda: consultation)
    return HttpResponse(body, content_type="application/json")
