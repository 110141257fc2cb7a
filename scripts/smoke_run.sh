#!/usr/bin/env bash
# Smoke test of `make run`: start it on a free port with a throwaway var/ directory, check that it serves the
# login page and /healthz, log in as canbo with the demo password (CSRF token from the form), check that the
# task worker is up, then stop it with SIGTERM and check that the server and the worker are gone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/bootstrap.sh"

PORT="$("$ROOT/.venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
WORK="$(mktemp -d)"
BASE="http://127.0.0.1:$PORT"
LOG="$WORK/run.log"
JAR="$WORK/cookies"
run_pid=""

cleanup() {
    if [[ -n "$run_pid" ]]; then kill -TERM -- "-$run_pid" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
    echo "SMOKE FAILED: $*" >&2
    echo "---- make run output ----" >&2
    tail -n 60 "$LOG" >&2 || true
    exit 1
}

# Its own process group (setsid), so that the whole `make run` tree can be signalled at once.
PORTAL_VAR_DIR="$WORK/var" PORT="$PORT" setsid make --no-print-directory run >"$LOG" 2>&1 &
run_pid=$!

t0=$SECONDS
until curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; do
    kill -0 "$run_pid" 2>/dev/null || fail "make run exited early"
    ((SECONDS - t0 < 180)) || fail "no answer on $BASE/healthz after 180 s"
    sleep 1
done
echo "make run answers on $BASE after $((SECONDS - t0)) s"

[[ "$(curl -fsS "$BASE/healthz")" == *'"ok"'* ]] || fail "/healthz is not ok"
grep -q "canbo" "$LOG" || fail "the demo logins were not printed"
grep -q "$BASE/" "$LOG" || fail "the address was not printed"

login_page="$(curl -fsS -c "$JAR" -b "$JAR" "$BASE/dang-nhap/")" || fail "login page"
token="$(sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' <<<"$login_page" | head -n 1)"
[[ -n "$token" ]] || fail "no CSRF token on the login page"
password="$("$ROOT/.venv/bin/python" -c 'import re, pathlib; print(re.search(r"DEMO_PASSWORD = \"([^\"]+)\"", pathlib.Path("portal/demo.py").read_text()).group(1))')"
status="$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -c "$JAR" -b "$JAR" -e "$BASE/dang-nhap/" \
    --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=canbo" \
    --data-urlencode "password=$password" "$BASE/dang-nhap/")"
[[ "$status" == "302 "* ]] || fail "login as canbo answered $status"
home="$(curl -fsS -L -c "$JAR" -b "$JAR" -o "$WORK/home.html" -w '%{url_effective}' "$BASE/")" || fail "home after login"
[[ "$home" == "$BASE/bang-dieu-khien/" ]] || fail "canbo landed on $home"
grep -q "<h1>Bảng điều khiển" "$WORK/home.html" || fail "the staff dashboard has no heading"
echo "logged in as canbo: $home"

# make -> bash scripts/run.sh -> the worker (session leader of its own session, with its q processes).
script_pid="$(pgrep -P "$run_pid" | head -n 1)"
worker_pid="$(pgrep -P "$script_pid" -f "manage.py qcluster" | head -n 1 || true)"
[[ -n "$worker_pid" ]] || fail "the qcluster worker is not running"
worker_pids="$(pgrep -s "$worker_pid" | tr '\n' ' ')"
echo "task worker running: processes $worker_pids"

server_pids="$(pgrep -P "$script_pid" -f "manage.py runserver" | tr '\n' ' ')"
kill -TERM -- "-$run_pid"
t0=$SECONDS
alive() { for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }
# shellcheck disable=SC2086 # lists of pids
while alive "$run_pid" "$script_pid" $worker_pids $server_pids; do
    ((SECONDS - t0 < 30)) || fail "still running 30 s after SIGTERM: $(ps -o pid=,args= -p "$run_pid $script_pid $worker_pids $server_pids" 2>/dev/null || true)"
    sleep 0.5
done
run_pid=""
curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && fail "the server still answers after the stop"
grep -q "Portal stopped" "$LOG" || fail "no stop message"
echo "make run smoke test: ok (stopped in $((SECONDS - t0)) s)"
