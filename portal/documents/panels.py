"""Dashboard panels: drafts awaiting the leader's signature, and overdue plan tasks (constant queries)."""

from django.utils import timezone

from portal.documents.models import Document
from portal.documents.services import overdue_tasks
from portal.models import Role


def awaiting_signature(request, access, **kw):
    communes = access.commune_ids(Role.LEADER)
    if not communes:
        return None
    qs = Document.objects.filter(commune_id__in=communes, status=Document.Status.DRAFT).select_related(
        "issuer"
    )
    items = list(qs.order_by("-updated_at")[:10])
    return {"documents": items} if items else None


def overdue_tasks_panel(request, access, **kw):
    communes = access.commune_ids(Role.LEADER, Role.STAFF)
    if not communes:
        return None
    items = list(overdue_tasks(commune_ids=communes, today=timezone.localdate())[:10])
    return {"deadlines": items} if items else None
