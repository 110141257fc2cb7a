"""Container health check: GET /healthz on the local gunicorn (exit 0 when it answers {"status": "ok"}).

Sends the first DJANGO_ALLOWED_HOSTS entry as Host and X-Forwarded-Proto: https, so that neither ALLOWED_HOSTS nor
the HTTPS redirect of production settings gets in the way. Standard library only.
"""

import json
import os
import sys
import urllib.request

host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".") or "localhost"
if host == "*":
    host = "localhost"
port = os.environ.get("PORT", "8000")
request = urllib.request.Request(  # noqa: S310 - fixed local URL
    f"http://127.0.0.1:{port}/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"}
)
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        ok = response.status == 200 and json.load(response).get("status") == "ok"
except Exception as exc:  # noqa: BLE001
    sys.stderr.write(f"unhealthy: {exc}\n")
    sys.exit(1)
sys.exit(0 if ok else 1)
