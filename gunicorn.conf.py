"""gunicorn settings read from the working directory (the Docker image runs gunicorn in /app).

- No ``Server: gunicorn`` header: a probe should not learn the server and its version for free.
- ``forwarded_allow_ips`` stays gunicorn's default (127.0.0.1) unless ``FORWARDED_ALLOW_IPS`` names the reverse
  proxy: a client that reaches gunicorn directly cannot claim HTTPS with ``X-Forwarded-Proto`` (the portal also
  drops that header unless it comes from ``PORTAL_TRUSTED_PROXIES``, see portal/middleware.py).
"""

import gunicorn.http.wsgi

_default_headers = gunicorn.http.wsgi.Response.default_headers


def _without_server(self):
    return [h for h in _default_headers(self) if not h.lower().startswith("server:")]


gunicorn.http.wsgi.Response.default_headers = _without_server
