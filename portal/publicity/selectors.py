"""Reads for publicity: visibility for the viewer, the compliance matrix, the register; constant query counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from portal.access import access_for
from portal.models import Role
from portal.publicity.models import Broadcast, ContentItem, Posting, Publication, Regime
from portal.publicity.state import STATE_LABELS, posting_state

__all__ = [
    "STATE_LABELS",
    "compliance_matrix",
    "posting_get",
    "posting_state",
    "postings_for_radio",
    "postings_for_village_head",
    "public_register",
    "publication_get",
    "publication_list",
    "publications_for",
]


def _readable_communes(user) -> tuple[bool, set[int]]:
    access = access_for(user)
    if access.is_superuser:
        return True, set()
    heads = {m.unit.parent_id for m in access.memberships if m.role == Role.VILLAGE_HEAD}
    return False, access.readable_commune_ids() | heads


def publication_list(*, user, commune=None, item: int | None = None, status: str | None = None):
    everything, communes = _readable_communes(user)
    qs = Publication.objects.all() if everything else Publication.objects.filter(commune_id__in=communes)
    if commune is not None:
        qs = qs.filter(commune=commune)
    if item:
        qs = qs.filter(item=item)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("commune", "document", "content_type")
        .annotate(
            posting_count=Count("postings", distinct=True),
            done_count=Count("postings", filter=Q(postings__posted_on__isnull=False), distinct=True),
        )
        .order_by("-starts_on", "-id")
    )


def publication_get(*, user, pk: int) -> Publication:
    everything, communes = _readable_communes(user)
    qs = Publication.objects.select_related("commune", "document", "content_type", "replaces")
    if not everything:
        # The commune's readers see every publication; anyone signed in sees what was publicized (Điều 11).
        public = Q(regime=Regime.COMMUNE, starts_on__lte=timezone.localdate()) & ~Q(
            status=Publication.Status.WITHDRAWN
        )
        qs = qs.filter(Q(commune_id__in=communes) | public)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404("Không tìm thấy nội dung công khai.")
    return obj


def publications_for(subject) -> list[Publication]:
    """The publications of one subject (e.g. a consultation's plan, results, regulation), oldest first."""
    ct = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    return list(
        Publication.objects.filter(content_type=ct, object_id=str(subject.pk))
        .select_related("document")
        .order_by("id")
    )


def posting_get(*, user, pk: int, perms=("publicity.confirm_posting", "publicity.log_broadcast")) -> Posting:
    """A posting the user may act on (404 for missing and not-yours alike)."""
    posting = (
        Posting.objects.select_related("publication", "village", "publication__commune", "confirmed_by")
        .filter(pk=pk)
        .first()
    )
    if posting is None or not any(user.has_perm(p, posting) for p in perms):
        raise Http404("Không tìm thấy việc công khai.")
    return posting


def compliance_matrix(*, publications, today: dt.date | None = None) -> dict[int, dict]:
    """Place × form matrix of each publication's postings (done / late / missing / pending, days), two queries.

    Returns ``{publication_id: {"commune_rows", "village_rows", "totals", "count"}}``; a village row holds its
    cultural-house posting (``house``) and its village-head posting (``head``).
    """
    today = today or timezone.localdate()
    ids = [p.pk for p in publications]
    postings = (
        Posting.objects.filter(publication_id__in=ids)
        .select_related("village", "confirmed_by")
        .prefetch_related(Prefetch("broadcasts", queryset=Broadcast.objects.order_by("broadcast_on")))
        .order_by("kind", "id")
    )
    grouped: dict[int, list] = defaultdict(list)
    for p in postings:
        grouped[p.publication_id].append(p)
    out = {}
    for pub_id in ids:
        commune_rows, by_village, totals = [], defaultdict(dict), defaultdict(int)
        for p in grouped[pub_id]:
            info = posting_state(p, today, [b.broadcast_on for b in p.broadcasts.all()])
            totals[info["state"]] += 1
            if p.village_id:
                by_village[p.village][p.kind] = info
            else:
                commune_rows.append(info)
        out[pub_id] = {
            "commune_rows": commune_rows,
            "village_rows": [
                {
                    "village": v,
                    "house": cells.get(Posting.Kind.VILLAGE_HOUSE),
                    "head": cells.get(Posting.Kind.VILLAGE_HEAD),
                }
                for v, cells in sorted(by_village.items(), key=lambda kv: kv[0].name)
            ],
            "totals": dict(totals),
            "count": len(grouped[pub_id]),
        }
    return out


def postings_for_village_head(*, user):
    """Postings waiting for one of the user's villages (any publication still active), soonest due first."""
    access = access_for(user)
    return (
        Posting.objects.filter(
            village_id__in=access.headed_village_ids,
            posted_on__isnull=True,
            publication__status=Publication.Status.ACTIVE,
        )
        .select_related("publication", "village")
        .order_by("due_on", "id")
    )


def postings_done_for_village_head(*, user, limit: int = 20):
    access = access_for(user)
    return (
        Posting.objects.filter(village_id__in=access.headed_village_ids, posted_on__isnull=False)
        .select_related("publication", "village")
        .order_by("-posted_on", "-id")[:limit]
    )


def postings_for_radio(*, user, limit: int = 50):
    """The radio postings of the user's communes (radio operator, staff), newest first, with their days logged."""
    access = access_for(user)
    communes = access.commune_ids(Role.RADIO, Role.STAFF, Role.LEADER)
    return (
        Posting.objects.filter(commune_id__in=communes, kind=Posting.Kind.RADIO)
        .exclude(publication__status=Publication.Status.WITHDRAWN)
        .select_related("publication")
        .annotate(days_logged=Count("broadcasts"))
        .order_by("-trigger_on", "-id")[:limit]
    )


def public_register(*, commune, today: dt.date | None = None, archived_limit: int = 100) -> list[dict]:
    """The commune's "Công khai" section: per Điều 11 item, what is publicized now and what was (with periods).

    Constant queries whatever the size: the current ones, the most recent ``archived_limit`` archived ones, and
    their subjects (one query per subject model) so that each entry links to where a citizen can read it.
    """
    today = today or timezone.localdate()
    base = (
        Publication.objects.filter(commune=commune, regime=Regime.COMMUNE, starts_on__lte=today)
        .exclude(status=Publication.Status.WITHDRAWN)
        .select_related("document")
        .only(
            "id",
            "item",
            "title",
            "starts_on",
            "ends_on",
            "file",
            "filename",
            "document__id",
            "document__status",
            "forms",
            "status",
            "commune_id",
            "publicized_on",
            "content_type_id",
            "object_id",
        )
        # The subjects' public pages (one query per subject model, whatever the number of publications).
        .prefetch_related("subject")
    )
    current = list(
        base.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).order_by("item", "-starts_on")
    )
    archived = list(base.filter(ends_on__lt=today).order_by("-ends_on", "-id")[:archived_limit])
    groups: dict[int, dict] = {}
    for value, label in ContentItem.choices:
        groups[value] = {"item": value, "label": label, "current": [], "archived": []}
    for p in current:
        groups[p.item]["current"].append(p)
    for p in archived:
        groups[p.item]["archived"].append(p)
    return [g for g in groups.values() if g["current"] or g["archived"]]


def publicized_between(*, commune, start: dt.date, end: dt.date):
    """Publications of the commune whose publicizing started in [start, end] (the quarterly list, the report)."""
    return (
        Publication.objects.filter(commune=commune, starts_on__gte=start, starts_on__lte=end)
        .select_related("document")
        .prefetch_related(
            Prefetch(
                "postings",
                queryset=Posting.objects.select_related("village")
                .prefetch_related("broadcasts")
                .order_by("kind"),
            )
        )
        .order_by("item", "starts_on", "id")
    )
