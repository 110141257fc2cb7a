"""Production settings pass Django's deployment checks; dates render the Vietnamese way."""

import datetime as dt
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

ROOT = Path(__file__).resolve().parents[1]

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_REQUIRE_SECRET_KEY": "1",
    "DJANGO_HTTPS": "1",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_ALLOWED_HOSTS": "dancoso.example.gov.vn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://dancoso.example.gov.vn",
}


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    return subprocess.run(  # noqa: S603 - fixed command, our own interpreter
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION_ENV,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_catches_a_weak_production_setup():
    # The same check fails when HTTPS and HSTS are off and the key is short: the test above can fail.
    weak = {**PRODUCTION_ENV, "DJANGO_HTTPS": "0", "DJANGO_HSTS_SECONDS": "0", "DJANGO_SECRET_KEY": "short"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **weak)

    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W004" in output  # no HSTS
    assert "security.W008" in output  # no SSL redirect
    assert "security.W009" in output  # weak SECRET_KEY


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", **PRODUCTION_ENV)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_dates_render_the_vietnamese_way():
    day = dt.date(2022, 12, 27)
    assert settings.LANGUAGE_CODE == "vi"
    with translation.override("vi"):
        assert date_format(day) == "27/12/2022"
        assert date_format(day, "SHORT_DATE_FORMAT") == "27/12/2022"
        assert Template("{{ d }}|{{ d|date }}").render(Context({"d": day})) == "27/12/2022|27/12/2022"
