"""Home panels of publicity (portal.registry): two queries per group, whatever the data size."""

from __future__ import annotations

from django.urls import reverse

from portal.publicity import selectors
from portal.publicity.models import Posting, Publication
from portal.registry import WorkItem, WorkList, work_group

# What the village head's panel reads (portal/generations.py): postings (commune, village) and their publication
# (title, status; its commune, which a village head's scopes include).
READS = [Posting, Publication]


def village_postings(request, access, village=None, **kw) -> WorkList | None:
    """A village head: the postings of any publication waiting for their confirmation."""
    if not access.headed_village_ids:
        return None
    return WorkList(
        title="Niêm yết cần xác nhận",
        groups=[
            work_group(
                label="Chờ tôi xác nhận",
                kind="action",
                queryset=selectors.postings_for_village_head(user=request.user),
                item=lambda p: WorkItem(
                    title=f"{p.get_kind_display()} — {p.publication.title}",
                    url=reverse("publicity:posting_confirm", args=[p.pk]),
                    due=p.due_on,
                ),
                more_url=reverse("publicity:my_postings"),
            )
        ],
        empty="Không có việc niêm yết nào cần xác nhận.",
    )


def public_register(request, access, commune=None, **kw):
    """The commune's public page: what is publicized, by Điều 11 item, current and archived (two queries)."""
    if commune is None:
        return None
    return {"title": "Công khai", "groups": selectors.public_register(commune=commune), "commune": commune}
