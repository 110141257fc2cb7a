"""Helpers for the benchmark scripts (not tests): a throwaway database, gunicorn on loopback, wrk with p50/p95.

Nothing here touches ``var/portal.sqlite3`` or the test databases: every run gets its own SQLite file under a
temporary directory, or its own freshly created PostgreSQL database (dropped at the end) on the server named by
``--database-url``.
"""
# ruff: noqa: T201, S603, S310, S311, S608 - a benchmark script: prints, runs gunicorn/wrk, seeded random data

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = REPO / "scripts"
VENV_BIN = Path(sys.executable).parent


# --- Throwaway database ---------------------------------------------------------------------------------------------


@dataclass
class Workspace:
    tmp: Path
    database_url: str
    drop: object  # callable() that removes the database (and the temp dir)
    label: str


def make_workspace(database_url: str | None, *, keep: bool = False) -> Workspace:
    """A fresh temp dir plus a fresh database: SQLite in the temp dir, or a new PostgreSQL database."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    if not database_url:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"

        def drop():
            if not keep:
                shutil.rmtree(tmp, ignore_errors=True)

        return Workspace(tmp, url, drop, "SQLite (temporary file)")
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("--database-url must be postgres://… (SQLite is used by default)")
    import psycopg

    name = f"portal_bench_{uuid.uuid4().hex[:10]}"
    admin_dsn = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))

    def drop():
        if keep:
            print(f"kept database {name} and {tmp}")
            return
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)

    return Workspace(
        tmp, url, drop, f"PostgreSQL (temporary database {name} on {parts.hostname}:{parts.port or 5432})"
    )


def django_env(ws: Workspace, settings_module: str = "portal.settings") -> dict[str, str]:
    """Environment for this process and the server: the throwaway database, media and var dirs, DEBUG off."""
    return {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": ws.database_url,
        "PORTAL_VAR_DIR": str(ws.tmp / "var"),
        "PORTAL_MEDIA_ROOT": str(ws.tmp / "media"),
        "DJANGO_DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


# --- gunicorn --------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, ready_path: str = "/bench/hello/"):
    """gunicorn (sync workers) serving portal.wsgi on 127.0.0.1:<free port>; yields the base URL."""
    port = free_port()
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "portal.wsgi:application",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(REPO),
        "--pythonpath",
        str(SCRIPTS),
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    help_text = subprocess.run([cmd[0], "--help"], capture_output=True, text=True).stdout
    if "--no-control-socket" in help_text:
        cmd.append("--no-control-socket")
    full_env = {**os.environ, **env}
    proc = subprocess.Popen(cmd, env=full_env, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(base + ready_path, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- wrk -------------------------------------------------------------------------------------------------------------

REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    status_errors: int
    socket_errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_ms: dict[str, float] | None = None  # CPU per response by process kind (see measure_cpu)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# --- Where the CPU goes ----------------------------------------------------------------------------------------------

CPU_KINDS = ("gunicorn", "postgres", "redis-server")


def cpu_seconds() -> dict[str, float]:
    """CPU seconds (user + system) used so far by every process of each kind on this machine (Linux ``/proc``;
    empty elsewhere). Processes that ended in between are not counted: wrk is not, the server's are alive."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    out: dict[str, float] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return out
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        kind = "gunicorn" if b"gunicorn" in cmdline else name if name in CPU_KINDS else None
        if kind:
            fields = stat[stat.rindex(")") + 2 :].split()
            out[kind] = out.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return out


@contextlib.contextmanager
def measure_cpu(result_holder: list):
    """Around one wrk run: sets ``cpu_ms`` on the Result the body appends to ``result_holder`` (CPU milliseconds
    per response: the web workers, PostgreSQL's processes, Redis), so a table row says where its time goes."""
    before = cpu_seconds()
    yield
    after = cpu_seconds()
    result = result_holder[-1]
    if result.requests and after:
        result.cpu_ms = {k: (after.get(k, 0.0) - before.get(k, 0.0)) * 1000 / result.requests for k in after}


def print_cpu(results: list[Result]) -> None:
    rows = [r for r in results if r.cpu_ms]
    if not rows:
        return
    width = max(len(r.name) for r in rows)
    print("CPU per response, ms (all processes of each kind on this machine, from /proc; wrk not counted):")
    print(f"{'':<{width}}  {'workers':>8}  {'Postgres':>8}  {'Redis':>8}  {'total':>8}")
    for r in rows:
        w, pg, rd = (r.cpu_ms.get(k, 0.0) for k in CPU_KINDS)
        print(f"{r.name:<{width}}  {w:>8.2f}  {pg:>8.2f}  {rd:>8.2f}  {w + pg + rd:>8.2f}")


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    return path


def run_wrk(
    name: str,
    url: str,
    *,
    duration: int,
    threads: int,
    connections: int,
    lua: str = "",
    env: dict[str, str] | None = None,
    workdir: Path,
) -> Result:
    script = workdir / f"wrk-{re.sub(r'[^a-z0-9]+', '-', name.lower())}.lua"
    script.write_text(lua + REPORT_LUA, encoding="utf-8")
    cmd = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    out = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=duration + 60
    )
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk failed for {name}:\n{out.stdout}\n{out.stderr}")
    v = dict(kv.split("=") for kv in line.split()[1:])
    if os.environ.get("BENCH_DEBUG") and not int(v["requests"]):
        print(f"wrk for {name}: no response\n{out.stdout}\n{out.stderr}")
    return Result(
        name=name,
        requests=int(v["requests"]),
        seconds=int(v["duration_us"]) / 1e6,
        status_errors=int(v["status_errors"]),
        socket_errors=int(v["socket_errors"]),
        p50_ms=int(v["p50_us"]) / 1000,
        p95_ms=int(v["p95_us"]) / 1000,
        p99_ms=int(v["p99_us"]) / 1000,
    )


def print_table(results: list[Result], baseline_rps: float) -> None:
    """req/s, p50, p95 and the ratio of req/s to ``baseline_rps`` (the hello view's)."""
    width = max(len(r.name) for r in results)
    print(
        f"{'endpoint':<{width}}  {'req/s':>8}  {'p50 ms':>8}  {'p95 ms':>8}  {'ratio':>6}  {'requests':>8}  errors"
    )
    for r in results:
        ratio = r.rps / baseline_rps if baseline_rps else 0.0
        errors = f"{r.status_errors} status, {r.socket_errors} socket"
        print(
            f"{r.name:<{width}}  {r.rps:>8.1f}  {r.p50_ms:>8.1f}  {r.p95_ms:>8.1f}  {ratio:>6.2f}  {r.requests:>8}  "
            f"{errors}"
        )
