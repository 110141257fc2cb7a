"""``/tra-cuu/``: one public page that finds any kind of submission by its tracking code."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.intake.codes import KINDS
from portal.intake.limits import RateLimited, lookup_allowed
from portal.intake.lookup import LookupResult, find
from portal.intake.origin import origin_of


def _kinds():
    return sorted(KINDS.values(), key=lambda k: k.prefix)


@require_GET
def lookup(request):
    status = 200
    error = ""
    typed = (request.GET.get("ma") or "").strip()[:40]
    try:
        if typed:
            lookup_allowed(origin_of(request))
        result = find(typed)
    except RateLimited as exc:
        result, error, status = LookupResult("limited", code=typed), exc.messages[0], 429
    if result.state == "malformed":
        examples = ", ".join(k.example for k in _kinds())
        error = (
            "Mã tra cứu không đúng dạng. Mã gồm 8 ký tự chữ và số, một số loại có thêm 2 chữ cái ở đầu; "
            f"ví dụ: {examples}."
        )
        status = 400
    elif result.state == "not_found":
        error = (
            "Không tìm thấy nội dung nào với mã này. Vui lòng kiểm tra lại mã tra cứu trên giấy biên nhận."
        )
        status = 404
    response = render(
        request,
        "intake/lookup.html",
        {"typed": typed, "result": result, "found": result.found, "error": error, "kinds": _kinds()},
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
