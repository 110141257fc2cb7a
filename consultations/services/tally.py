"""Maintained comment statistics: one ``CommentTally`` row per (consultation, key).

Every comment counts under a set of keys that depends only on what a page shows about it (visible or hidden, merged
or not, answered and how, article, village, channel). A service that inserts a comment or changes one of those
attributes calls :func:`tally_change` with the comment's keys before and after, in its own transaction: one
``INSERT … ON CONFLICT DO UPDATE SET n = n + delta`` statement (PostgreSQL and SQLite alike), keys in a fixed order so
concurrent writers lock the rows in the same order. Pages then read a few dozen small rows (:func:`tally_of`) instead
of grouping every comment of the consultation per request.

Keys (``a`` = article id, ``v`` = village id, ``0`` = none):

- ``all``: every comment (the staff list's total); ``staff``, ``staff:general``, ``staff:answered``: not merged
  (hidden included, what staff count);
- ``main``, ``main:general``, ``main:answered``, ``main:a:<a>``, ``main:ans:<answer kind or "">``: visible and not
  merged (the public page's totals and per-article counts, the answers' breakdown);
- ``pub``, ``pub:dup``, ``pub:nov``, ``pub:ch:<channel>``, ``pub:a:<a>``, ``pub:v:<v>``: visible, duplicates
  included (the published results' totals, channels, articles, villages).

:func:`tally_fresh` computes the same dictionary from one aggregate (``manage.py consultations_recount`` and the
tests compare the two); :func:`tally_rebuild` replaces the stored rows with it (after raw bulk inserts).
"""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

FIELDS = ("hidden", "merged_into_id", "article_id", "channel", "village_id", "status", "answer_kind")
ANSWERED = "answered"


def keys_for(hidden, merged_into_id, article_id, channel, village_id, status, answer_kind) -> list[str]:
    """The keys one comment counts under (pure: also used by the data migration on historical rows)."""
    keys = ["all"]
    merged = merged_into_id is not None
    if not merged:
        keys.append("staff")
        if article_id is None:
            keys.append("staff:general")
        if status == ANSWERED:
            keys.append("staff:answered")
    if hidden:
        return keys
    keys += ["pub", f"pub:ch:{channel}", f"pub:a:{article_id or 0}"]
    keys.append(f"pub:v:{village_id}" if village_id else "pub:nov")
    if merged:
        keys.append("pub:dup")
        return keys
    keys += ["main", f"main:a:{article_id or 0}", f"main:ans:{answer_kind or ''}"]
    if article_id is None:
        keys.append("main:general")
    if status == ANSWERED:
        keys.append("main:answered")
    return keys


def comment_keys(comment) -> list[str]:
    return keys_for(*(getattr(comment, f) for f in FIELDS))


def _table(model=None) -> str:
    if model is None:
        from consultations.models import CommentTally as model  # noqa: N813 - the model class

    return model._meta.db_table


def tally_add(
    consultation_id: int, delta: Counter | dict, *, model=None, commune_id: int | None = None
) -> None:
    """Add ``delta`` (key → signed count) to the consultation's rows, creating missing ones; one statement.

    Raw SQL sends no signal: the home panels that show these counts are outdated here (``portal/generations.py``;
    ``commune_id``, the consultation's, saves a query)."""
    rows = sorted((k, n) for k, n in delta.items() if n)
    if not rows:
        return
    if model is None:
        _panels_changed(consultation_id, commune_id)
    table = connection.ops.quote_name(_table(model))
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    params = [p for key, n in rows for p in (consultation_id, key, n)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (consultation_id, key, n) VALUES {values} "  # noqa: S608 - table name quoted
            f"ON CONFLICT (consultation_id, key) DO UPDATE SET n = {table}.n + excluded.n",
            params,
        )


def tally_change(
    consultation_id: int, before: list[str] | None, after: list[str] | None, *, commune_id: int | None = None
) -> None:
    """A comment moved from keys ``before`` (None: it is new) to keys ``after``."""
    delta = Counter(after or [])
    delta.subtract(before or [])
    tally_add(consultation_id, delta, commune_id=commune_id)


def _panels_changed(consultation_id: int, commune_id: int | None) -> None:
    from consultations.panels import consultation_scopes
    from portal import generations

    generations.bump(consultation_scopes(consultation_id, commune_id))


def tally_fresh(comments) -> Counter:
    """The tally of a queryset of comments, from one GROUP BY (never loading the rows themselves)."""
    out: Counter = Counter()
    for row in comments.order_by().values(*FIELDS).annotate(_n=Count("id")):
        n = row.pop("_n")
        for key in keys_for(**row):
            out[key] += n
    return out


def tally_of(consultation_id: int) -> dict[str, int]:
    """The stored tally (one small query)."""
    from consultations.models import CommentTally

    return dict(
        CommentTally.objects.filter(consultation_id=consultation_id).order_by().values_list("key", "n")
    )


def tally_rebuild(consultation_id: int, *, comment_model=None, tally_model=None) -> dict[str, int]:
    """Replace the stored tally and every ``duplicate_count`` of the consultation with fresh aggregates."""
    live = comment_model is None
    if live:
        from consultations.models import Comment as comment_model  # noqa: N813
        from consultations.models import CommentTally as tally_model  # noqa: N813
    comments = comment_model.objects.filter(consultation_id=consultation_id)
    fresh = tally_fresh(comments)
    tally_model.objects.filter(consultation_id=consultation_id).delete()
    tally_model.objects.bulk_create(
        [tally_model(consultation_id=consultation_id, key=k, n=n) for k, n in sorted(fresh.items()) if n]
    )
    duplicates = (
        comment_model.objects.filter(merged_into_id=OuterRef("pk"))
        .order_by()
        .values("merged_into_id")
        .annotate(c=Count("id"))
        .values("c")
    )
    comments.update(duplicate_count=Coalesce(Subquery(duplicates), 0))
    if (
        live
    ):  # bulk_create sends no post_save (a data migration's historical models: see portal/generations.py)
        _panels_changed(consultation_id, None)
    return {k: n for k, n in fresh.items() if n}
