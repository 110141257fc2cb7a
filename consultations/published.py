"""Published results as files: the answered comments of a consultation, rendered once per public version.

Once results are out, what the public reads of the comments (the rows of the public page, the objects of the
results JSON) changes only through writes that bump ``public_version``. So the worker (django-q2,
``consultations.tasks.build_published``) renders every answered comment once per version into files under
``MEDIA_ROOT/consultations/results/<pk>/<version>/``, and a request slices them: a page anywhere in 100,000 comments
costs a binary search and one read, never a query over the comments nor twenty rows rendered again.

- ``rows.html``: each comment's row, as ``consultations/includes/public_comment_rows.html`` renders it, end to end;
- ``rows.json``: each comment's JSON object followed by ``", "`` (the results JSON's ``comments`` list);
- ``index.bin``: native 64-bit integers: ``n``, the ids in display order (n), the byte offsets of each row in
  ``rows.html`` (n + 1) and in ``rows.json`` (n + 1), the ids sorted (n) and the position of each in display order (n);
- ``head.json``: the results JSON's object before its ``comments`` (the consultation, its statistics, the total).

The display order is :func:`consultations.selectors.public_comments`'s, and a slice takes the same rows as
:func:`consultations.selectors.public_comments_page` for the same ``?sau=`` / ``?truoc=`` (tests/consultations/
test_published.py compares the two byte for byte). Until the files of the current version exist (a change was just
made, the worker is behind) the pages are served from the database as before, and the first such request queues
the build (once per version: ``request_build``). A version directory is written under a temporary name and renamed
when complete, and kept only if no write moved the version during the build; older versions are removed after.
"""

from __future__ import annotations

import bisect
import json
import logging
import mmap
import os
import shutil
import threading
import uuid
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import get_template

from portal.pagination import AFTER, BEFORE, SeekPage

logger = logging.getLogger(__name__)

ROWS_TEMPLATE = "consultations/includes/public_comment_rows.html"
JSON_SEPARATOR = b", "
QUEUED_TTL = 120  # seconds: one build queued per version meanwhile
OPEN_MAX = 16  # versions a process keeps open (their files are immutable)


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "consultations" / "results"


def directory(pk: int, version: int) -> Path:
    return root() / str(int(pk)) / str(int(version))


def comment_json(c) -> dict:
    """One comment of the results JSON (the row carries the names: selectors.public_comments_page(names=…))."""
    return {
        "code": c.tracking_code,
        "article": c.article_label or None,
        "channel": c.channel,
        "village": c.village_name or None,
        "text": c.text,
        "answer_kind": c.answer_kind,
        "answer": c.answer_text,
    }


def dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


@dataclass
class Slice:
    """Rows ``start:stop`` of the display order, with what the pager needs (a SeekPage of stand-ins)."""

    files: Published
    start: int
    stop: int
    page: SeekPage

    def html(self) -> str:
        return self.files.html(self.start, self.stop)

    def json_items(self) -> bytes:
        return self.files.json_items(self.start, self.stop)


class _Anchor:
    __slots__ = ("pk",)

    def __init__(self, pk: int):
        self.pk = pk


class Published:
    """One built version, opened read-only (memory-mapped)."""

    def __init__(self, path: Path):
        self.path = path
        self.head = (path / "head.json").read_bytes()
        with open(path / "index.bin", "rb") as f:
            self._index_map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        index = memoryview(self._index_map).cast("q")
        n = self.n = index[0]
        at = 1
        self.ids = index[at : at + n]
        at += n
        self.html_offsets = index[at : at + n + 1]
        at += n + 1
        self.json_offsets = index[at : at + n + 1]
        at += n + 1
        self.sorted_ids = index[at : at + n]
        at += n
        self.ordinal_of_sorted = index[at : at + n]
        self._html = self._map(path / "rows.html")
        self._json = self._map(path / "rows.json")

    @staticmethod
    def _map(path: Path):
        if path.stat().st_size == 0:
            return b""
        with open(path, "rb") as f:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)

    def ordinal(self, pk: int) -> int | None:
        i = bisect.bisect_left(self.sorted_ids, pk)
        if i < self.n and self.sorted_ids[i] == pk:
            return self.ordinal_of_sorted[i]
        return None

    def page(self, params, size: int, count: int | None = None) -> Slice:
        """The rows :func:`selectors.public_comments_page` returns for ``params`` (its anchor rules, to the letter)."""
        after, before = params.get(AFTER), params.get(BEFORE)
        anchor_id = next(
            (int(v) for v in (after, before) if v and str(v).isdigit() and len(str(v)) <= 12), None
        )
        at = self.ordinal(anchor_id) if anchor_id is not None else None
        if at is None or (after and str(after).isdigit()):
            start = 0 if at is None else at + 1
            stop = min(self.n, start + size)
            has_previous, has_next = at is not None, self.n > start + size
        else:
            stop, start = at, max(0, at - size)
            has_previous, has_next = start > 0, True
        rows = [_Anchor(self.ids[i]) for i in range(start, stop)]
        page = SeekPage(rows, has_next=has_next, has_previous=has_previous, count=count)
        return Slice(self, start, stop, page)

    def html(self, start: int, stop: int) -> str:
        return self._html[self.html_offsets[start] : self.html_offsets[stop]].decode()

    def json_items(self, start: int, stop: int) -> bytes:
        body = self._json[self.json_offsets[start] : self.json_offsets[stop]]
        return body[: -len(JSON_SEPARATOR)] if body else b""


_opened: OrderedDict[tuple[int, int], Published] = OrderedDict()
_opened_lock = threading.Lock()


def opened(pk: int, version: int) -> Published | None:
    """The built files of consultation ``pk`` at ``version``, or None while they do not exist."""
    key = (pk, version)
    with _opened_lock:  # runserver and threaded servers share the module
        files = _opened.get(key)
        if files is not None:
            _opened.move_to_end(key)
            return files
    path = directory(pk, version)
    if not (path / "head.json").is_file():
        return None
    try:
        files = Published(path)
    except (OSError, ValueError):  # removed under us (a newer version was built): read from the database
        logger.warning("published results of consultation %s version %s could not be opened", pk, version)
        return None
    with _opened_lock:
        _opened[key] = files
        while len(_opened) > OPEN_MAX:
            _opened.popitem(last=False)
    return files


def request_build(pk: int, version: int) -> bool:
    """Queue the build of consultation ``pk``'s files, once per version (whoever asks first)."""
    if not cache.add(f"consultations:published:queued:{pk}:{version}", 1, QUEUED_TTL):
        return False
    from django_q.tasks import async_task

    async_task("consultations.tasks.build_published", pk, task_name=f"results files {pk} v{version}")
    return True


def build(pk: int) -> str:
    """Write the files of consultation ``pk``'s current public version (the worker's task). Returns what happened:
    ``"built"``, ``"exists"``, ``"not-published"`` or ``"stale"`` (a write moved the version during the build: the
    files are thrown away; the next reader queues the new version's)."""
    from consultations import selectors
    from consultations.models import RESULT_STATUSES, Consultation

    consultation = Consultation.objects.select_related("commune").filter(pk=pk).first()
    if consultation is None or consultation.status not in RESULT_STATUSES:
        return "not-published"
    version = consultation.public_version
    final = directory(pk, version)
    if (final / "head.json").is_file():
        return "exists"
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".build-{version}-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        _write(consultation, tmp, selectors)
        moved = Consultation.objects.filter(pk=pk).values_list("public_version", flat=True).first()
        if moved != version:
            return "stale"
        try:
            os.rename(tmp, final)
        except OSError:  # another worker finished the same version first
            return "exists"
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    for old in final.parent.iterdir():
        if old.name.isdigit() and int(old.name) < version:
            shutil.rmtree(old, ignore_errors=True)
    return "built"


def _write(consultation, path: Path, selectors) -> None:
    names = selectors.public_names(consultation)
    rows_template = get_template(ROWS_TEMPLATE)
    if rows_template.render(
        {"rows": []}
    ):  # a page is the concatenation of its rows: nothing else may be output
        raise ValueError(f"{ROWS_TEMPLATE} outputs something outside its loop (a trailing newline?)")
    ids, html_offsets, json_offsets = array("q"), array("q", [0]), array("q", [0])
    html_at = json_at = 0
    qs = selectors.public_comments(consultation).prefetch_related(None)
    with open(path / "rows.html", "wb") as html_file, open(path / "rows.json", "wb") as json_file:
        for c in qs.iterator(chunk_size=2000):
            selectors.name_rows([c], names)
            html = rows_template.render({"rows": [c]}).encode()
            item = dumps(comment_json(c)) + JSON_SEPARATOR
            html_file.write(html)
            json_file.write(item)
            html_at += len(html)
            json_at += len(item)
            ids.append(c.pk)
            html_offsets.append(html_at)
            json_offsets.append(json_at)
    order = sorted(range(len(ids)), key=ids.__getitem__)
    index = array("q", [len(ids)])
    index.extend(ids)
    index.extend(html_offsets)
    index.extend(json_offsets)
    index.extend(ids[i] for i in order)
    index.extend(order)
    with open(path / "index.bin", "wb") as f:
        index.tofile(f)
    (path / "head.json").write_bytes(results_head(consultation, selectors))


def results_head(consultation, selectors) -> bytes:
    """The results JSON object up to its ``comments`` (without the closing brace)."""
    stats = selectors.results_statistics(consultation)
    tally = selectors.tally_of(consultation.pk)
    data = {
        "consultation": {
            "id": consultation.pk,
            "title": consultation.title,
            "commune": consultation.commune.name,
            "opens_on": consultation.opens_on.isoformat(),
            "closes_on": consultation.closes_on.isoformat(),
            "results_issued_on": consultation.results_issued_on.isoformat()
            if consultation.results_issued_on
            else None,
            "status": consultation.status,
        },
        "totals": stats["totals"],
        "by_channel": stats["by_channel"],
        "by_answer": stats["by_answer"],
        "by_article": stats["by_article"],
        "by_village": stats["by_village"],
        "comments_total": tally.get("main:answered", 0),
    }
    return dumps(data)[:-1]


def results_body(head: bytes, items: bytes, next_url: str | None) -> bytes:
    """The results JSON page: ``head`` (:func:`results_head`), the comments, the link to the next page."""
    return head + b', "comments": [' + items + b'], "next": ' + dumps(next_url) + b"}"


def forget_opened() -> None:
    """Close what this process keeps open (tests remove MEDIA_ROOT between runs)."""
    _opened.clear()
