"""The one way an uploaded file leaves the server: ``serve(request, fieldfile, …)`` after the view checked access.

Nothing serves ``MEDIA_ROOT`` directly (no ``/media/`` route, no web-server alias): posting photos, evidence of
tasks, proofs of answers, publicized PDFs are private records, and each app's view first fetches the object through
its selector (404 for "missing" and "not yours" alike) and asks its rule, then returns ``serve(…)``. Templates link
to that view, never to ``FieldFile.url``.

How the bytes go out is a setting, ``PORTAL_FILE_SERVER`` (environment variable of the same name):

- ``django`` (default, development and tests): a streamed ``FileResponse`` from the storage;
- ``nginx``: an empty response with ``X-Accel-Redirect: <PORTAL_FILE_ACCEL_PREFIX><name>``; nginx serves the file
  from an ``internal`` location aliased to ``MEDIA_ROOT`` (see ``docs`` in the README, "Private files")::

      location /_private/ { internal; alias /app/var/media/; }

- ``sendfile``: ``X-Sendfile: <absolute path>`` (Apache mod_xsendfile, lighttpd).

Every answer carries ``Content-Disposition`` (``attachment`` unless the kind is safe to show inline: a checked
image or PDF), ``X-Content-Type-Options: nosniff``, ``Cache-Control: private`` and a sandboxing CSP, so even a file
that slipped past ``portal/uploads.py`` cannot run script in the portal's origin.
"""

from __future__ import annotations

import mimetypes
import os
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})
SERVERS = ("django", "nginx", "sendfile")


def file_server() -> str:
    server = getattr(settings, "PORTAL_FILE_SERVER", "django")
    return server if server in SERVERS else "django"


def content_type_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def serve(
    request,
    fieldfile,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    inline: bool | None = None,
) -> HttpResponse:
    """The stored file of ``fieldfile`` (a FileField value) as a response; 404 when there is none on disk.

    ``filename``: the name the browser saves it under (default: the stored name's last part). ``inline``: show it in
    the browser (default: only for images and PDF, which ``portal/uploads.py`` checked by their bytes)."""
    if not fieldfile or not fieldfile.name:
        raise Http404("Không có tệp.")
    storage = fieldfile.storage
    name = fieldfile.name
    if not storage.exists(name):
        raise Http404("Không tìm thấy tệp.")
    filename = filename or os.path.basename(name)
    content_type = content_type or content_type_of(name)
    if inline is None:
        inline = content_type in INLINE_TYPES
    server = file_server()
    if server == "django":
        response: HttpResponse = FileResponse(storage.open(name, "rb"), content_type=content_type)
    else:
        response = HttpResponse(content_type=content_type)
        if server == "nginx":
            prefix = getattr(settings, "PORTAL_FILE_ACCEL_PREFIX", "/_private/")
            response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name.lstrip("/"))
        else:
            response["X-Sendfile"] = storage.path(name)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
