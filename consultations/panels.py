"""Dashboard panels (one or two queries each, whatever the data size)."""

from __future__ import annotations

from django.db.models import Count, Q

from consultations import selectors
from consultations.models import Comment, Consultation
from portal.models import Role

ACTIVE = [Consultation.Status.PUBLISHED, Consultation.Status.OPEN]


def staff_open(request, access, **kw):
    communes = access.commune_ids(Role.STAFF, Role.LEADER)
    if not communes:
        return None
    rows = list(
        Consultation.objects.filter(commune_id__in=communes, status__in=ACTIVE)
        .annotate(
            comment_count=Count("comments", filter=Q(comments__merged_into__isnull=True)),
            unanswered=Count(
                "comments",
                filter=Q(comments__merged_into__isnull=True) & ~Q(comments__status=Comment.Status.ANSWERED),
            ),
        )
        .order_by("closes_on")[:10]
    )
    return {"title": "Lấy ý kiến đang mở", "rows": rows}


def village_postings(request, access, village=None, **kw):
    if not access.headed_village_ids:
        return None
    rows = list(selectors.postings_for_village_head(user=request.user)[:10])
    return {"title": "Niêm yết cần xác nhận", "rows": rows}


def mttq_unanswered(request, access, **kw):
    if not (access.commune_ids(Role.MTTQ) or access.commune_ids(Role.UNION)):
        return None
    rows = list(
        selectors.unanswered_for_reviewer(user=request.user)
        .values("consultation_id", "consultation__title")
        .annotate(n=Count("id"))
        .order_by("-n")[:10]
    )
    return {"title": "Ý kiến chưa được trả lời", "rows": rows}


def public_open(request, access, commune=None, **kw):
    rows = list(
        selectors.public_consultation_list(commune=commune)
        .filter(status__in=ACTIVE)
        .order_by("closes_on")[:10]
    )
    return {"title": "Đang lấy ý kiến", "rows": rows}
