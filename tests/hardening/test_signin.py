"""Sign-in as a government portal needs: lockout after wrong passwords (portal and admin), idle timeout, password
change and reset, security headers, a cache shared by every worker."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from portal.middleware import IDLE_KEY
from portal.models import Role
from tests.factories import PASSWORD, change_password, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _login(client, username, password, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


@pytest.mark.parametrize("url", ["/dang-nhap/", "/admin/login/"])
def test_wrong_passwords_lock_the_account_then_the_right_one_is_refused(client, commune, url):
    user = make_user(Role.STAFF, commune, username="canbo", is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = _login(client, user.username, "sai-mat-khau", url)
        assert r.status_code == 200 and "_auth_user_id" not in client.session
    assert _login(client, user.username, "sai-mat-khau", url).status_code == 429  # the limit: locked
    r = _login(client, user.username, PASSWORD, url)
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "tạm bị khóa" in r.content.decode()


def test_a_right_password_before_the_limit_signs_in_and_resets_the_count(client, commune):
    user = make_user(Role.STAFF, commune, username="canbo")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, user.username, "sai")
    r = _login(client, user.username, PASSWORD)
    assert r.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_idle_session_is_signed_out(client, commune):
    user = make_user(Role.STAFF, commune, username="canbo")
    client.force_login(user)
    assert client.get(reverse("deadline_list")).status_code == 200
    session = client.session
    session[IDLE_KEY] = int(time.time()) - settings.PORTAL_IDLE_TIMEOUT - 5
    session.save()
    r = client.get(reverse("deadline_list"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_password_change_and_reset_by_email(client, commune):
    user = make_user(Role.STAFF, commune, username="canbo", email="canbo@example.gov.vn")
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "Đổi mật khẩu" in page.content.decode()
    assert change_password(client, "1234567890").status_code == 200  # all digits: refused
    assert change_password(client, "Ngay-mua-thu-2026").status_code == 302
    client.logout()
    r = client.post(reverse("password_reset"), {"email": "canbo@example.gov.vn"})
    assert r.status_code == 302 and len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Đặt lại mật khẩu" in mail.outbox[0].subject and "/mat-khau/dat-lai/" in body


def test_security_headers_on_every_page(client):
    r = client.get("/")
    csp = r["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "geolocation=()" in r["Permissions-Policy"]
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
    assert "Server" not in r


def test_forwarded_proto_from_an_untrusted_client_is_ignored(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.PORTAL_TRUSTED_PROXIES = []
    r = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    assert r.status_code == 301  # still plain HTTP: redirected
    settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.1"]
    r = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    assert r.status_code == 200


def test_gunicorn_sends_no_server_header():
    import types

    import gunicorn.http.wsgi

    original = gunicorn.http.wsgi.Response.default_headers
    try:
        exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), {})  # noqa: S102
        fake = types.SimpleNamespace(
            upgrade=False,
            should_close=lambda: False,
            req=types.SimpleNamespace(version=(1, 1)),
            status="200 OK",
            version="gunicorn",
            chunked=False,
        )
        headers = gunicorn.http.wsgi.Response.default_headers(fake)
    finally:
        gunicorn.http.wsgi.Response.default_headers = original
    assert headers[0].startswith("HTTP/1.1 200") and not [
        h for h in headers if h.lower().startswith("server")
    ]
    assert "forwarded-allow-ips='*'" not in (ROOT / "Dockerfile").read_text()


def test_production_cache_is_shared_by_every_process():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {k: v for k, v in os.environ.items() if k not in ("PORTAL_CACHE", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"


def test_lockout_counts_the_address_citizen_intake_sees_behind_the_proxy(commune, settings):
    """One home for "the client's address" (portal.intake.origin.client_ip): a forged non-address appended to
    X-Forwarded-For does not dodge the lockout, and another address behind the same proxy is not locked out."""
    from django.test import Client

    settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.1"]
    user = make_user(Role.STAFF, commune, username="canbo")

    def attempt(forwarded, password):
        return Client(REMOTE_ADDR="127.0.0.1").post(
            reverse("login"),
            {"username": user.username, "password": password},
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("198.51.100.7, not-an-ip", "sai")
    assert attempt("198.51.100.7", PASSWORD).status_code == 429
    assert attempt("203.0.113.5", PASSWORD).status_code == 302
