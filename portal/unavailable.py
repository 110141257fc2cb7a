"""When the database is briefly unreachable (restarting, failing over, a dropped connection): a 503 page in
Vietnamese that says to retry in a moment, with ``Retry-After``, and, for a form that was being sent, the text the
person typed shown back so they can copy it before retrying (nothing of it was saved: the database was not there).

Two ways in, one answer (:func:`response`):

- ``DatabaseUnavailableMiddleware.process_exception``: a view (or a template it rendered) raised
  ``OperationalError`` / ``InterfaceError``;
- ``server_error`` (``handler500``): the same error raised anywhere else (a middleware, the session save), which
  Django turns into a 500 and hands to the 500 handler while the exception is still being handled.

The page is rendered without the request context (no menu, no user, no session: each of those needs the
database) from ``templates/503.html``. Any other error gets the honest 500 page (``templates/500.html``: what was
sent may not have been saved).
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Form fields never shown back: secrets, tokens, the honeypot, and what is not the person's own text.
HIDDEN_FIELDS = ("csrfmiddlewaretoken", "form_token", "website", "password", "password1", "password2")
LABELS = {
    "text": "Nội dung",
    "author_name": "Họ và tên",
    "contact": "Liên hệ",
    "title": "Tiêu đề",
    "summary": "Tóm tắt",
    "note": "Ghi chú",
    "reason": "Lý do",
    "answer": "Trả lời",
    "minutes": "Biên bản",
    "draft_text": "Nội dung dự thảo",
    "username": "Tên đăng nhập",
}
MAX_SHOWN_CHARS = 300_000


def is_database_down(exc: BaseException | None) -> bool:
    """The database could not be reached or dropped the connection (not a bug in a query)."""
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    text = str(exc).lower()
    return not text.startswith(("no such table", "no such column", "near ")) and "syntax error" not in text


def _typed(request) -> list[dict]:
    """The submitted text fields worth giving back (in the order they came)."""
    if request.method != "POST":
        return []
    try:
        items = list(request.POST.lists())
    except Exception:  # noqa: BLE001 - a body that cannot be parsed again: nothing to give back
        return []
    shown, total = [], 0
    for key, values in items:
        if key in HIDDEN_FIELDS or "password" in key or "mat_khau" in key:
            continue
        for value in values:
            value = str(value).strip()
            if len(value) < 2 or total + len(value) > MAX_SHOWN_CHARS:
                continue
            total += len(value)
            shown.append({"name": key, "label": LABELS.get(key, f"Ô “{key}”"), "value": value})
    return shown


def response(request) -> HttpResponse:
    html = loader.render_to_string(
        "503.html", {"typed": _typed(request), "retry_after": RETRY_AFTER_SECONDS, "path": request.path}
    )
    page = HttpResponse(html, status=503)
    page["Retry-After"] = str(RETRY_AFTER_SECONDS)
    page["Cache-Control"] = "no-store"  # it may carry what the person typed
    return page


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_down(exception):
            logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
            return response(request)
        return None


def server_error(request, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: the 503 page when the cause is the database being unreachable, else the 500 page."""
    if is_database_down(sys.exc_info()[1]):
        return response(request)
    return HttpResponseServerError(loader.render_to_string(template_name))
