#!/usr/bin/env bash
# Lint as CI runs it (.ci/run): ruff check, ruff format --check, then the grep-able house rules.
# Rules and per-file exceptions live in pyproject.toml [tool.ruff]; ruff itself comes from the `test` extra
# (scripts/bootstrap.sh installs it into .venv).
#   scripts/lint.sh          check
#   scripts/lint.sh --fix    on the formatted paths only: let ruff fix what it safely can and format, then check
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUFF="${RUFF:-$ROOT/.venv/bin/ruff}"
if [[ ! -x "$RUFF" ]]; then
    RUFF="$(command -v ruff || true)"
fi
if [[ -z "$RUFF" ]]; then
    echo "ruff is not installed: run scripts/bootstrap.sh (it installs the project's test extra)" >&2
    exit 1
fi

# ruff check: the whole repository (migrations are excluded in pyproject.toml).
CHECK_PATHS=(.)

# ruff format --check: the paths already formatted with `ruff format`. To be added once their owners have run
# `ruff format` on them: tests/browser/, scripts/bench_documents.py.
FORMAT_PATHS=(
    manage.py
    portal/__init__.py portal/access.py portal/admin.py portal/apps.py portal/audit.py portal/calendar_data.py
    portal/context_processors.py portal/dashboard.py portal/deadlines.py portal/demo.py portal/notifications.py
    portal/rules.py portal/schedules.py portal/selectors.py portal/settings.py portal/statutes.py portal/tasks.py
    portal/urls.py portal/views.py portal/workdays.py portal/wsgi.py
    portal/formats/ portal/management/ portal/models/ portal/templatetags/ portal/intake/ portal/text.py
    dialogues/ campaigns/
    consultations/ portal/documents/ portal/publicity/
    scripts/healthcheck.py scripts/bench_common.py scripts/bench_consultations.py scripts/bench_settings.py
    scripts/bench_urls.py
    tests/__init__.py tests/conftest.py tests/factories.py tests/test_deploy_settings.py tests/test_boundaries.py tests/portal/
    tests/consultations/ tests/documents/ tests/hardening/ portal/exports.py portal/uploads.py tests/campaigns/
    portal/forms.py portal/middleware.py portal/auth.py gunicorn.conf.py tests/publicity/
)

if [[ "${1:-}" == "--fix" ]]; then
    "$RUFF" check --fix "${FORMAT_PATHS[@]}" || true
    "$RUFF" format "${FORMAT_PATHS[@]}"
fi

status=0
echo "==> ruff check ${CHECK_PATHS[*]}"
"$RUFF" check "${CHECK_PATHS[@]}" || status=1
echo "==> ruff format --check (${#FORMAT_PATHS[@]} paths)"
"$RUFF" format --check "${FORMAT_PATHS[@]}" || status=1
echo "==> house rules"
scripts/house_rules.sh || status=1

if ((status)); then
    echo "lint FAILED" >&2
fi
exit "$status"
