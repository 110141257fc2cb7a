from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

PAGE_SIZE = 20


def page_of(request, qs, size: int = PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, when that is one of ``settings.PORTAL_TRUSTED_PROXIES``, the right-most
    X-Forwarded-For address that is not a trusted proxy (addresses left of it could be forged by the client)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(getattr(settings, "PORTAL_TRUSTED_PROXIES", ()))
    if remote not in trusted:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return hops[0] if hops else remote


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form (field errors where they belong, the rest on top)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def flash_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def querystring_without_page(request) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()
