"""Fault run (a script, not a test): are comments lost or duplicated when the servers fail under load?

    .venv/bin/python scripts/fault_run.py --database-url postgres://postgres@127.0.0.1:5439/postgres \
        --pg-cluster 15/fault [-n 300] [--threads 4]

What it does, on a throwaway PostgreSQL database created for the run (dropped at the end; scripts/bench_common.py):

1. migrate, create the cache table, seed the demo commune and one open people's consultation;
2. start gunicorn with 2 sync workers (production settings, DEBUG off, the flood control raised as in the benchmarks:
   every submission comes from 127.0.0.1) and the django-q2 worker (``manage.py qcluster``);
3. send ``-n`` comments through the real public form (CSRF cookie and token, one fresh form token per comment) from
   ``--threads`` browsers at once. A comment that gets no receipt (connection refused or reset, 502/503/500, a
   timeout) is sent again with the same form token, as a person presses "Gửi" again, until it gets its receipt;
4. meanwhile, at 20 % of the comments one web worker is killed (SIGKILL; the gunicorn master starts a new one), at
   45 % every worker is restarted (SIGHUP to the master), at 70 % PostgreSQL is restarted
   (``pg_ctlcluster <version> <name> restart``);
5. prints receipts (distinct codes the browsers got) vs comments stored vs duplicates (a text stored twice), lost
   (a receipt whose comment is not stored) and stored without a receipt; expected: 0 lost, 0 duplicated.

**It restarts the PostgreSQL cluster named by --pg-cluster**: never point it at a cluster other people use (their
connections drop). A private cluster for the run::

    pg_createcluster 15 fault --port 5439 --start -- --auth-host=trust
    .venv/bin/python scripts/fault_run.py --database-url postgres://postgres@127.0.0.1:5439/postgres --pg-cluster 15/fault
    pg_dropcluster 15 fault --stop
"""
# ruff: noqa: T201, S603, S607, S310, S311 - a load script: prints, runs gunicorn/qcluster/pg_ctlcluster

from __future__ import annotations

import argparse
import collections
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import REPO, SCRIPTS, VENV_BIN, django_env, free_port, make_workspace  # noqa: E402

RECEIPT = re.compile(r"/da-nhan/([^/]+)/")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("-n", type=int, default=300, help="comments to send (default 300)")
    p.add_argument("--threads", type=int, default=4, help="browsers sending at once (default 4)")
    p.add_argument("--database-url", required=True, help="postgres://… of the cluster to use (and restart)")
    p.add_argument(
        "--pg-cluster", required=True, help="VERSION/NAME of that cluster for pg_ctlcluster, e.g. 15/fault"
    )
    p.add_argument("--keep", action="store_true", help="keep the database and the temp dir")
    return p.parse_args()


# --- Servers -------------------------------------------------------------------------------------------------------


def start_gunicorn(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "portal.wsgi:application",
        "--workers=2",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        f"--chdir={REPO}",
        f"--pythonpath={SCRIPTS}",
        "--log-level=warning",
        "--timeout=60",
        "--graceful-timeout=10",
        "--config=gunicorn.conf.py",
    ]
    if not (REPO / "gunicorn.conf.py").exists():
        cmd.pop()
    # Each 503 would print Django's request log with a traceback: keep the output to the figures.
    proc = subprocess.Popen(cmd, env={**os.environ, **env, "LOG_LEVEL": "CRITICAL"}, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            status, _, _ = request(base, "GET", "/healthz")
            if status == 200:
                return proc, base
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("gunicorn did not answer within 90 s")
        time.sleep(0.3)


def workers_of(master_pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True
    ).stdout
    return [int(x) for x in out.split()]


def stop(proc: subprocess.Popen | None, name: str) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop within 30 s: killed")
        proc.kill()
        proc.wait()


# --- HTTP ----------------------------------------------------------------------------------------------------------


def request(base: str, method: str, path: str, body: str = "", headers=None) -> tuple[int, str, dict]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        return resp.status, text, {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()


def browser_tokens(base: str, page: str) -> tuple[str, str]:
    """GET the public page like a browser: the csrftoken cookie and the form's csrfmiddlewaretoken (retried: the
    servers may be down right now)."""
    for _ in range(120):
        try:
            status, html, headers = request(base, "GET", page)
        except OSError:
            status, html, headers = 0, "", {}
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status == 200 and cookie and token:
            return cookie.group(1), token.group(1)
        time.sleep(0.5)
    raise SystemExit(f"GET {page}: no comment form for a minute")


class Run:
    def __init__(self, base: str, page: str, post: str, n: int, marker: str):
        self.base, self.page, self.post, self.n, self.marker = base, page, post, n, marker
        self.lock = threading.Lock()
        self.next = 0
        self.done = 0
        self.receipts: dict[int, str] = {}
        self.attempts = 0
        self.failures: collections.Counter[str] = collections.Counter()
        self.gave_up: list[int] = []

    def take(self) -> int | None:
        with self.lock:
            if self.next >= self.n:
                return None
            self.next += 1
            return self.next - 1

    def text(self, i: int) -> str:
        return f"Góp ý thử lỗi số {i} ({self.marker}): đề nghị công khai kết quả giải quyết kiến nghị."

    def send(self, i: int, cookie: str, token: str) -> None:
        body = (
            f"csrfmiddlewaretoken={token}&form_token=fault-{self.marker}-{i}&text={quote_plus(self.text(i))}"
            "&author_name=&village=&contact=&website="
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"}
        for _attempt in range(200):
            with self.lock:
                self.attempts += 1
            try:
                status, _html, resp_headers = request(self.base, "POST", self.post, body, headers)
            except (OSError, http.client.HTTPException) as exc:
                reason = type(exc).__name__
            else:
                match = RECEIPT.search(resp_headers.get("location", ""))
                if status == 302 and match:
                    with self.lock:
                        self.receipts[i] = match.group(1)
                        self.done += 1
                    return
                reason = f"HTTP {status}"
            with self.lock:
                self.failures[reason] += 1
            time.sleep(0.5)
        with self.lock:
            self.gave_up.append(i)
            self.done += 1

    def browser(self) -> None:
        try:
            cookie, token = browser_tokens(self.base, self.page)
        except SystemExit as exc:
            print(f"a browser could not start: {exc}")
            self.n = self.next  # stop handing out comments: the run is void
            raise
        while (i := self.take()) is not None:
            self.send(i, cookie, token)


def faults(run: Run, master: subprocess.Popen, cluster: str, events: list[str]) -> None:
    version, name = cluster.split("/", 1)
    t0 = time.monotonic()

    def at(fraction: float) -> None:
        while run.done < run.n * fraction:
            time.sleep(0.05)

    def note(what: str) -> None:
        events.append(f"{time.monotonic() - t0:6.1f} s, {run.done}/{run.n} done: {what}")

    at(0.20)
    victim = workers_of(master.pid)[0]
    os.kill(victim, signal.SIGKILL)
    note(f"killed web worker {victim} (SIGKILL); the master starts a new one")
    at(0.45)
    master.send_signal(signal.SIGHUP)
    note("restarted every web worker (SIGHUP to the gunicorn master)")
    at(0.70)
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True)
    note(f"restarted PostgreSQL {cluster} (pg_ctlcluster restart, {time.monotonic() - started:.1f} s)")


def main() -> None:
    args = parse_args()
    ws = make_workspace(args.database_url, keep=args.keep)
    env = django_env(ws, settings_module="bench_settings")
    env["PORTAL_CACHE"] = "db"  # the production default: the database cache, shared by the workers
    os.environ.update(env)
    gunicorn_proc = qcluster = None
    try:
        import django

        django.setup()
        from bench_consultations import open_consultation
        from django.core.management import call_command

        from portal.demo import seed_core

        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        core = seed_core()
        consultation = open_consultation(core, "Lấy ý kiến Nhân dân: dự thảo Quy chế (chạy thử lỗi)")
        from django.db import connections

        connections.close_all()
        print(
            f"database: {ws.label}; {args.n} comments from {args.threads} browsers; cluster {args.pg_cluster}"
        )

        gunicorn_proc, base = start_gunicorn(env)
        qcluster = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            env={**os.environ, **env},
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        marker = uuid.uuid4().hex[:8]
        run = Run(
            base, f"/lay-y-kien/{consultation.pk}/", f"/lay-y-kien/{consultation.pk}/gop-y/", args.n, marker
        )
        events: list[str] = []
        t0 = time.monotonic()
        fault_thread = threading.Thread(
            target=faults, args=(run, gunicorn_proc, args.pg_cluster, events), daemon=True
        )
        fault_thread.start()
        browsers = [threading.Thread(target=run.browser) for _ in range(args.threads)]
        for b in browsers:
            b.start()
        for b in browsers:
            b.join()
        elapsed = time.monotonic() - t0
        fault_thread.join(timeout=120)

        from django.db.models import Count

        from consultations.models import Comment

        connections.close_all()  # the in-process connection died with the PostgreSQL restart
        stored = Comment.objects.filter(consultation=consultation, text__contains=f"({marker})")
        stored_count = stored.count()
        codes = set(stored.values_list("tracking_code", flat=True))
        duplicates = sum(
            row["n"] - 1 for row in stored.values("text").annotate(n=Count("id")).filter(n__gt=1)
        )
        receipts = set(run.receipts.values())
        lost = receipts - codes
        without_receipt = codes - receipts
        print("\nfaults:")
        for line in events:
            print(f"  {line}")
        print(
            f"\nsent {args.n} comments in {elapsed:.1f} s with {run.attempts} POSTs "
            f"({run.attempts - args.n} resent after an error)"
        )
        if run.failures:
            print(
                "errors seen by the browsers: "
                + ", ".join(f"{k} × {v}" for k, v in run.failures.most_common())
            )
        print(f"receipts (distinct codes): {len(receipts)}")
        print(f"comments stored:           {stored_count}")
        print(f"duplicates:                {duplicates}")
        print(f"lost (receipt, no row):    {len(lost)}")
        print(f"stored without a receipt:  {len(without_receipt)}")
        print(f"gave up after 200 tries:   {len(run.gave_up)}")
        ok = not lost and not duplicates and len(receipts) == args.n == stored_count
        print("RESULT: " + ("OK, 0 lost, 0 duplicated" if ok else "PROBLEM"))
        if not ok:
            raise SystemExit(1)
    finally:
        stop(qcluster, "qcluster")
        stop(gunicorn_proc, "gunicorn")
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001,S110 - cleanup must not hide the real error
            pass
        ws.drop()


if __name__ == "__main__":
    main()
