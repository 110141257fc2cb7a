"""Sign-in hardening: the lockout backend (django-axes) and the address a sign-in attempt is counted against.

Settings (limits, cool-off, session ages, idle timeout) are all in portal/settings.py under "Sign-in". The address
an attempt is counted against is the one citizen intake uses, ``portal.intake.origin.client_ip`` (one home: a
trusted proxy's X-Forwarded-For, forged non-addresses skipped).
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' backend, except that an ``authenticate()`` without a request (a management command, a test
    client's ``login()``) is not counted: there is no address to lock, and nobody typing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
