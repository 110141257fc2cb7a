"""URLconf for the benchmark server only: the portal's URLs plus a minimal Django view at /bench/hello/."""

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/hello/", hello, name="bench_hello"),
    path("", include("portal.urls")),
]
