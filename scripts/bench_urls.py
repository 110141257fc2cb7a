"""URLconf for the benchmark server only: the portal's URLs plus two minimal views.

- /bench/hello/: a plain-text response through the whole middleware (the yardstick the issue's ratios use);
- /bench/shell/: the portal's page shell (base.html with its menu, for the logged-in person) around an empty
  content block: the floor any logged-in page pays (session, user, memberships, menu, unread badge).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


def hello(request):
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


def shell(request):
    return render(request, "base.html", {})


urlpatterns = [
    path("bench/hello/", hello, name="bench_hello"),
    path("bench/shell/", shell, name="bench_shell"),
    path("", include("portal.urls")),
]
