"""Request hardening that every view gets for free.

- ``ControlCharsMiddleware``: a NUL or other control character never reaches a view or the database. PostgreSQL
  refuses NUL in text (a 500 on ``/lay-y-kien/?xa=%00`` or a section edit): a path carrying one is answered 400
  (a clear Vietnamese page, never a 500); query-string and form values lose their control characters
  (``portal.text.strip_control``: ``\\n`` and ``\\t`` stay; NUL, escape sequences, bidi overrides go) before any
  form or filter reads them. Forms then clean the rest (NFC, trimming) in ``portal.forms``.
- ``TrustedProxyMiddleware`` (first in the list): ``X-Forwarded-Proto``/``-For``/``-Host`` are believed only from
  ``settings.PORTAL_TRUSTED_PROXIES``; from anyone else they are dropped, so a client that reaches the app server
  directly cannot claim HTTPS (``SECURE_PROXY_SSL_HEADER``) or another address.
- ``IdleTimeoutMiddleware``: a signed-in person who sends no request for ``settings.PORTAL_IDLE_TIMEOUT`` seconds
  is signed out (a shared computer in a commune office); the session's last activity is written at most once a
  minute, not on every request.
- ``SecurityHeadersMiddleware``: ``Permissions-Policy`` on every response, and no ``Server`` header from the app.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse
from django.utils.http import urlencode

from portal.text import strip_control

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(self), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), interest-cohort=()"
)


def _has_control(value: str) -> bool:
    return not value.isprintable() and (strip_control(value) != value or "\n" in value or "\t" in value)


def _cleaned(query: QueryDict) -> QueryDict | None:
    """A copy of ``query`` without control characters in its keys and values, or None if it had none."""
    dirty = False
    for key, values in query.lists():
        if not key.isprintable() or any(not v.isprintable() for v in values):
            dirty = True
            break
    if not dirty:
        return None
    clean = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        clean.setlist(strip_control(key), [strip_control(v) for v in values])
    clean._mutable = False
    return clean


def bad_request(request, message: str) -> HttpResponseBadRequest:
    html = loader.render_to_string("400.html", {"message": message}, request)
    return HttpResponseBadRequest(html)


class ControlCharsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control(request.path_info):
            return bad_request(request, "Địa chỉ trang có ký tự không hợp lệ.")
        get = _cleaned(request.GET)
        if get is not None:
            request.GET = get
        if request.method == "POST":
            post = _cleaned(request.POST)
            if post is not None:
                request.POST = post
        return self.get_response(request)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if "Server" in response.headers:
            del response.headers["Server"]
        return response


FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_FORWARDED",
)


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("REMOTE_ADDR") not in settings.PORTAL_TRUSTED_PROXIES:
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


IDLE_KEY = "_portal_last_seen"


def stamp_activity(sender=None, request=None, **kwargs) -> None:
    """On sign-in: the idle clock starts now (a receiver of django.contrib.auth's user_logged_in)."""
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(IDLE_KEY)
            if last is not None and now - int(last) > settings.PORTAL_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request,
                    f"Phiên làm việc đã kết thúc vì không hoạt động quá {settings.PORTAL_IDLE_TIMEOUT // 60} phút. "
                    "Hãy đăng nhập lại.",
                )
                if request.method == "GET":
                    return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
                return redirect("login")
            if last is None or now - int(last) >= 60:
                request.session[IDLE_KEY] = now
        return self.get_response(request)
