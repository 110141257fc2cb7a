"""Reads for consultations: visibility for the viewer, related rows and counts in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404

from consultations.models import (
    Article,
    Audience,
    Comment,
    CommentTally,
    Consultation,
    DraftVersion,
    OrganizationSummary,
    PublicityPhase,
)
from consultations.services.tally import tally_of
from portal import lookups
from portal.access import access_for
from portal.memo import ProcessMemo
from portal.models import Role
from portal.pagination import AFTER, BEFORE, SeekPage
from portal.pagination import SIZE as PAGE_SIZE
from portal.publicity.models import Posting
from portal.publicity.selectors import (  # noqa: F401  (re-exported for the consultation pages)
    STATE_LABELS,
    posting_state,
    postings_for_village_head,
    publications_for,
)
from portal.publicity.selectors import compliance_matrix as compliance_matrix_of
from portal.text import normalize_tracking_code

PUBLIC_STATUSES = [s for s in Consultation.Status.values if s != Consultation.Status.DRAFT]


def _visible_q(user) -> Q:
    access = access_for(user)
    if access.is_superuser:
        return Q()
    public = Q(audience=Audience.PEOPLE) & ~Q(status=Consultation.Status.DRAFT)
    readers = access.readable_commune_ids()
    agency = access.commune_ids(Role.STAFF, Role.LEADER, Role.UNION, Role.RADIO)
    return (
        public | Q(commune_id__in=readers) | (Q(commune_id__in=agency) & ~Q(status=Consultation.Status.DRAFT))
    )


def consultation_visible(user, consultation: Consultation) -> bool:
    """:func:`_visible_q` for one row already read (tests/consultations/test_selectors.py checks they agree)."""
    access = access_for(user)
    if access.is_superuser:
        return True
    draft = consultation.status == Consultation.Status.DRAFT
    if consultation.audience == Audience.PEOPLE and not draft:
        return True
    if consultation.commune_id in access.readable_commune_ids():
        return True
    return not draft and consultation.commune_id in access.commune_ids(
        Role.STAFF, Role.LEADER, Role.UNION, Role.RADIO
    )


def consultation_list(*, user, commune=None, status: str | None = None):
    qs = Consultation.objects.filter(_visible_q(user)).select_related("commune", "responsible")
    if commune is not None:
        qs = qs.filter(commune=commune)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(comment_count=tally_value("staff")).order_by("-opens_on", "-id")


def tally_value(key: str, outer: str = "pk"):
    """A consultation's maintained count ``key`` as an annotation (one indexed subquery per row shown)."""
    return Coalesce(
        Subquery(
            CommentTally.objects.filter(consultation_id=OuterRef(outer), key=key).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


FULL_RELATED = ("commune", "responsible", "plan_document__previous", "report_document", "decision_document")


def consultation_get(*, user, pk: int, related: tuple[str, ...] = FULL_RELATED) -> Consultation:
    """The consultation ``user`` may read, with ``related`` joined (a list page asks only for what it shows: every
    joined table adds its columns to the one query each request compiles)."""
    rows = list(Consultation.objects.filter(_visible_q(user), pk=pk).select_related(*related).order_by()[:1])
    if not rows:
        raise Http404("Không tìm thấy cuộc lấy ý kiến.")
    return rows[0]


def consultation_get_cached(*, user, pk: int) -> Consultation:
    """:func:`consultation_get` with the commune only, for the busiest signed-in pages (the comment list, the MTTQ
    review, the public page): the row from the cache (consultations/cache.py: fresh within
    ``settings.PORTAL_PUBLIC_STATE_TTL`` seconds, dropped on commit of every write to it), who may read it checked
    here on every request."""
    return consultation_get_cached_with(user=user, pk=pk, also=())[0]


def consultation_get_cached_with(*, user, pk: int, also: tuple[str, ...]) -> tuple[Consultation, dict]:
    """:func:`consultation_get_cached`, and the values of the cache keys ``also`` read in the same round trip."""
    from consultations import cache as consultation_cache

    def load():
        rows = list(Consultation.objects.filter(pk=pk).select_related("commune").order_by()[:1])
        return rows[0] if rows else None

    consultation, got = consultation_cache.consultation_row(pk, load, also)
    if consultation is None or not consultation_visible(user, consultation):
        raise Http404("Không tìm thấy cuộc lấy ý kiến.")
    return consultation, got


def public_consultation_state(*, pk: int) -> tuple:
    """(public_version, status, opens_on, closes_on) of a published people's consultation; 404 otherwise."""
    rows = list(
        Consultation.objects.filter(pk=pk, audience=Audience.PEOPLE)
        .exclude(status=Consultation.Status.DRAFT)
        .order_by()
        .values_list("public_version", "status", "opens_on", "closes_on")[:1]
    )
    if not rows:
        raise Http404("Không tìm thấy cuộc lấy ý kiến.")
    return rows[0]


def staff_consultation_get(
    *,
    user,
    pk: int,
    perm: str = "consultations.review_consultation",
    related: tuple[str, ...] = FULL_RELATED,
    cached: bool = False,
) -> Consultation:
    """For staff pages: 404 when missing or when the user has no business with it (never a hint that it exists).
    ``cached=True`` reads the row (with its commune only) through :func:`consultation_get_cached`."""
    if cached:
        return staff_consultation_get_cached_with(user=user, pk=pk, perm=perm, also=())[0]
    obj = consultation_get(user=user, pk=pk, related=related)
    if not user.has_perm(perm, obj):
        raise Http404("Không tìm thấy cuộc lấy ý kiến.")
    return obj


def staff_consultation_get_cached_with(
    *, user, pk: int, perm: str = "consultations.review_consultation", also: tuple[str, ...]
) -> tuple[Consultation, dict]:
    """:func:`staff_consultation_get` with ``cached=True``, and the values of the cache keys ``also`` (the page's
    fragment slots) read in the same round trip."""
    obj, got = consultation_get_cached_with(user=user, pk=pk, also=also)
    if not user.has_perm(perm, obj):
        raise Http404("Không tìm thấy cuộc lấy ý kiến.")
    return obj, got


def public_consultation_list(*, commune=None):
    qs = Consultation.objects.filter(audience=Audience.PEOPLE, status__in=PUBLIC_STATUSES).select_related(
        "commune"
    )
    if commune is not None:
        qs = qs.filter(commune=commune)
    return qs


def current_version(consultation: Consultation) -> DraftVersion | None:
    return consultation.versions.order_by("-number").first()


_form_articles: ProcessMemo[list[Article]] = ProcessMemo(256)


def comment_form_articles(consultation: Consultation) -> list[Article]:
    """The current draft version's articles as the public comment form offers and checks them (in the draft's
    order, each with its version and parent): read once per process and public version. A new draft version, or
    any change of one, bumps the public version (``services.drafts``: ``public_changed``), so a submission is never
    checked against another draft than the one the database holds as current when its row was read."""

    def build() -> list[Article]:
        version = current_version(consultation)
        return list(version.articles.select_related("version", "parent")) if version else []

    return _form_articles.get((consultation.pk, consultation.public_version), build)


def article_rows(version: DraftVersion | None, *, tally: dict | None = None):
    """The version's articles, each with its count of visible, not merged comments (from the maintained tally)."""
    if version is None:
        return []
    if tally is None:
        tally = tally_of(version.consultation_id)
    rows = list(version.articles.select_related("parent"))
    for a in rows:
        a.comment_count = article_count(tally, a.pk)
    return rows


def article_count(tally: dict, article_id) -> int:
    """Visible, not merged comments on one article, from the maintained tally."""
    return tally.get(f"main:a:{article_id}", 0)


def comment_counts(
    consultation: Consultation | None, *, public: bool = True, tally: dict | None = None
) -> dict:
    """Not merged comments (visible ones only when ``public``): total, general, answered — maintained counts."""
    if tally is None:
        tally = tally_of(consultation.pk)
    scope = "main" if public else "staff"
    return {
        "total": tally.get(scope, 0),
        "general": tally.get(f"{scope}:general", 0),
        "answered": tally.get(f"{scope}:answered", 0),
    }


def comment_list_count(consultation: Consultation, data, *, tally: dict | None = None) -> int | None:
    """The maintained size of the staff comment list for these filters, or None when no count is maintained."""
    used = {k: v for k, v in data.items() if v and k not in ("page", "sau", "truoc")}
    if set(used) - {"answered"}:
        return None
    if tally is None:
        tally = tally_of(consultation.pk)
    answered = used.get("answered")
    if answered is None:
        return tally.get("all", 0)
    if answered == "yes":
        return tally.get("staff:answered", 0)
    if answered == "no":
        return tally.get("staff", 0) - tally.get("staff:answered", 0)
    return None


def public_comments(consultation: Consultation):
    """Answered, visible comments shown on the public page once results are published (paginated by the view)."""
    return (
        Comment.objects.filter(
            consultation=consultation, hidden=False, merged_into__isnull=True, status=Comment.Status.ANSWERED
        )
        .prefetch_related(*PUBLIC_RELATED)
        .order_by(F("article_position").asc(nulls_last=True), "id")
    )  # the partial index comment_public_answered


# What a listed comment shows, fetched by id for the page's rows (``prefetch_related``) rather than joined: PostgreSQL
# spends ~0.3 ms planning the bare page query and 25–110 ms (on the loaded benchmark machine) planning it with 6–9
# joined tables, while executing it takes under 1 ms at 100,000 comments.
PUBLIC_RELATED = ("article__parent", "village", "changed_article__parent", "changed_article__version")
STAFF_RELATED = (
    "article",
    "village",
    "organization",
    "recorded_by",
    "answered_by",
    "assignee",
    "merged_into",
    "meeting",
    "hidden_by",
)


# All NULL, but named so PostgreSQL reads the partial index in its order instead of the primary key.
GENERAL_ORDER = ("article_position", "id")


def _fill(first, second, take: int) -> list:
    """``take`` rows from ``first``, then from ``second`` (read only when ``first`` ran short)."""
    rows = list(first[:take])
    return rows if len(rows) >= take else rows + list(second[: take - len(rows)])


def public_names(consultation: Consultation) -> dict:
    """What a page of answered comments names, for every comment of the consultation (two small queries):
    ``{"articles": {id: (label, draft version number)}, "villages": {id: name}}`` — every article of every draft
    version (an answer may name an article of a later draft) and the commune's villages. consultations/cache.py keeps
    it per public version; :func:`public_comments_page` puts the names on its rows instead of joining per page."""
    articles = {
        a.pk: (a.label, a.version.number)
        for a in Article.objects.filter(version__consultation=consultation).select_related(
            "parent", "version"
        )
    }
    # Inactive villages too: a comment keeps the village it was sent from.
    villages = dict(
        lookups.villages(consultation.commune_id, include_inactive=True).values_list("pk", "name")
    )
    return {"articles": articles, "villages": villages}


def public_comments_page(
    consultation: Consultation,
    params,
    *,
    size: int = PAGE_SIZE,
    tally=None,
    fields: tuple[str, ...] = (),
    names: dict | None = None,
) -> SeekPage:
    """One page of :func:`public_comments`, seeking from ``?sau=<id>`` / ``?truoc=<id>`` (never OFFSET).

    The order is (article_position NULLS LAST, id): the comments on an article, then the general ones. Each part is
    one range of the partial index ``comment_public_answered`` (positioned rows, then the NULL ones), so a page reads
    at most 2 × (size + 1) index entries wherever it is (at most three queries: anchor, positioned, general).

    With ``names`` (:func:`public_names`) each row gets ``article_label``, ``village_name``, ``changed_label`` and
    ``changed_version`` from it, and nothing more is read; else its related rows are prefetched.
    """
    base = public_comments(consultation).prefetch_related(None)  # related rows once for the page, below
    if fields:  # only the columns the caller shows (the results JSON reads 500 rows a page)
        base = base.only("id", "article_position", *fields)
    positioned = base.filter(article_position__isnull=False)
    general = base.filter(article_position__isnull=True)
    after, before = params.get(AFTER), params.get(BEFORE)
    anchor_id = next((int(v) for v in (after, before) if v and str(v).isdigit() and len(str(v)) <= 12), None)
    anchor = None
    if anchor_id is not None:
        anchor = next(
            iter(base.order_by().filter(pk=anchor_id).values_list("article_position", "pk")[:1]), None
        )
    take = size + 1
    if anchor is None or (after and str(after).isdigit()):
        if anchor is None:
            first, second = positioned.order_by("article_position", "id"), general.order_by(*GENERAL_ORDER)
        elif anchor[0] is None:
            first, second = positioned.none(), general.filter(id__gt=anchor[1]).order_by(*GENERAL_ORDER)
        else:
            pos, pk = anchor
            first = positioned.filter(
                Q(article_position__gte=pos) & (Q(article_position__gt=pos) | Q(id__gt=pk))
            ).order_by("article_position", "id")
            second = general.order_by(*GENERAL_ORDER)
        rows = _fill(first, second, take)
        has_previous, has_next = anchor is not None, len(rows) > size
        rows = rows[:size]
    else:
        pos, pk = anchor
        if pos is None:
            first = general.filter(id__lt=pk).order_by("-article_position", "-id")
            second = positioned.order_by("-article_position", "-id")
        else:
            first = positioned.filter(
                Q(article_position__lte=pos) & (Q(article_position__lt=pos) | Q(id__lt=pk))
            ).order_by("-article_position", "-id")
            second = general.none()
        rows = _fill(first, second, take)
        has_previous, has_next = len(rows) > size, True
        rows = rows[:size][::-1]
    if names is not None:
        name_rows(rows, names)
    else:
        prefetch_related_objects(rows, *PUBLIC_RELATED)
    if tally is None:
        tally = tally_of(consultation.pk)
    return SeekPage(rows, has_next=has_next, has_previous=has_previous, count=tally.get("main:answered", 0))


def name_rows(rows, names: dict) -> None:
    """Put ``article_label``, ``village_name``, ``changed_label`` and ``changed_version`` on each row, from
    :func:`public_names` (nothing is read)."""
    articles, villages = names["articles"], names["villages"]
    for row in rows:
        row.article_label = articles.get(row.article_id, ("", 0))[0] if row.article_id else ""
        row.village_name = villages.get(row.village_id, "") if row.village_id else ""
        if "changed_article_id" in row.__dict__ and row.changed_article_id:
            row.changed_label, row.changed_version = articles.get(row.changed_article_id, ("", 0))
        else:
            row.changed_label, row.changed_version = "", 0


def comment_list(*, user, consultation: Consultation):
    """All comments for staff, MTTQ and Công đoàn (hidden ones included), with what each row shows."""
    if not user.has_perm("consultations.review_consultation", consultation):
        raise Http404
    return (
        Comment.objects.filter(consultation=consultation)
        .prefetch_related(*STAFF_RELATED)
        .order_by("-received_at", "-id")
    )  # the index comment_staff_list; ``duplicate_count`` is maintained by comment_merge


def comment_get(*, user, consultation: Consultation, pk: int) -> Comment:
    obj = comment_list(user=user, consultation=consultation).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def comment_track(code: str) -> Comment | None:
    """The public tracking lookup: by code only, never exposing contact details."""
    code = normalize_tracking_code(code)
    if not code:
        return None
    return (
        Comment.objects.filter(tracking_code=code, consultation__audience=Audience.PEOPLE)
        .select_related("consultation", "article", "merged_into")
        .first()
    )


# --- Publicity ------------------------------------------------------------------------------------------------------


def postings_of(consultation: Consultation, phase: str | None = None):
    """The core postings (portal/publicity) of a consultation's publications, optionally of one phase."""
    qs = Posting.objects.filter(
        publication__content_type=ContentType.objects.get_for_model(Consultation),
        publication__object_id=str(consultation.pk),
    )
    return qs.filter(publication__phase=phase) if phase else qs


def publicity_phases(*, consultation: Consultation, today: dt.date | None = None) -> list[dict]:
    """Each publicized phase with its core publication and compliance matrix (constant queries)."""
    publications = [p for p in publications_for(consultation) if p.phase in PublicityPhase.values]
    publications.sort(key=lambda p: PublicityPhase.values.index(p.phase))
    matrices = compliance_matrix_of(publications=publications, today=today)
    return [
        {"phase": p.phase, "label": PublicityPhase(p.phase).label, "publication": p, "matrix": matrices[p.pk]}
        for p in publications
    ]


def compliance_matrix(*, consultation: Consultation, phase: str, today: dt.date | None = None) -> dict:
    """Village × channel matrix of one phase's postings, plus the commune-level rows (the core matrix)."""
    for row in publicity_phases(consultation=consultation, today=today):
        if row["phase"] == phase:
            return row["matrix"]
    return {"commune_rows": [], "village_rows": [], "totals": {}, "count": 0}


# --- Results --------------------------------------------------------------------------------------------------------


def results_statistics(consultation: Consultation, *, tally: dict | None = None) -> dict:
    """Counts by channel, village, article and answer; participation per village against households.

    From the maintained tally (visible comments; duplicates counted under channel, article and village, answers
    counted once per main comment), plus the small tables that name them: articles, villages, summaries.
    """
    if tally is None:
        tally = tally_of(consultation.pk)

    def under(prefix: str) -> dict[str, int]:
        return {k[len(prefix) :]: n for k, n in tally.items() if k.startswith(prefix) and n}

    channel_labels = dict(Comment._meta.get_field("channel").choices)
    answer_labels = dict(Comment.Answer.choices)
    by_channel = [
        {"key": key, "label": channel_labels.get(key, key), "count": n}
        for key, n in sorted(under("pub:ch:").items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    by_answer = [
        {"key": key, "label": answer_labels.get(key, "Chưa trả lời"), "count": n}
        for key, n in sorted(under("main:ans:").items())
    ]
    version = current_version(consultation)
    per_article = {int(k): n for k, n in under("pub:a:").items()}
    labels: dict[str, str] = {}
    counts_by_key: dict[str, int] = defaultdict(int)
    ids = [pk for pk in per_article if pk]
    articles = {
        a["pk"]: a
        for a in Article.objects.filter(pk__in=ids).values("pk", "key", "kind", "number", "heading")
    }
    for pk, n in per_article.items():
        a = articles.get(pk)
        if a is None:  # general comments (0)
            key, label = "", "Góp ý chung cho toàn bộ dự thảo"
        else:
            kind = {"chapter": "Chương", "article": "Điều", "clause": "Khoản"}[a["kind"]]
            key = a["key"]
            label = f"{kind} {a['number']}" + (f". {a['heading']}" if a["heading"] else "")
        counts_by_key[key] += n  # the same article across versions counts once
        labels.setdefault(key, label)
    by_article = [
        {"key": key, "label": labels[key], "count": n}
        for key, n in sorted(counts_by_key.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    villages = lookups.villages(consultation.commune_id, include_inactive=True)
    counts = {int(k): n for k, n in under("pub:v:").items()}
    by_village = []
    for v in villages:
        n = counts.get(v.pk, 0)
        if not v.active and not n:  # a merged village that sent nothing is not a row of this consultation
            continue
        by_village.append(
            {
                "village": v.name,
                "households": v.households,
                "count": n,
                "per_100_households": round(100 * n / v.households, 1) if v.households else None,
            }
        )
    totals = {
        "total": tally.get("pub", 0),
        "duplicates": tally.get("pub:dup", 0),
        "no_village": tally.get("pub:nov", 0),
    }
    summaries = list(
        OrganizationSummary.objects.filter(consultation=consultation).select_related("organization")
    )
    return {
        "by_channel": by_channel,
        "by_answer": by_answer,
        "by_article": by_article,
        "by_village": by_village,
        "totals": totals,
        "version": version.number if version else None,
        "summaries": summaries,
    }


def reviewed_consultations(*, user):
    """The consultations whose comments the user reviews: MTTQ the people's, Công đoàn the staff's, of their communes."""
    access = access_for(user)
    people = access.commune_ids(Role.MTTQ)
    staff = access.commune_ids(Role.UNION)
    return Consultation.objects.filter(
        (Q(commune_id__in=people) & Q(audience=Audience.PEOPLE))
        | (Q(commune_id__in=staff) & Q(audience=Audience.STAFF))
    )


def unanswered_for_reviewer(*, user):
    """Comments of the reviewer's communes still without an answer (MTTQ / Công đoàn dashboard)."""
    access = access_for(user)
    people = access.commune_ids(Role.MTTQ)
    staff = access.commune_ids(Role.UNION)
    return Comment.objects.filter(
        (Q(commune_id__in=people) & Q(consultation__audience=Audience.PEOPLE))
        | (Q(commune_id__in=staff) & Q(consultation__audience=Audience.STAFF)),
        hidden=False,
        merged_into__isnull=True,
    ).exclude(status=Comment.Status.ANSWERED)


def summary_prefill(consultation: Consultation) -> dict:
    """What MTTQ / Công đoàn would otherwise count by hand for its summary: the meetings recorded in the portal,
    their attendance and the comments collected at each (one query); the reviewer edits it before sending."""
    meetings = list(
        consultation.meetings.select_related("village")
        .annotate(comment_count=Count("comments"))
        .order_by("held_on", "id")
    )
    lines = []
    for m in meetings:
        where = f" tại {m.place}" if m.place else (f" tại thôn {m.village.name}" if m.village_id else "")
        lines.append(
            f"- {m.title}, ngày {m.held_on:%d/%m/%Y}{where}: {m.attendees} người dự, {m.comment_count} ý kiến."
        )
    text = ""
    if meetings:
        text = f"Đã tổ chức {len(meetings)} hội nghị lấy ý kiến:\n" + "\n".join(lines) + "\n"
    return {
        "meetings_held": len(meetings),
        "participants": sum(m.attendees for m in meetings),
        "text": text,
    }


CHANGES_LIMIT = 500  # comments read for "which article changed because of which comments" (one query)


def article_changes(consultation: Consultation) -> list[dict]:
    """Each article changed in a later draft version because of accepted comments, with those comments' codes:
    ``[{"article": "Khoản 1 Điều 2. …", "version": 2, "codes": ["AB12-CD", …]}]`` in the draft's order."""
    rows: dict[int, dict] = {}
    comments = (
        Comment.objects.filter(
            consultation=consultation, changed_article__isnull=False, hidden=False, merged_into__isnull=True
        )
        .select_related("changed_article__version", "changed_article__parent")
        .order_by("changed_article__version__number", "changed_article__position", "id")[:CHANGES_LIMIT]
    )
    for c in comments:
        row = rows.setdefault(
            c.changed_article_id,
            {"article": c.changed_article.label, "version": c.changed_article.version.number, "codes": []},
        )
        row["codes"].append(c.tracking_code)
    return list(rows.values())
