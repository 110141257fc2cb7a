"""Who sent a request, as far as flood control needs to know: the client's address and an opaque browser key."""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Origin:
    """``ip``: the client's address (see :func:`client_ip`). ``client``: an opaque key for one browser or account
    (``u<id>`` when logged in, else a hash of the browser's CSRF cookie, which every accepted POST carries), or
    ``None`` when unknown (a script, a task, a test). Staff recording paper forms pass no origin at all."""

    ip: str | None = None
    client: str | None = None


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, when that is one of ``settings.PORTAL_TRUSTED_PROXIES``, the right-most
    X-Forwarded-For address that is not a trusted proxy (addresses left of it could be forged by the client).
    Entries that are not IP addresses are skipped, so a forged header never becomes a cache key."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(getattr(settings, "PORTAL_TRUSTED_PROXIES", ()))
    if remote not in trusted:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted and _valid_ip(hop):
            return _valid_ip(hop) or remote
    return remote


def client_key(request) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if not cookie:
        return None
    return "c" + hashlib.sha256(cookie.encode("utf-8", "replace")).hexdigest()[:32]


def origin_of(request) -> Origin:
    """The :class:`Origin` a view passes to :func:`portal.intake.receive`."""
    return Origin(ip=client_ip(request) or None, client=client_key(request))
