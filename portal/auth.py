"""Sign-in hardening: the lockout backend (django-axes) and the address a sign-in attempt is counted against.

Settings (limits, cool-off, session ages, idle timeout) are all in portal/settings.py under "Sign-in".
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' backend, except that an ``authenticate()`` without a request (a management command, a test
    client's ``login()``) is not counted: there is no address to lock, and nobody typing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str:
    """REMOTE_ADDR, or behind one of ``settings.PORTAL_TRUSTED_PROXIES`` the right-most X-Forwarded-For address
    that is not a trusted proxy (what the citizen-intake rate limits use too)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(getattr(settings, "PORTAL_TRUSTED_PROXIES", ()))
    if remote not in trusted:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return hops[0] if hops else remote
