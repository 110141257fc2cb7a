"""Flood control for citizen submissions, without refusing a village that shares one address.

Why not "5 per 10 minutes per IP": a village's cultural house has one Wi-Fi, a commune hall one router, and mobile
carriers put thousands of phones behind a few NAT addresses. Thirty people at a village meeting who each send a
comment from one address are not a flood. So the address is only the last, generous line; the tight limits follow
one browser, and repeated text is what gives a copy-paste flood away.

Rules (``settings.PORTAL_INTAKE_LIMITS``: name → ``(max, seconds)`` overrides a default; ``None`` switches it off):

==================  ==================  =============================================================================
rule                default             counts, over a fixed window, the submissions accepted …
==================  ==================  =============================================================================
``client_burst``    3 per 60 s          … from one browser/account (``Origin.client``): a person types; a bot fires.
``client``          30 per hour         … from one browser/account, every kind and subject together (a person who
                                        comments on each article of a 30-article draft in one sitting fits).
``same_text``       1 per 24 h          … from one browser with the same text (accent-free, spacing ignored) on the
                                        same subject: the second copy is refused, the first already has its code.
``address_burst``   90 per 60 s         … from one address (IPv6: its /64): a meeting where everybody presses "Gửi".
``address``         300 per hour        … from one address: a village (30 people × several comments) fits easily.
``address_text``    3 per 24 h          … from one address with the same text of at least
                                        ``PORTAL_INTAKE_SAME_TEXT_MIN_CHARS`` (40) characters on the same subject.
                                        Short texts ("Nhất trí", "Đồng ý với dự thảo") are said by many people and
                                        are never counted; a long paragraph pasted again and again is a flood.
``lookup``          60 per 10 min       … code lookups from one address (``/tra-cuu/``): no guessing of codes.
==================  ==================  =============================================================================

A flooder who drops cookies to get a fresh browser key is still held by the address rules; one who rotates
addresses is still held by ``same_text`` / ``address_text`` for pasted text and, for varied text, by the moderation
flags staff already have. Only accepted submissions are counted (a refused or repeated one costs nothing), so one
bad browser on the village Wi-Fi cannot use up the address budget of its neighbours: it is stopped by its own
``client_*`` limits long before. Form-token idempotency (``portal.intake.tokens``) makes double clicks free.

Counters of submissions live in the database (``intake.FloodCounter``, one row per rule, bucket and window): read
with one ``SELECT`` by :func:`admit`, incremented with one upsert by :meth:`Admission.count` inside the submission's
own transaction (a rolled-back submission counts nothing; every process sees the same counts, whatever the cache;
the hourly sweep ``portal.intake.tasks.forget_counters`` deletes the rows whose window is over). Code lookups, which
are GETs, count in the Django cache. Windows are fixed (``now // seconds``); a rule refuses once its counter reaches
``max``.
Refusals raise :class:`RateLimited` (a ``ValidationError``) with a Vietnamese message saying how long to wait and
what else the person can do; views answer 429 and change nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from portal.intake.origin import Origin
from portal.text import normalize_search

DEFAULT_LIMITS: dict[str, tuple[int, int] | None] = {
    "client_burst": (3, 60),
    "client": (30, 3600),
    "same_text": (1, 86400),
    "address_burst": (90, 60),
    "address": (300, 3600),
    "address_text": (3, 86400),
    "lookup": (60, 600),
}
DEFAULT_SAME_TEXT_MIN_CHARS = 40

OTHER_WAYS = "Bạn cũng có thể gửi qua trưởng thôn hoặc Bộ phận một cửa của UBND xã."
MESSAGES = {
    "client_burst": "Bạn gửi quá nhanh. Vui lòng đợi {wait} rồi gửi tiếp.",
    "client": "Bạn đã gửi nhiều nội dung trong thời gian ngắn. Vui lòng thử lại sau {wait}. " + OTHER_WAYS,
    "same_text": "Bạn đã gửi nội dung này rồi; hệ thống không ghi nhận lại lần nữa.",
    "address_burst": "Có nhiều người đang gửi cùng lúc từ mạng này. Vui lòng đợi {wait} rồi gửi lại.",
    "address": "Có quá nhiều nội dung được gửi từ cùng một mạng trong thời gian ngắn. "
    "Vui lòng thử lại sau {wait}. " + OTHER_WAYS,
    "address_text": "Nội dung này đã được gửi nhiều lần từ cùng một mạng; hệ thống không ghi nhận thêm. "
    "Nếu bạn muốn ủng hộ ý kiến đã có, hãy ghi thêm ý kiến của riêng mình.",
    "lookup": "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {wait}.",
}


class RateLimited(ValidationError):  # noqa: N818 - reads as a state, like Django's PermissionDenied
    """A flood-control refusal; ``rule`` names the rule, ``retry_after`` the seconds until its window ends."""

    def __init__(self, message: str, *, rule: str = "", retry_after: int = 0):
        super().__init__(message, code="rate_limited")
        self.rule, self.retry_after = rule, retry_after


def limits() -> dict[str, tuple[int, int] | None]:
    return {**DEFAULT_LIMITS, **getattr(settings, "PORTAL_INTAKE_LIMITS", {})}


def _wait_text(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"khoảng {minutes} phút" if minutes < 90 else f"khoảng {math.ceil(minutes / 60)} giờ"


def address_bucket(ip: str | None) -> str | None:
    """The address a limit counts: IPv4 as is, IPv6 by its /64 (one phone or home gets a whole /64)."""
    if not ip:
        return None
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if addr.version == 6:
        return str(ipaddress.ip_network(f"{addr}/64", strict=False).network_address) + "/64"
    return str(addr)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def subject_key(subject) -> str:
    """``app.model:pk`` for a model instance, ``str(subject)`` otherwise, ``""`` for none."""
    if subject is None:
        return ""
    meta = getattr(subject, "_meta", None)
    return f"{meta.label_lower}:{subject.pk}" if meta is not None else str(subject)


def _counter_table() -> str:
    from portal.intake.models import FloodCounter

    return connection.ops.quote_name(FloodCounter._meta.db_table)


@dataclass
class Admission:
    """The counters a submission will increment once it is accepted (see :func:`admit`)."""

    counters: list[tuple[str, dt.datetime]] = field(default_factory=list)  # (counter key, end of its window)

    def count(self) -> None:
        """Count the accepted submission against every rule that applied: one statement, in the caller's
        transaction (keys in a fixed order, so concurrent submissions lock the rows in the same order)."""
        rows = sorted(self.counters)
        if not rows:
            return
        table = _counter_table()
        values = ", ".join(["(%s, 1, %s)"] * len(rows))
        params = [p for key, ends in rows for p in (key, connection.ops.adapt_datetimefield_value(ends))]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, n, expires_at) VALUES {values} "  # noqa: S608 - table name quoted
                f"ON CONFLICT (key) DO UPDATE SET n = {table}.n + 1",
                params,
            )


def forget_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the counters whose window is over (the hourly sweep); returns how many."""
    from portal.intake.models import FloodCounter

    deleted, _ = FloodCounter.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted


def _keys(rules: dict, origin: Origin, subject: str, text: str, min_chars: int) -> dict[str, str]:
    """Rule name → the bucket it counts for this submission (only the rules that apply)."""
    out: dict[str, str] = {}
    if origin.client:
        out["client_burst"] = out["client"] = origin.client
        if text:
            out["same_text"] = _digest(origin.client, subject, text)
    if bucket := address_bucket(origin.ip):
        out["address_burst"] = out["address"] = bucket
        if len(text) >= min_chars:
            out["address_text"] = _digest(bucket, subject, text)
    return {rule: bucket for rule, bucket in out.items() if rules.get(rule)}


def admit(
    *, origin: Origin | None, subject=None, text: str = "", now: dt.datetime | None = None
) -> Admission:
    """Refuse (raise :class:`RateLimited`) if a rule's counter is full, else return the :class:`Admission` whose
    ``count()`` the caller runs once the submission is saved. No origin (staff, tasks): nothing is limited."""
    if origin is None or not (origin.ip or origin.client):
        return Admission()
    rules = limits()
    min_chars = getattr(settings, "PORTAL_INTAKE_SAME_TEXT_MIN_CHARS", DEFAULT_SAME_TEXT_MIN_CHARS)
    stamp = int((now or timezone.now()).timestamp())
    text = normalize_search(text)
    keys = _keys(rules, origin, subject_key(subject), text, min_chars)
    counters: dict[str, tuple[str, int, int, int]] = {}  # rule → key, max, seconds, window end
    for rule, bucket in keys.items():
        maximum, seconds = rules[rule]
        window = stamp // seconds
        counters[rule] = (f"{rule}:{bucket}:{window}", maximum, seconds, (window + 1) * seconds)
    if not counters:
        return Admission()
    from portal.intake.models import FloodCounter

    values = dict(
        FloodCounter.objects.filter(key__in=[c[0] for c in counters.values()]).values_list("key", "n")
    )
    for rule, (key, maximum, _seconds, ends) in counters.items():
        if values.get(key, 0) >= maximum:
            wait = max(1, ends - stamp)
            raise RateLimited(MESSAGES[rule].format(wait=_wait_text(wait)), rule=rule, retry_after=wait)
    return Admission(
        counters=[
            (key, dt.datetime.fromtimestamp(ends, tz=dt.UTC)) for key, _m, _s, ends in counters.values()
        ]
    )


def lookup_allowed(origin: Origin | None, *, now: dt.datetime | None = None) -> None:
    """Count one code lookup from this address; raise :class:`RateLimited` past the ``lookup`` rule."""
    rule = limits().get("lookup")
    bucket = address_bucket(origin.ip) if origin else None
    if not rule or not bucket:
        return
    maximum, seconds = rule
    stamp = int((now or timezone.now()).timestamp())
    window = stamp // seconds
    key = f"intake:lookup:{bucket}:{window}"
    if cache.get(key, 0) >= maximum:
        wait = max(1, (window + 1) * seconds - stamp)
        raise RateLimited(MESSAGES["lookup"].format(wait=_wait_text(wait)), rule="lookup", retry_after=wait)
    if not cache.add(key, 1, seconds + 60):  # a GET: counted in the cache, not in the database
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, seconds + 60)
