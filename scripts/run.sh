#!/usr/bin/env bash
# `make run`: set everything up and run the portal with demo data on the embedded default
# (SQLite under var/ and django-q2's ORM broker), the web server and the qcluster worker together.
#   HOST (default 127.0.0.1), PORT (default 8000), DJANGO_DEBUG (default 1 for this development run).
#   DATABASE_URL / REDIS_URL are honoured if set (see README).
# Ctrl-C (or SIGTERM) stops the web server and the worker.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

"$ROOT/scripts/bootstrap.sh"

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
export PYTHONUNBUFFERED=1
if [[ -z "${DJANGO_ALLOWED_HOSTS:-}" ]]; then
    case "$HOST" in
        127.0.0.1 | localhost | ::1) ;;
        *) export DJANGO_ALLOWED_HOSTS="*" ;;  # listening beyond loopback for a demo on the LAN
    esac
fi

PY="$ROOT/.venv/bin/python"
manage() { "$PY" "$ROOT/manage.py" "$@"; }

echo "==> Database: migrate"
manage migrate --noinput -v 0
echo "==> Demo data"
manage seed_demo
echo "    (thư điện tử của môi trường thử được ghi vào ${DJANGO_EMAIL_FILE_PATH:-var/mail/}, không in ra đây)"
echo "==> Schedules"
manage setup_schedules -v 0
if [[ "$DJANGO_DEBUG" =~ ^(0|false|no|off)$ ]]; then
    # Without DEBUG, static files come from the manifest storage: collect them.
    echo "==> collectstatic"
    manage collectstatic --noinput -v 0
fi

worker_pid=""
server_pid=""
stop() {
    # A second signal (make forwards SIGTERM to this script, Ctrl-C twice) must not cut the cleanup short.
    trap '' INT TERM
    trap - EXIT
    echo "==> Stopping the web server and the task worker (the worker finishes its current task)..."
    # Each child runs in its own process group (setsid). The server: the whole group (autoreloader and its child).
    # The worker: only qcluster's main process, which stops its own processes (signalling all of them at once
    # leaves it waiting forever).
    [[ -n "$server_pid" ]] && { kill -TERM -- "-$server_pid" 2>/dev/null || true; }
    [[ -n "$worker_pid" ]] && { kill -TERM "$worker_pid" 2>/dev/null || true; }
    for pid in "$server_pid" "$worker_pid"; do
        [[ -z "$pid" ]] && continue
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$pid" 2>/dev/null || true  # whatever is left after 20 s
    done
    echo "==> Portal stopped."
}
trap 'stop; exit 0' INT  # Ctrl-C is the normal way to stop: not an error
trap 'stop; exit 143' TERM
trap stop EXIT

echo "==> Starting the task worker (manage.py qcluster)"
setsid "$PY" "$ROOT/manage.py" qcluster &
worker_pid=$!

case "$HOST" in *:*) url_host="[$HOST]" ;; *) url_host="$HOST" ;; esac
cat <<EOF

  Cổng dân chủ cơ sở đang chạy tại: http://${url_host}:${PORT}/
  Đăng nhập: http://${url_host}:${PORT}/dang-nhap/  (tài khoản demo và mật khẩu chung: xem danh sách ở trên)
  Quản trị:  http://${url_host}:${PORT}/admin/  (tài khoản admin)
  Dừng: Ctrl-C

EOF
setsid "$PY" "$ROOT/manage.py" runserver "${url_host}:${PORT}" &
server_pid=$!

# `wait` returns when the server exits or a signal arrives (the traps above then stop both).
set +e
wait "$server_pid"
status=$?
set -e
server_pid=""
exit "$status"
