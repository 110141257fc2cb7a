#!/usr/bin/env bash
# `manage.py check --deploy` with production settings (a throwaway random secret key, HTTPS, HSTS, real hosts),
# failing on warnings too. Run after scripts/bootstrap.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"

DJANGO_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')" \
DJANGO_DEBUG=0 \
DJANGO_REQUIRE_SECRET_KEY=1 \
DJANGO_HTTPS=1 \
DJANGO_HSTS_SECONDS=31536000 \
DJANGO_ALLOWED_HOSTS="dancoso.example.gov.vn" \
DJANGO_CSRF_TRUSTED_ORIGINS="https://dancoso.example.gov.vn" \
    "$PY" manage.py check --deploy --fail-level WARNING
