"""Home panels of publicity (one query each, whatever the data size)."""

from __future__ import annotations

from portal.publicity import selectors


def village_postings(request, access, village=None, **kw):
    if not access.headed_village_ids:
        return None
    rows = list(selectors.postings_for_village_head(user=request.user)[:10])
    return {"title": "Niêm yết cần xác nhận", "rows": rows}


def public_register(request, access, commune=None, **kw):
    if commune is None:
        return None
    return {"title": "Công khai", "groups": selectors.public_register(commune=commune), "commune": commune}
