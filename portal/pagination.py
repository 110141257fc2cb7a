"""Seek (keyset) pagination: a page costs the same at row 20 and at row 100,000.

A list ordered by ``(f1, id)`` (both descending or both ascending, ``f1`` never NULL: a date, a datetime, a number)
on an index that starts with the list's equality filters and then ``f1, id`` is read from where the previous page stopped: ``?sau=<id>`` is the
last row shown, ``?truoc=<id>`` the first (for "previous page"). The anchor row's ``f1`` is read by primary key
(one indexed query), the page then asks for ``f1 <= v AND (f1 < v OR id < id0)`` — a range the index serves
directly — and takes ``size + 1`` rows to know whether there is more. No OFFSET, no COUNT of the whole list: the
caller passes a maintained count when it has one, otherwise the page counts at most ``count_limit`` rows
("hơn 1000 ý kiến").

Ids in the URL are only anchors: a row the viewer may not see is never returned, since the anchor is looked up in
the same (already filtered) queryset; an unknown or foreign id gives the first page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

SIZE = 20
COUNT_LIMIT = 1000
AFTER, BEFORE = "sau", "truoc"


def querystring(params) -> str:
    """The request's GET without its page anchors: what the pager's links (and filters) carry along."""
    q = params.copy()
    for key in ("page", AFTER, BEFORE):
        q.pop(key, None)
    return q.urlencode()


def _anchor_id(value) -> int | None:
    if value is None or not str(value).isdigit() or len(str(value)) > 12:
        return None
    return int(value)


@dataclass
class SeekPage:
    object_list: list
    has_next: bool
    has_previous: bool
    count: int | None = None  # exact, when known
    count_more: bool = False  # True: there are more than ``count`` rows
    params: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_after(self) -> int | None:
        return self.object_list[-1].pk if self.has_next and self.object_list else None

    @property
    def previous_before(self) -> int | None:
        return self.object_list[0].pk if self.has_previous and self.object_list else None


def _seek_q(name: str, value, pk: int, *, forward: bool, descending: bool) -> Q:
    """Rows after (``forward``) or before the anchor in the order ``name, id`` (both ``descending`` or not)."""
    down = descending == forward  # moving towards smaller values
    op = "lt" if down else "gt"
    eq = "lte" if down else "gte"
    return Q(**{f"{name}__{eq}": value}) & (Q(**{f"{name}__{op}": value}) | Q(**{f"pk__{op}": pk}))


def seek_page(
    qs,
    *,
    params,
    order: str,
    size: int = SIZE,
    count: int | None = None,
    count_limit: int = COUNT_LIMIT,
) -> SeekPage:
    """One page of ``qs`` ordered by ``order`` ("-received_at", "received_on"), then by id in the same direction.

    ``params`` is the request's GET; ``count`` a maintained total for this exact list, if the caller has one;
    ``count_limit=0``: the page shows no count, none is asked for (``page.count`` stays None).
    """
    descending = order.startswith("-")
    name = order.lstrip("-")
    id_order = "-pk" if descending else "pk"
    ordering = (order, id_order)
    after, before = _anchor_id(params.get(AFTER)), _anchor_id(params.get(BEFORE))
    anchor = None
    if after is not None or before is not None:
        rows = list(
            qs.order_by().filter(pk=after if after is not None else before).values_list(name, "pk")[:1]
        )
        anchor = rows[0] if rows else None
    if anchor is None:
        rows = list(qs.order_by(*ordering)[: size + 1])
        has_previous, has_next = False, len(rows) > size
        rows = rows[:size]
    elif after is not None:
        rows = list(
            qs.filter(_seek_q(name, *anchor, forward=True, descending=descending)).order_by(*ordering)[
                : size + 1
            ]
        )
        has_previous, has_next = True, len(rows) > size
        rows = rows[:size]
    else:
        backwards = (name, "pk") if descending else (f"-{name}", "-pk")
        rows = list(
            qs.filter(_seek_q(name, *anchor, forward=False, descending=descending)).order_by(*backwards)[
                : size + 1
            ]
        )
        has_previous, has_next = len(rows) > size, True
        rows = rows[:size][::-1]
    more = False
    if count is None and count_limit:
        count = qs.order_by()[: count_limit + 1].count()
        more = count > count_limit
        count = min(count, count_limit)
    return SeekPage(rows, has_next=has_next, has_previous=has_previous, count=count, count_more=more)
