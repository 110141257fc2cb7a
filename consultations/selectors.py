"""Reads for consultations: visibility for the viewer, related rows and counts in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from consultations.models import (
    Audience,
    Broadcast,
    Comment,
    Consultation,
    DraftVersion,
    OrganizationSummary,
    Posting,
)
from consultations.services.publicity import longest_run
from portal import lookups, statutes
from portal.access import access_for
from portal.models import Role
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


def consultation_list(*, user, commune=None, status: str | None = None):
    qs = Consultation.objects.filter(_visible_q(user)).select_related("commune", "responsible")
    if commune is not None:
        qs = qs.filter(commune=commune)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        comment_count=Count("comments", filter=Q(comments__merged_into__isnull=True), distinct=True),
    ).order_by("-opens_on", "-id")


def consultation_get(*, user, pk: int) -> Consultation:
    obj = (
        Consultation.objects.filter(_visible_q(user), pk=pk)
        .select_related("commune", "responsible", "plan_document", "report_document")
        .first()
    )
    if obj is None:
        raise Http404("Không tìm thấy cuộc lấy ý kiến.")
    return obj


def public_consultation_get(*, pk: int) -> Consultation:
    """What an anonymous visitor may read (a published people's consultation): one small, unordered query."""
    rows = list(
        Consultation.objects.select_related("commune")
        .filter(pk=pk, audience=Audience.PEOPLE)
        .exclude(status=Consultation.Status.DRAFT)
        .order_by()[:1]
    )
    if not rows:
        raise Http404("Không tìm thấy cuộc lấy ý kiến.")
    return rows[0]


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


def staff_consultation_get(*, user, pk: int, perm: str = "consultations.review_consultation") -> Consultation:
    """For staff pages: 404 when missing or when the user has no business with it (never a hint that it exists)."""
    obj = consultation_get(user=user, pk=pk)
    if not user.has_perm(perm, obj):
        raise Http404("Không tìm thấy cuộc lấy ý kiến.")
    return obj


def public_consultation_list(*, commune=None):
    qs = Consultation.objects.filter(audience=Audience.PEOPLE, status__in=PUBLIC_STATUSES).select_related(
        "commune"
    )
    if commune is not None:
        qs = qs.filter(commune=commune)
    return qs


def current_version(consultation: Consultation) -> DraftVersion | None:
    return consultation.versions.order_by("-number").first()


def article_rows(version: DraftVersion | None, *, public: bool = True):
    """The version's articles, each with its comment count from one aggregate query (never loading comments)."""
    if version is None:
        return []
    visible = Q(comments__merged_into__isnull=True)
    if public:
        visible &= Q(comments__hidden=False)
    return list(
        version.articles.select_related("parent").annotate(comment_count=Count("comments", filter=visible))
    )


def comment_counts(consultation: Consultation, *, public: bool = True) -> dict:
    q = Comment.objects.filter(consultation=consultation, merged_into__isnull=True)
    if public:
        q = q.filter(hidden=False)
    return q.aggregate(
        total=Count("id"),
        general=Count("id", filter=Q(article__isnull=True)),
        answered=Count("id", filter=Q(status=Comment.Status.ANSWERED)),
    )


def public_comments(consultation: Consultation):
    """Answered, visible comments shown on the public page once results are published (paginated by the view)."""
    return (
        Comment.objects.filter(
            consultation=consultation, hidden=False, merged_into__isnull=True, status=Comment.Status.ANSWERED
        )
        .select_related("article__parent", "village", "changed_article__parent", "changed_article__version")
        .order_by(F("article_position").asc(nulls_last=True), "id")
    )  # the partial index comment_public_answered


def comment_list(*, user, consultation: Consultation):
    """All comments for staff, MTTQ and Công đoàn (hidden ones included), with what each row shows."""
    if not user.has_perm("consultations.review_consultation", consultation):
        raise Http404
    return (
        Comment.objects.filter(consultation=consultation)
        .select_related(
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
        .annotate(duplicate_count=Count("duplicates", distinct=True))
        .order_by("-received_at", "-id")
    )


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


def posting_state(posting: Posting, today: dt.date, broadcast_days=()) -> dict:
    """done / late / missing / pending, and whether the minimum duration is (being) respected."""
    if posting.posted_on is None:
        state = "missing" if today > posting.due_on else "pending"
    else:
        state = "late" if posting.posted_on > posting.due_on else "done"
    info = {"state": state, "posting": posting}
    if posting.min_rule_code:
        rule = statutes.get(posting.min_rule_code)
        info["min_days"] = rule.days
        if posting.kind == Posting.Kind.RADIO:
            run = longest_run(broadcast_days)
            info["run"] = run
            info["duration_ok"] = run >= rule.days
        elif posting.posted_on:
            until = rule.due(posting.posted_on)
            info["keep_until"] = until
            info["duration_ok"] = (posting.removed_on or today) >= until
    return info


STATE_LABELS = {
    "done": "Đúng hạn",
    "late": "Trễ hạn",
    "missing": "Chưa thực hiện (quá hạn)",
    "pending": "Chưa đến hạn",
}


def compliance_matrix(*, consultation: Consultation, phase: str, today: dt.date | None = None) -> dict:
    """Village × channel matrix of one phase's postings, plus the commune-level rows; three queries."""
    today = today or timezone.localdate()
    postings = list(
        Posting.objects.filter(consultation=consultation, phase=phase)
        .select_related("village", "confirmed_by")
        .prefetch_related(Prefetch("broadcasts", queryset=Broadcast.objects.order_by("broadcast_on")))
    )
    commune_rows, by_village = [], defaultdict(dict)
    totals = defaultdict(int)
    for p in postings:
        info = posting_state(p, today, [b.broadcast_on for b in p.broadcasts.all()])
        totals[info["state"]] += 1
        if p.village_id:
            by_village[p.village][p.kind] = info
        else:
            commune_rows.append(info)
    village_rows = [
        {
            "village": v,
            "house": cells.get(Posting.Kind.VILLAGE_HOUSE),
            "head": cells.get(Posting.Kind.VILLAGE_HEAD),
        }
        for v, cells in sorted(by_village.items(), key=lambda kv: kv[0].name)
    ]
    return {
        "commune_rows": commune_rows,
        "village_rows": village_rows,
        "totals": dict(totals),
        "count": len(postings),
    }


def postings_for_village_head(*, user):
    access = access_for(user)
    return (
        Posting.objects.filter(village_id__in=access.headed_village_ids, posted_on__isnull=True)
        .select_related("consultation", "village")
        .order_by("due_on")
    )


# --- Results --------------------------------------------------------------------------------------------------------


def results_statistics(consultation: Consultation) -> dict:
    """Counts by channel, village, article and answer; participation per village against households (aggregates)."""
    base = Comment.objects.filter(consultation=consultation, hidden=False)
    main = base.filter(merged_into__isnull=True)
    channel_labels = dict(Comment._meta.get_field("channel").choices)
    answer_labels = dict(Comment.Answer.choices)
    by_channel = [
        {"key": r["channel"], "label": channel_labels.get(r["channel"], r["channel"]), "count": r["n"]}
        for r in base.values("channel").annotate(n=Count("id")).order_by("-n")
    ]
    by_answer = [
        {
            "key": r["answer_kind"],
            "label": answer_labels.get(r["answer_kind"], "Chưa trả lời"),
            "count": r["n"],
        }
        for r in main.values("answer_kind").annotate(n=Count("id")).order_by("answer_kind")
    ]
    version = current_version(consultation)
    by_article = []
    for r in (
        base.values("article__key", "article__kind", "article__number", "article__heading")
        .annotate(n=Count("id"))
        .order_by("-n")
    ):
        if r["article__key"] is None:
            label = "Góp ý chung cho toàn bộ dự thảo"
        else:
            kind = {"chapter": "Chương", "article": "Điều", "clause": "Khoản"}[r["article__kind"]]
            label = f"{kind} {r['article__number']}" + (
                f". {r['article__heading']}" if r["article__heading"] else ""
            )
        by_article.append({"key": r["article__key"] or "", "label": label, "count": r["n"]})
    villages = lookups.villages(consultation.commune_id, include_inactive=True)
    counts = dict(base.exclude(village__isnull=True).values_list("village").annotate(n=Count("id")))
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
    totals = base.aggregate(
        total=Count("id"),
        duplicates=Count("id", filter=Q(merged_into__isnull=False)),
        no_village=Count("id", filter=Q(village__isnull=True)),
    )
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
