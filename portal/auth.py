"""Sign-in hardening: the lockout backend (django-axes) and the address a sign-in attempt is counted against.

Settings (limits, cool-off, session ages, idle timeout) are all in portal/settings.py under "Sign-in". The address
an attempt is counted against is the one citizen intake uses, ``portal.intake.origin.client_ip`` (one home: a
trusted proxy's X-Forwarded-For, forged non-addresses skipped).
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from portal import principal


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' backend, except that an ``authenticate()`` without a request (a management command, a test
    client's ``login()``) is not counted: there is no address to lock, and nobody typing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PortalBackend(ModelBackend):
    """Django's model backend, except that a request's user comes from ``portal.principal``: the user, their
    memberships, menus and unread count in one cache read instead of three queries on every page. The session's
    hash is still checked against the user's password by ``django.contrib.auth.get_user``."""

    def get_user(self, user_id):
        user = principal.load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
