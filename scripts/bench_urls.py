"""URLconf for the benchmark server only: the portal's URLs plus a minimal Django view at /bench/hello/.

``BENCH_COMMENT_RATE_LIMIT`` (set by scripts/bench_consultations.py for the comment-submission run): the app's
anti-spam limit is a module constant, ``consultations.services.comments.RATE_LIMIT`` (5 comments per IP address per
10 minutes), not a setting, and the app does not trust X-Forwarded-For; every benchmark request comes from
127.0.0.1, so the benchmark server raises that constant in its own processes. The app's code is not changed.
"""

import os

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


if os.environ.get("BENCH_COMMENT_RATE_LIMIT"):
    from consultations.services import comments as _comments

    _comments.RATE_LIMIT = (int(os.environ["BENCH_COMMENT_RATE_LIMIT"]), _comments.RATE_LIMIT[1])

urlpatterns = [
    path("bench/hello/", hello, name="bench_hello"),
    path("", include("portal.urls")),
]
