#!/usr/bin/env bash
# `make test`: bootstrap (see scripts/bootstrap.sh), then pytest over tests/.
# Extra arguments go to pytest: scripts/test.sh tests/portal -k deadline   (or: make test ARGS="tests/portal -k x")
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal  runs the suite on PostgreSQL (default: SQLite)
#   PORTAL_REQUIRE_BROWSER=1  a browser that cannot start fails the browser tests instead of skipping them
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

"$ROOT/scripts/bootstrap.sh"

if [[ -n "${DATABASE_URL:-}" ]]; then db="${DATABASE_URL%%://*} (DATABASE_URL)"; else db="SQLite"; fi
echo "==> pytest on $db"
set +e
"$ROOT/.venv/bin/python" -m pytest "$@"
status=$?
set -e
if [[ $status == 5 ]]; then
    echo "ERROR: pytest ran no tests (exit code 5): the test setup or the selection is broken." >&2
    exit 1
fi
exit "$status"
