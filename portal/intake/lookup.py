"""The public lookup by tracking code: what a kind's resolver returns, and the one function the page calls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portal.intake.codes import Kind, parse_code


@dataclass(frozen=True)
class Found:
    """What ``/tra-cuu/`` shows for one submission; a kind's resolver builds it from its own row.

    ``status`` is the state in Vietnamese ("Đã tiếp nhận", "Đã trả lời"); ``answer_html`` is the public answer as
    safe HTML stored at write time (``portal.text.to_html``), or empty while there is none to show, in which case
    ``pending`` says what happens next. ``template`` (optional) is a partial the page includes with ``found`` and
    ``extra`` in its context, for what only this kind shows (the comment's text, a merge note, …). Never put
    contact details or anything the public may not read into it: anyone holding the code sees it.
    """

    code: str
    title: str  # what it was about: "Dự thảo Quy chế …", "Hội nghị đối thoại quý I"
    received_at: dt.datetime | None
    status: str
    subject_url: str = ""
    answer_label: str = ""  # "Tiếp thu", "Giải trình", "Trả lời"
    answer_html: str = ""
    answered_at: dt.datetime | None = None
    pending: str = ""
    template: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LookupResult:
    """``state``: ``empty`` (no code typed), ``malformed``, ``not_found`` or ``found``."""

    state: str
    code: str = ""
    kind: Kind | None = None
    found: Found | None = None


def find(value: str | None) -> LookupResult:
    """Resolve what a person typed. A malformed code runs no query; a well-formed one runs exactly its kind's
    resolver (one query for comments), whether or not the code exists, so timing and query count tell nothing."""
    value = (value or "").strip()[:40]
    if not value:
        return LookupResult("empty")
    parsed = parse_code(value)
    if parsed is None:
        return LookupResult("malformed", code=value)
    kind, code = parsed
    found = kind.resolver(code)
    if found is None:
        return LookupResult("not_found", code=code, kind=kind)
    return LookupResult("found", code=code, kind=kind, found=found)
