"""Home panels of consultations (portal.registry): what waits for this person, two queries per group at most."""

from __future__ import annotations

from django.urls import reverse

from consultations import selectors
from consultations.models import CommentTally, Consultation
from portal import generations
from portal.models import Role
from portal.registry import WorkItem, WorkList, work_group

S = Consultation.Status
ACTIVE = [S.PUBLISHED, S.OPEN]
# Comments may still be answered in these states (the answers are published with the results).
ANSWERING = [S.OPEN, S.CLOSED, S.SYNTHESIS]


def consultation_scopes(consultation_id: int, commune_id: int | None = None) -> list[str]:
    """The generation scope of a consultation's rows (its commune; one small query unless given)."""
    if commune_id is None:
        commune_id = (
            Consultation.objects.filter(pk=consultation_id).values_list("commune_id", flat=True).first()
        )
    return [generations.unit_scope(commune_id)] if commune_id else []


# What the staff and MTTQ panels read (portal/generations.py): the consultations and their maintained counts. The
# counts are written with raw SQL (consultations.services.tally bumps the generation itself).
READS = [Consultation, (CommentTally, lambda t: consultation_scopes(t.consultation_id))]


def _list_url(status: str) -> str:
    return reverse("consultations:list") + f"?status={status}"


def staff_open(request, access, **kw) -> WorkList | None:
    """Staff and leaders: comments waiting for an answer, results waiting for adoption, consultations running."""
    communes = access.commune_ids(Role.STAFF, Role.LEADER)
    if not communes:
        return None
    base = Consultation.objects.filter(commune_id__in=communes)
    unanswered = (
        base.filter(status__in=ANSWERING)
        .annotate(
            # maintained counts (consultations.services.tally), not a GROUP BY over every comment
            unanswered=selectors.tally_value("main") - selectors.tally_value("main:answered")
        )
        .filter(unanswered__gt=0)
        .order_by("closes_on", "id")
    )
    groups = [
        work_group(
            label="Ý kiến chờ trả lời",
            kind="action",
            queryset=unanswered,
            item=lambda c: WorkItem(
                title=c.title,
                url=reverse("consultations:comments", args=[c.pk]) + "?answered=no",
                note=f"{c.unanswered} ý kiến chưa trả lời",
            ),
            more_url=reverse("consultations:list"),
        )
    ]
    if access.commune_ids(Role.LEADER):
        groups.append(
            work_group(
                label="Chờ ghi nhận văn bản được ban hành",
                kind="action",
                queryset=base.filter(status=S.RESULTS_PUBLISHED).order_by("updated_at", "id"),
                item=lambda c: WorkItem(title=c.title, url=reverse("consultations:manage", args=[c.pk])),
                more_url=_list_url(S.RESULTS_PUBLISHED),
            )
        )
    groups.append(
        work_group(
            label="Đang lấy ý kiến",
            kind="info",
            queryset=base.filter(status__in=ACTIVE).order_by("closes_on", "id"),
            item=lambda c: WorkItem(
                title=c.title,
                url=reverse("consultations:manage", args=[c.pk]),
                note=f"góp ý đến hết {c.closes_on:%d/%m/%Y}" if c.closes_on else "",
            ),
            more_url=_list_url(S.OPEN),
        )
    )
    return WorkList(
        title="Lấy ý kiến",
        groups=groups,
        links=[("Tất cả cuộc lấy ý kiến", reverse("consultations:list"))],
        empty="Không có cuộc lấy ý kiến nào đang chờ bạn.",
    )


def mttq_unanswered(request, access, **kw) -> WorkList | None:
    if not (access.commune_ids(Role.MTTQ) or access.commune_ids(Role.UNION)):
        return None
    by_consultation = (
        selectors.reviewed_consultations(user=request.user)
        .annotate(n=selectors.tally_value("main") - selectors.tally_value("main:answered"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
    )  # maintained counts, not a GROUP BY over every comment of the communes
    return WorkList(
        title="Giám sát việc trả lời ý kiến",
        groups=[
            work_group(
                label="Cuộc lấy ý kiến còn ý kiến chưa được trả lời",
                kind="info",
                queryset=by_consultation,
                item=lambda c: WorkItem(
                    title=c.title,
                    url=reverse("consultations:review", args=[c.pk]) + "?answered=no",
                    note=f"{c.n} ý kiến chưa trả lời",
                ),
                more_url=reverse("consultations:list"),
            )
        ],
        empty="Mọi ý kiến đã được trả lời.",
    )


def public_open(request, access, commune=None, **kw):
    rows = list(
        selectors.public_consultation_list(commune=commune)
        .filter(status__in=ACTIVE)
        .order_by("closes_on")[:10]
    )
    return {"title": "Đang lấy ý kiến", "rows": rows}
