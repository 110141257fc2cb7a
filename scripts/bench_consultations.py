"""Benchmark the consultations app (a script, not a test).

    .venv/bin/python scripts/bench_consultations.py [--comments 10000] [--import-rows 100000]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--duration 10] [--profile]

Runs against its own throwaway database: a SQLite file in a new temporary directory (default), or, with
``--database-url``, a new PostgreSQL database created on that server for the run and dropped at the end. Media and
``var/`` go to the temporary directory too: ``var/portal.sqlite3`` and the test databases are never touched.

Prints
a) the bulk import of ``--import-rows`` comment rows from one CSV file through the app's real import service
   (``services.import_batch_create`` stores the upload, then ``consultations.tasks.import_comments`` — what the
   django-q2 worker runs for a large file — checks every row and inserts them all in one transaction);
b) requests per second and latency (p50, p95) under a loopback load of
   - a minimal Django view ("hello", through the same middleware),
   - the public page of an open consultation with ``--comments`` comments,
   - the public page of a consultation whose results are published, with ``--comments`` answered comments,
   - comment submission: a POST through the real view with the CSRF cookie and token and a fresh form token per
     request (each request writes one comment),
   all served by gunicorn with 2 sync workers, DEBUG off, on 127.0.0.1, measured by wrk (2 threads, 20 connections,
   ``--duration`` seconds each, after a 2-second warm-up), in the same run;
c) per endpoint, one request profiled in-process: SQL queries, time in SQL, total time (``--profile`` adds the top
   functions of a cProfile of the public page).

The app's flood control (``PORTAL_INTAKE_LIMITS``, portal/intake/limits.py: 3 a minute per browser, 300 an hour per
address, …) would stop the comment run at once, as all load comes from 127.0.0.1: scripts/bench_settings.py raises it.
"""
# ruff: noqa: T201, S603, S310, S311, S608 - a benchmark script: prints, runs gunicorn/wrk, seeded random data

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import datetime as dt
import http.client
import io
import json
import os
import pstats
import random
import re
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import (  # noqa: E402
    Result,
    django_env,
    gunicorn,
    make_workspace,
    measure_cpu,
    print_cpu,
    print_table,
    run_wrk,
    wrk_path,
)

DRAFT = """Chương I. QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy chế này quy định việc thực hiện dân chủ ở xã: những việc công khai, những việc Nhân dân bàn và quyết định, tham gia ý kiến, kiểm tra, giám sát.
Điều 2. Đối tượng áp dụng
1. Công dân cư trú trên địa bàn xã.
2. Cán bộ, công chức, người hoạt động không chuyên trách ở xã, thôn.
Điều 3. Nguyên tắc thực hiện
1. Bảo đảm công khai, minh bạch, bình đẳng.
2. Tôn trọng, lắng nghe và tiếp thu, giải trình ý kiến của Nhân dân.
Chương II. NHỮNG NỘI DUNG CÔNG KHAI
Điều 4. Nội dung công khai
Kế hoạch phát triển kinh tế - xã hội, dự toán và quyết toán ngân sách, quy hoạch sử dụng đất, các khoản đóng góp.
Điều 5. Hình thức công khai
1. Niêm yết tại trụ sở Ủy ban nhân dân xã và nhà văn hóa các thôn ít nhất 30 ngày liên tục.
2. Thông báo trên hệ thống truyền thanh của xã ít nhất 3 ngày liên tục.
3. Đăng trên cổng thông tin điện tử và gửi Trưởng thôn.
Chương III. NHÂN DÂN BÀN, QUYẾT ĐỊNH VÀ THAM GIA Ý KIẾN
Điều 6. Những nội dung Nhân dân bàn và quyết định
Chủ trương và mức đóng góp xây dựng công trình công cộng; nội dung hương ước, quy ước của thôn.
Điều 7. Những nội dung Nhân dân tham gia ý kiến
Các nội dung quy định tại Điều 25 Luật Thực hiện dân chủ ở cơ sở.
Điều 8. Cách thức lấy ý kiến
1. Hội nghị tại thôn, hội thảo chuyên đề.
2. Phiếu góp ý, hòm thư góp ý, nhóm Zalo của thôn.
3. Góp ý trực tuyến trên cổng thông tin điện tử của xã.
Chương IV. TỔ CHỨC THỰC HIỆN
Điều 9. Trách nhiệm của Ủy ban nhân dân xã
Tổ chức thực hiện Quy chế; tổng hợp, tiếp thu, giải trình và công khai kết quả lấy ý kiến.
Điều 10. Hiệu lực thi hành
Quy chế này có hiệu lực kể từ ngày ký.
"""

OPENINGS = ["Đề nghị", "Tôi đề nghị", "Gia đình tôi đề nghị", "Cần", "Nên", "Kiến nghị", "Đề xuất"]
SUBJECTS = [
    "niêm yết thêm tại chợ và nhà văn hóa",
    "kéo dài thời gian niêm yết",
    "phát thanh vào buổi sáng sớm",
    "ghi rõ người chịu trách nhiệm ở từng thôn",
    "công khai số điện thoại tiếp nhận góp ý",
    "bổ sung hình thức góp ý qua nhóm Zalo của thôn",
    "in dự thảo phát cho các hộ không dùng điện thoại",
    "tổ chức hội nghị vào buổi tối để người đi làm tham dự",
    "quy định rõ thời hạn trả lời ý kiến",
    "công khai kết quả tiếp thu, giải trình tại từng thôn",
]
REASONS = [
    "vì nhiều người dân không xem được trên mạng",
    "để bà con nắm được đầy đủ",
    "vì thời gian hiện nay còn ngắn",
    "cho phù hợp với thực tế ở thôn",
    "để tránh hiểu nhầm",
    "",
]
NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Vũ Thị Giang",
    "",
]
CHANNELS = ["paper", "meeting", "zalo", "radio"]


def comment_text(rng: random.Random) -> str:
    reason = rng.choice(REASONS)
    return f"{rng.choice(OPENINGS)} {rng.choice(SUBJECTS)}{(' ' + reason) if reason else ''}."


def comments_csv(
    rows: int, *, villages: list[str], articles: list[str], first: dt.date, last: dt.date, seed: int
) -> bytes:
    """A CSV file as a commune office would upload it: one comment per row, Vietnamese headers."""
    rng = random.Random(seed)
    days = (last - first).days + 1
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Nội dung góp ý", "Họ và tên", "Thôn", "Điều", "Hình thức", "Ngày nhận", "Liên hệ"])
    for i in range(rows):
        day = first + dt.timedelta(days=rng.randrange(days))
        w.writerow(
            [
                comment_text(rng),
                rng.choice(NAMES),
                rng.choice(villages) if i % 5 else "",
                rng.choice(articles) if i % 4 else "",
                rng.choice(CHANNELS),
                day.strftime("%d/%m/%Y"),
                f"09{rng.randrange(10**8):08d}" if i % 3 == 0 else "",
            ]
        )
    return buf.getvalue().encode("utf-8")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--comments", type=int, default=10_000, help="comments on each benchmarked consultation page"
    )
    p.add_argument("--import-rows", type=int, default=100_000, help="rows in the bulk-import CSV")
    p.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server (postgres://user@host:port/anydb): a new database is created there "
        "for the run and dropped at the end; default: a temporary SQLite file",
    )
    p.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--connections", type=int, default=20)
    p.add_argument(
        "--redis-url",
        default="",
        help="serve with the shared Redis cache (REDIS_URL, as production does), e.g. redis://127.0.0.1:6379/3 "
        "(flushed at the start); default: the embedded default, the database cache",
    )
    p.add_argument(
        "--post-max", type=int, default=50_000, help="upper bound on comment POSTs in the POST run"
    )
    p.add_argument(
        "--profile", action="store_true", help="print the top functions of a cProfile of the public page"
    )
    p.add_argument("--keep", action="store_true", help="keep the temporary database and directory")
    p.add_argument(
        "--table",
        default="",
        help="instead of a)-c): the scale table (issue 13) at these comma-separated sizes, e.g. 10000,100000: "
        "every page staff, MTTQ, citizens and the JSON use, and the staff petition list, side by side with hello",
    )
    return p.parse_args()


def main() -> None:
    args = parse_args()
    wrk_path()  # fail early when wrk is missing
    ws = make_workspace(args.database_url or None, keep=args.keep)
    os.environ.update(django_env(ws, settings_module="bench_settings"))
    if args.redis_url:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()  # no page of an earlier run is served from the cache
        os.environ["REDIS_URL"] = args.redis_url
    try:
        if args.table:
            run_table(args, ws)
        else:
            run(args, ws)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001,S110 - cleanup must not hide the real error
            pass
        ws.drop()


def run(args, ws) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    print(
        f"database: {ws.label}; Django {django.get_version()}; {os.cpu_count()} CPUs; "
        f"CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE')}; cache {settings.CACHES['default']['BACKEND']}; "
        f"load average at the start: {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", interactive=False, verbosity=0)
    from portal.demo import seed_core

    core = seed_core()
    print(f"migrate + collectstatic + seed core: {time.perf_counter() - t:.1f} s")

    # a) Bulk import -----------------------------------------------------------------------------------------------
    imported = bench_import(core, rows=args.import_rows)

    # Consultations for the page benchmark ------------------------------------------------------------------------
    t = time.perf_counter()
    open_c = open_consultation(
        core, "Lấy ý kiến Nhân dân: dự thảo Quy chế thực hiện dân chủ ở xã (benchmark)"
    )
    fill_comments(core, open_c, args.comments, seed=2)
    results_c = results_consultation(core, args.comments)
    from consultations import published

    published.build(results_c.pk)  # what the worker does once results are out (consultations/published.py)
    from django.db import connection

    if (
        connection.vendor == "postgresql"
    ):  # fresh statistics after the bulk loads, as autovacuum would gather them
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"seed: 2 consultations with {args.comments:,} comments each: {time.perf_counter() - t:.1f} s")

    from consultations.models import Comment

    page_path = f"/lay-y-kien/{open_c.pk}/"
    results_path = f"/lay-y-kien/{results_c.pk}/"
    post_path = f"/lay-y-kien/{open_c.pk}/gop-y/"
    article_ids = [
        str(a) for a in open_c.versions.order_by("-number").first().articles.values_list("pk", flat=True)
    ]

    # c) One request each, profiled in-process ---------------------------------------------------------------------
    profiles = [
        profile_get("hello", "/bench/hello/"),
        profile_get("public page, open", page_path),
        profile_get("public page, results", results_path),
        profile_post("comment POST", post_path, article_ids[3]),
    ]
    wsgi = {
        name: wsgi_median_ms(path)
        for name, path in (
            ("hello", "/bench/hello/"),
            ("public page, open", page_path),
            ("public page, results", results_path),
        )
    }
    if args.profile:
        cprofile_get(page_path)
        cprofile_get(results_path)

    # b) Load ------------------------------------------------------------------------------------------------------
    from django.db import connections

    connections.close_all()
    online_before = Comment.objects.filter(consultation=open_c, channel="online").count()
    connections.close_all()
    server_env = django_env(ws, settings_module="bench_settings")
    load = {
        "duration": args.duration,
        "threads": args.threads,
        "connections": args.connections,
        "workdir": ws.tmp,
    }
    n = f"{args.comments:,}"
    with gunicorn(server_env, workers=2) as base:
        for path in ("/bench/hello/", page_path, results_path):  # warm-up: templates, connections
            run_wrk("warm-up", base + path, **{**load, "duration": 2})
        results: list[Result] = [
            run_wrk("hello (minimal Django view)", base + "/bench/hello/", **load),
            run_wrk(f"public page, open, {n} comments", base + page_path, **load),
            run_wrk(f"public page, results published, {n} comments", base + results_path, **load),
        ]
        env = post_env(base, page_path, ",".join(article_ids), post_max=args.post_max, threads=args.threads)
        check_one_post(base, post_path, env["BENCH_CSRF_COOKIE"], env["BENCH_CSRF_FORM"], article_ids[1])
        results.append(
            run_wrk(
                "comment POST (one new comment per request)", base + post_path, lua=POST_LUA, **load, env=env
            )
        )
        results.append(run_wrk("hello again (drift check)", base + "/bench/hello/", **load))
        stale = cache_coherence(base, page_path, post_path, article_ids[2])
    connections.close_all()
    online_after = Comment.objects.filter(consultation=open_c, channel="online").count()
    created = online_after - online_before - 2  # minus the checked POST and the coherence check's POST

    print()
    print(
        f"a) bulk import: {imported['rows']:,} rows, CSV {imported['mb']:.1f} MB: upload stored in "
        f"{imported['store']:.2f} s, rows checked and inserted in {imported['run']:.2f} s; total "
        f"{imported['total']:.2f} s = {imported['rows'] / imported['total']:,.0f} rows/s "
        f"(target < 60 s: {'met' if imported['total'] < 60 else 'NOT met'})"
    )
    print()
    print(
        f"b) gunicorn, 2 sync workers, DEBUG off, 127.0.0.1; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s per endpoint after a 2 s warm-up"
    )
    hello_rps = (results[0].rps + results[4].rps) / 2
    print(f"   ratio = req/s divided by the mean of the two hello runs ({hello_rps:.1f} req/s)")
    print_table(results, hello_rps)
    post = results[3]
    print(
        f"   comment POST: {created:,} comments written during the run; wrk counted {post.requests:,} responses, "
        f"{post.status_errors} not 2xx/3xx (each successful POST answers 302 to its receipt page)"
    )
    if post.requests >= int(env["BENCH_POST_MAX_PER_THREAD"]) * args.threads:
        print("   (the POST run hit --post-max before the time was up: its req/s is a lower bound)")
    for r in results[1:3]:
        ratio = r.rps / hello_rps
        print(f"   {r.name}: {ratio:.2f} of hello (target >= 0.50: {'met' if ratio >= 0.5 else 'NOT met'})")
    print(
        f"   cache coherence: after one more comment, {stale['stale']} of {stale['gets']} anonymous GETs of the public "
        f"page at once still showed the old count ({stale['before']} -> {stale['after']}; "
        f"{'0 expected with a shared cache' if stale['shared'] else 'allowed with a per-process cache'}), "
        f"{stale['stale_after_ttl']} of {stale['gets']} after PORTAL_PUBLIC_STATE_TTL = {stale['ttl']:g} s (0 expected)"
    )
    print()
    print(
        "c) in-process (django.test.Client): median of 20 requests after a warm-up; then one request split into"
    )
    print(
        "   time executing SQL (wherever it runs), time rendering templates (without the SQL run from inside them),"
    )
    print("   and the rest (middleware, view code, query compilation, form validation, commits):")
    width = max(len(p["name"]) for p in profiles)
    print(
        f"   {'endpoint':<{width}}  {'status':>6}  {'median ms':>9}  {'queries':>7}  {'one ms':>7}  {'SQL ms':>7}  "
        f"{'templ ms':>8}  {'rest ms':>7}  bytes"
    )
    for p in profiles:
        rest = p["one_ms"] - p["sql_ms"] - p["template_ms"]
        print(
            f"   {p['name']:<{width}}  {p['status']:>6}  {p['total_ms']:>9.1f}  {p['queries']:>7}  {p['one_ms']:>7.1f}  "
            f"{p['sql_ms']:>7.1f}  {p['template_ms']:>8.1f}  {rest:>7.1f}  {p['bytes']}"
        )
    print(
        "   the same GETs through Django's real WSGI handler as gunicorn calls it (no cookies; a new database"
    )
    print("   connection per request only when CONN_MAX_AGE is 0), median of 50:")
    for name, ms in wsgi.items():
        print(f"   {name:<{width}}  {ms:>7.2f} ms  ({ms / wsgi['hello']:.1f} x hello)")
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


# --- Seeding through the services ------------------------------------------------------------------------------------


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


def _create_published(core, title: str, *, opens: dt.date) -> object:
    """A people's consultation published (plan issued and sent to HĐND and MTTQ) with a 20-day window from ``opens``."""
    from consultations import services
    from portal.workdays import period_end

    staff = core.users["canbo"]
    closes = period_end(opens, 20)
    c = services.consultation_create(
        commune=core.commune,
        by=staff,
        title=title,
        category="p7",
        audience="people",
        opens_on=opens,
        closes_on=closes,
        channels=["online", "meeting", "paper", "zalo"],
        organizers=[core.orgs["HĐND"], core.orgs["MTTQ"]],
        summary_due_on=closes + dt.timedelta(days=7),
        summary="Dự thảo Quy chế thực hiện dân chủ ở xã.",
        draft_text=DRAFT,
        now=_at(opens - dt.timedelta(days=3)),
    )
    issued = opens - dt.timedelta(days=1)
    services.consultation_issue_plan(
        consultation=c, by=staff, issued_on=issued, sent_hdnd_on=issued, sent_mttq_on=issued, now=_at(issued)
    )
    return services.consultation_publish(consultation=c, by=staff, publicized_on=opens, now=_at(opens))


def open_consultation(core, title: str):
    from django.utils import timezone

    return _create_published(core, title, opens=timezone.localdate() - dt.timedelta(days=5))


def _import(core, consultation, rows: int, *, first: dt.date, last: dt.date, seed: int, now=None) -> dict:
    """Upload a CSV through the import service and run the import task; returns timings."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consultations import services, tasks
    from consultations.models import ImportBatch

    version = consultation.versions.order_by("-number").first()
    articles = list(version.articles.filter(kind="article").values_list("number", flat=True))
    villages = [v.name for v in core.villages]
    data = comments_csv(rows, villages=villages, articles=articles, first=first, last=last, seed=seed)
    upload = SimpleUploadedFile("gop-y-phieu.csv", data, content_type="text/csv")
    t0 = time.perf_counter()
    batch = services.import_batch_create(
        consultation=consultation, by=core.users["canbo"], upload=upload, channel="paper", now=now
    )
    t1 = time.perf_counter()
    if batch.status == ImportBatch.Status.PENDING:  # large files: what the django-q2 worker runs
        if now is None:
            tasks.import_comments(batch.pk)
        else:
            services.import_batch_run(batch=batch, now=now)
    t2 = time.perf_counter()
    batch.refresh_from_db()
    if batch.status != ImportBatch.Status.DONE or batch.imported != rows:
        raise SystemExit(
            f"import failed: {batch.status}, {batch.imported} of {rows}; errors {batch.errors[:5]}"
        )
    return {"rows": rows, "mb": len(data) / 1e6, "store": t1 - t0, "run": t2 - t1, "total": t2 - t0}


def bench_import(core, *, rows: int) -> dict:
    from django.utils import timezone

    c = open_consultation(core, "Lấy ý kiến Nhân dân: quy hoạch sử dụng đất (benchmark nhập tệp)")
    out = _import(core, c, rows, first=c.opens_on, last=timezone.localdate(), seed=1)
    print(f"a) import of {rows:,} rows: {out['total']:.2f} s")
    return out


def fill_comments(core, consultation, n: int, *, seed: int) -> None:
    from django.utils import timezone

    if n:
        _import(core, consultation, n, first=consultation.opens_on, last=timezone.localdate(), seed=seed)


def results_consultation(core, n: int, *, bulk: bool = False):
    """A consultation whose window closed in the past, every comment answered, MTTQ summary in, results published.

    Every step goes through the services with ``now`` on the day it happened, except the answers: ``n`` answers one
    by one would take minutes, so the seed marks all comments answered with one UPDATE (benchmark data only).
    """
    from django.utils import timezone

    from consultations import services
    from consultations.models import Comment
    from consultations.services.tally import tally_rebuild
    from portal import text

    staff, mttq = core.users["canbo"], core.users["mttq"]
    opens = timezone.localdate() - dt.timedelta(days=60)
    c = _create_published(
        core, "Lấy ý kiến Nhân dân: kế hoạch phát triển kinh tế - xã hội (benchmark kết quả)", opens=opens
    )
    if n and bulk:
        bulk_fill(core, c, n, seed=3, first=opens, last=c.closes_on - dt.timedelta(days=1))
    elif n:
        _import(
            core,
            c,
            n,
            first=opens,
            last=c.closes_on - dt.timedelta(days=1),
            seed=3,
            now=_at(c.closes_on - dt.timedelta(days=1)),
        )
    after = c.closes_on + dt.timedelta(days=1)
    services.consultation_close(consultation=c, now=_at(after))
    services.consultation_start_synthesis(consultation=c, by=staff, now=_at(after))
    answer = "Tiếp thu và bổ sung vào dự thảo; Văn phòng - Thống kê chịu trách nhiệm tổ chức thực hiện."
    Comment.objects.filter(consultation=c).update(
        status=Comment.Status.ANSWERED,
        answer_kind=Comment.Answer.ACCEPTED,
        answer_text=answer,
        answer_html=text.to_html(answer),
        answered_by=staff,
        answered_at=_at(after),
    )
    tally_rebuild(c.pk)  # the raw UPDATE bypassed the services that keep the counts
    summary = services.summary_save(
        consultation=c,
        by=mttq,
        text="Nhân dân đồng tình với dự thảo.",
        meetings_held=6,
        participants=420,
        now=_at(after),
    )
    services.summary_submit(summary=summary, by=mttq, now=_at(after))
    issued = after + dt.timedelta(days=1)
    from portal.documents.services import document_issue

    c = services.consultation_report_document(consultation=c, by=staff, now=_at(issued))
    document_issue(document=c.report_document, by=None, now=_at(issued))  # the system signs (benchmark data)
    return services.consultation_publish_results(
        consultation=c,
        by=staff,
        issued_on=issued,
        results_summary="Đã tiếp thu, giải trình đầy đủ.",
        now=_at(issued),
    )


# --- In-process profile ----------------------------------------------------------------------------------------------


def _measure(send, name: str) -> dict:
    """Median wall time of 20 requests; for one more: SQL queries, time in SQL, time rendering templates."""
    from django.db import connection
    from django.template.backends.django import Template
    from django.test.utils import CaptureQueriesContext

    response = send()  # warm-up (templates compiled, caches filled)
    times = []
    for _ in range(20):
        t = time.perf_counter()
        response = send()
        times.append(time.perf_counter() - t)
    spent = []  # (seconds in the outermost template renders, seconds of SQL run inside them)
    depth = [0]
    original = Template.render

    def timed_render(self, *a, **kw):
        depth[0] += 1
        start_q, t = len(connection.queries_log), time.perf_counter()
        try:
            return original(self, *a, **kw)
        finally:
            depth[0] -= 1
            if depth[0] == 0:  # form widgets render templates inside the page's template: count the page only
                inner_sql = sum(float(x["time"]) for x in list(connection.queries_log)[start_q:])
                spent.append((time.perf_counter() - t, inner_sql))

    Template.render = timed_render
    try:
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            response = send()
            one = time.perf_counter() - t
    finally:
        Template.render = original
    sql_ms = sum(float(x["time"]) for x in q.captured_queries) * 1000
    return {
        "name": name,
        "status": response.status_code,
        "queries": len(q.captured_queries),
        "sql_ms": sql_ms,
        "template_ms": sum(a - b for a, b in spent) * 1000,
        "one_ms": one * 1000,
        "total_ms": statistics.median(times) * 1000,
        "bytes": len(response.content),
    }


def profile_get(name: str, path: str) -> dict:
    from django.test import Client

    client = Client()
    return _measure(lambda: client.get(path), name)


def profile_post(name: str, path: str, article_id: str) -> dict:
    from django.test import Client

    client = Client()

    def send():
        return client.post(
            path,
            {
                "text": "Đề nghị niêm yết thêm tại chợ.",
                "form_token": uuid.uuid4().hex,
                "article": article_id,
                "author_name": "",
                "village": "",
                "contact": "",
                "website": "",
            },
        )

    out = _measure(send, name)
    if out["status"] != 302:
        raise SystemExit(f"comment POST answered {out['status']} in-process, expected 302")
    return out


def _wsgi_get(handler, path: str) -> int:
    """One GET through Django's real WSGI handler, as gunicorn calls it: no cookies, request signals fired (so the
    database connection is closed after the request when CONN_MAX_AGE is 0, and reopened by the next one)."""
    from django.test.client import RequestFactory

    environ = RequestFactory().get(path).environ
    environ["wsgi.input"] = io.BytesIO(b"")
    status = []
    body = handler(environ, lambda s, headers, exc_info=None: status.append(s))
    size = sum(len(chunk) for chunk in body)
    if hasattr(body, "close"):
        body.close()
    if not status[0].startswith("200"):
        raise SystemExit(f"GET {path} through the WSGI handler answered {status[0]}")
    return size


def wsgi_median_ms(path: str, n: int = 50) -> float:
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    _wsgi_get(handler, path)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        _wsgi_get(handler, path)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def cprofile_get(path: str) -> None:
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    _wsgi_get(handler, path)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(10):
        _wsgi_get(handler, path)
    prof.disable()
    print(f"\ncProfile of 10 GET {path} through the WSGI handler (top 25 by cumulative time):")
    pstats.Stats(prof).sort_stats("cumtime").print_stats(25)


# --- The POST load ---------------------------------------------------------------------------------------------------

POST_LUA = """
local path = os.getenv("BENCH_POST_PATH")
local cookie = "csrftoken=" .. os.getenv("BENCH_CSRF_COOKIE")
local csrf = os.getenv("BENCH_CSRF_FORM")
local nonce = os.getenv("BENCH_NONCE")
local text = os.getenv("BENCH_TEXT")
local max_per_thread = tonumber(os.getenv("BENCH_POST_MAX_PER_THREAD"))
local articles = {}
for a in string.gmatch(os.getenv("BENCH_ARTICLES"), "[^,]+") do table.insert(articles, a) end
local headers = {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie}
local thread_count = 0
local counter = 0
local responses = 0

setup = function(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

request = function()
  counter = counter + 1
  local token = nonce .. "-" .. tostring(tid) .. "-" .. counter
  local article = articles[(counter % #articles) + 1]
  local body = "csrfmiddlewaretoken=" .. csrf .. "&form_token=" .. token .. "&article=" .. article ..
    "&text=" .. text .. "&author_name=&village=&contact=&website="
  return wrk.format("POST", path, headers, body)
end

response = function(status, headers, body)
  responses = responses + 1
  if responses >= max_per_thread then wrk.thread:stop() end
end
"""


def csrf_for(base: str, path: str) -> tuple[str, str]:
    """GET the public page like a browser: the csrftoken cookie and the form's csrfmiddlewaretoken."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", path)
    resp = conn.getresponse()
    html = resp.read().decode("utf-8")
    cookie = re.search(r"csrftoken=([^;]+)", resp.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if resp.status != 200 or not cookie or not token or 'name="form_token"' not in html:
        raise SystemExit(f"GET {path}: {resp.status}; no CSRF cookie/token or no comment form")
    conn.close()
    return cookie.group(1), token.group(1)


def _get(base: str, path: str) -> tuple[int, str, str]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", path)
    resp = conn.getresponse()
    html = resp.read().decode("utf-8")
    conn.close()
    return resp.status, html, resp.getheader("Set-Cookie") or ""


def _count(html: str) -> int:
    m = re.search(r"Đã nhận <strong>(\d+)</strong>", html)
    return int(m.group(1)) if m else -1


def cache_coherence(base: str, page_path: str, post_path: str, article_id: str, gets: int = 20) -> dict:
    """One more comment, then ``gets`` anonymous GETs at once and ``gets`` more once the cached state's TTL is over:
    how many still show the count from before it?

    Each gunicorn worker is a process. The write deletes the cached state (public_version, status, dates) on commit
    in the cache the writing process sees: with Redis every worker serves the new count at once; with the per-process
    LocMemCache the other worker may serve the old count until ``PORTAL_PUBLIC_STATE_TTL`` is over, never after.
    """
    from django.conf import settings

    for _ in range(gets):  # both workers have the page cached
        _get(base, page_path)
    before = _count(_get(base, page_path)[1])
    cookie, token = csrf_for(base, page_path)
    check_one_post(base, post_path, cookie, token, article_id)
    seen = [_count(_get(base, page_path)[1]) for _ in range(gets)]
    ttl = settings.PORTAL_PUBLIC_STATE_TTL
    time.sleep(ttl + 0.2)
    later = [_count(_get(base, page_path)[1]) for _ in range(gets)]
    return {
        "before": before,
        "after": max(seen + later),
        "gets": gets,
        "ttl": ttl,
        "stale": sum(1 for c in seen if c == before),
        "stale_after_ttl": sum(1 for c in later if c == before),
        "shared": "locmem" not in settings.CACHES["default"]["BACKEND"].lower(),
    }


ARRIVING = "public page, anonymous, 5 comments/s arriving"
POSTING = "comment POST (one new comment per request)"
POST_FLOOR = "POST floor: comment + form token insert only (yardstick)"


def post_env(base: str, page_path: str, articles: str, *, post_max: int, threads: int) -> dict[str, str]:
    """What POST_LUA needs: a browser's CSRF cookie and form token from the public page, the articles to comment on."""
    cookie, token = csrf_for(base, page_path)
    return {
        "BENCH_POST_PATH": page_path + "gop-y/",
        "BENCH_CSRF_COOKIE": cookie,
        "BENCH_CSRF_FORM": token,
        "BENCH_NONCE": uuid.uuid4().hex[:12],
        "BENCH_ARTICLES": articles,
        "BENCH_TEXT": quote_plus("Đề nghị niêm yết thêm tại chợ và nhà văn hóa thôn để bà con nắm được."),
        "BENCH_POST_MAX_PER_THREAD": str(max(1, post_max // threads)),
    }


@contextlib.contextmanager
def comments_arriving(base: str, page_path: str, article_id: str, *, per_second: float):
    """Citizens comment at ``per_second`` through the real form (CSRF cookie and token, a fresh form token each)
    while the body of the ``with`` runs; yields a one-item list holding the number of comments posted."""
    cookie, token = csrf_for(base, page_path)
    post_path = page_path + "gop-y/"
    posted, stop = [0], threading.Event()

    def run():
        next_at = time.monotonic()
        while not stop.is_set():
            check_one_post(base, post_path, cookie, token, article_id)
            posted[0] += 1
            next_at += 1 / per_second
            stop.wait(max(0.0, next_at - time.monotonic()))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield posted
    finally:
        stop.set()
        thread.join(timeout=30)


def check_one_post(base: str, path: str, cookie: str, token: str, article_id: str) -> None:
    """One POST by hand before the load: it must answer 302 to the receipt page (not 403 CSRF, not 429)."""
    parts = urlsplit(base)
    body = (
        f"csrfmiddlewaretoken={token}&form_token=check-{uuid.uuid4().hex[:20]}&article={article_id}"
        f"&text={quote_plus('Góp ý kiểm tra trước khi đo.')}&author_name=&village=&contact=&website="
    )
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request(
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
    )
    resp = conn.getresponse()
    resp.read()
    location = resp.getheader("Location") or ""
    conn.close()
    if resp.status != 302 or "/da-nhan/" not in location:
        raise SystemExit(f"POST {path} answered {resp.status} {location!r}, expected 302 to the receipt")


# --- The scale table (issue 13) -----------------------------------------------------------------------------------

RANDOM_ANCHOR_LUA = """
local base = os.getenv("BENCH_PATH")
local lo = tonumber(os.getenv("BENCH_LO"))
local hi = tonumber(os.getenv("BENCH_HI"))
local cookie = os.getenv("BENCH_COOKIE")
local headers = {}
if cookie ~= "" then headers["Cookie"] = cookie end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", base .. math.random(lo, hi), headers)
end
"""

COOKIE_LUA = """
local cookie = os.getenv("BENCH_COOKIE")
request = function()
  return wrk.format("GET", nil, {["Cookie"] = cookie})
end
"""


def session_cookie(user) -> str:
    """A logged-in session for ``user``, as the login view would store it (no password round trip)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "portal.auth.PortalBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _check_get(base: str, path: str, cookie: str = "") -> int:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    if resp.status != 200:
        raise SystemExit(f"GET {path} answered {resp.status}, expected 200")
    return len(body)


def print_plans(core, n: int, open_c, results_c) -> None:
    """EXPLAIN ANALYZE of the queries that used to read every comment, at the largest size: time, rows read, JIT."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consultations import selectors
    from consultations.filters import CommentFilter
    from consultations.models import Comment
    from portal.pagination import seek_page

    staff, mttq = core.users["canbo"], core.users["mttq"]
    ids = list(
        Comment.objects.filter(consultation=open_c)
        .order_by("-received_at", "-id")
        .values_list("pk", flat=True)
    )
    res_ids = list(selectors.public_comments(results_c).values_list("pk", flat=True))

    def staff_page(user, params):
        qs = selectors.comment_list(user=user, consultation=open_c)
        f = CommentFilter(params or None, queryset=qs, consultation=open_c)
        count = selectors.comment_list_count(open_c, params)
        return seek_page(f.qs, params=params, order="-received_at", count=count)

    cases = [
        ("staff list, first page", lambda: staff_page(staff, {})),
        ("staff list, middle", lambda: staff_page(staff, {"sau": str(ids[len(ids) // 2])})),
        ("MTTQ review ?q=duong", lambda: staff_page(mttq, {"q": "duong"})),
        ("MTTQ review ?q=zalo", lambda: staff_page(mttq, {"q": "zalo"})),
        (
            "public results, middle",
            lambda: selectors.public_comments_page(results_c, {"sau": res_ids[len(res_ids) // 2]}),
        ),
        ("results statistics", lambda: selectors.results_statistics(results_c)),
    ]
    print(
        f"\nEXPLAIN ANALYZE at {n:,} comments (each query of one page; JIT fires when a plan costs > jit_above_cost):"
    )
    for name, call in cases:
        with CaptureQueriesContext(connection) as ctx:
            call()
        worst_ms, total_ms, plan_ms, jit = 0.0, 0.0, 0.0, False
        for q in ctx.captured_queries:
            if not q["sql"].startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + q["sql"])
                plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            ms = plan["Execution Time"]
            total_ms += ms
            plan_ms += plan.get("Planning Time", 0)
            worst_ms = max(worst_ms, ms)
            jit = jit or "JIT" in plan
        print(
            f"   {name:<28} {len(ctx.captured_queries)} queries, executed in {total_ms:7.2f} ms (slowest "
            f"{worst_ms:.2f} ms), planned in {plan_ms:6.2f} ms, JIT {'used' if jit else 'not used'}"
        )


def bulk_fill(core, consultation, n: int, *, seed: int, first: dt.date, last: dt.date) -> None:
    """``n`` comments inserted directly in batches (the table's seed: the import service takes minutes per 100,000
    rows on a loaded machine and refuses files over its row limit); then the maintained counts are rebuilt."""
    from django.utils import timezone

    from consultations.models import Comment
    from consultations.services.tally import tally_rebuild
    from portal import text

    rng = random.Random(seed)
    version = consultation.versions.order_by("-number").first()
    articles = list(version.articles.exclude(kind="chapter"))
    villages = list(core.villages)
    span = max(
        1, int((last - first).total_seconds() if hasattr(last, "hour") else (last - first).days * 86400)
    )
    start = _at(first, 7)
    texts = {}
    batch = []
    for i in range(n):
        body = comment_text(rng)
        if body not in texts:
            texts[body] = (text.to_html(body), text.normalize_search(body))
        html, search = texts[body]
        article = rng.choice(articles) if rng.random() < 0.8 else None
        batch.append(
            Comment(
                consultation=consultation,
                commune_id=consultation.commune_id,
                text=body,
                text_html=html,
                text_search=search,
                channel=rng.choice(CHANNELS),
                received_at=min(start + dt.timedelta(seconds=rng.randrange(span)), timezone.now()),
                tracking_code=f"B{consultation.pk % 100:02d}{i:06d}",
                article=article,
                article_position=article.position if article else None,
                village=rng.choice(villages) if rng.random() < 0.9 else None,
                author_name=rng.choice(NAMES),
                created_at=timezone.now(),
            )
        )
        if len(batch) == 5000:
            Comment.objects.bulk_create(batch)
            batch = []
    Comment.objects.bulk_create(batch)
    tally_rebuild(consultation.pk)


def petition_pages(core, n: int, cookie: str) -> list[tuple]:
    """Top the demo commune's petitions up to ``n`` (bulk, in batches) and return the staff petition list's pages
    (first, middle by seek) for the table; labelled with the real number, since sizes only ever add petitions."""
    from django.db import connection, connections
    from django.urls import reverse
    from django.utils import timezone

    from dialogues.models import Channel, Field, Petition

    commune = core.commune
    have = Petition.objects.filter(commune=commune).count()
    now, start = timezone.now(), dt.date(2025, 1, 1)
    fields, channels = list(Field.values), list(Channel.values)
    for lo in range(have, n, 5000):
        Petition.objects.bulk_create(
            [
                Petition(
                    commune=commune,
                    village=core.villages[i % len(core.villages)],
                    tracking_code=f"KN-T{i:07d}",
                    channel=channels[i % len(channels)],
                    field=fields[i % len(fields)],
                    text=f"Kiến nghị số {i}: đề nghị sửa đường, nạo vét kênh mương",
                    received_on=start + dt.timedelta(days=(i * 7) % 700),
                    status=Petition.Status.ASSIGNED if i % 3 == 0 else Petition.Status.RECEIVED,
                    created_at=now,
                    updated_at=now,
                )
                for i in range(lo, min(n, lo + 5000))
            ]
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE dialogues_petition")
    ids = list(
        Petition.objects.filter(commune=commune).order_by("-received_on", "-id").values_list("pk", flat=True)
    )
    connections.close_all()
    url, total = reverse("dialogues:petitions"), len(ids)
    return [
        (f"staff petition list ({total:,} petitions)", url, cookie, None),
        (f"staff petition list, middle ({total:,})", f"{url}?sau={ids[total // 2]}", cookie, None),
        (f"staff petition list, assigned ({total:,})", f"{url}?status=assigned", cookie, None),
    ]


def run_table(args, ws) -> None:
    """Seed a pair of consultations (open, results published) per size, then load every page of the issue's table;
    before each size's pages the commune's petitions are topped up to that size (the staff petition list)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    sizes = [int(x) for x in args.table.split(",") if x.strip()]
    print(
        f"database: {ws.label}; Django {django.get_version()}; {os.cpu_count()} CPUs; "
        f"cache {settings.CACHES['default']['BACKEND']}; "
        f"load average at the start: {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.utils import timezone

    from consultations import published
    from consultations.models import Article, Comment
    from portal.demo import seed_core

    core = seed_core()
    staff, mttq = core.users["canbo"], core.users["mttq"]
    seeded = []
    for n in sizes:
        t = time.perf_counter()
        open_c = open_consultation(core, f"Lấy ý kiến Nhân dân: dự thảo Quy chế ({n:,} ý kiến)")
        bulk_fill(core, open_c, n, seed=2, first=open_c.opens_on, last=timezone.localdate())
        results_c = results_consultation(core, n, bulk=True)
        seeded.append((n, open_c, results_c))
        print(f"seed: 2 consultations with {n:,} comments each: {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        outcome = published.build(results_c.pk)  # what the worker does once results are out
        print(f"published results files ({n:,} comments): {outcome} in {time.perf_counter() - t:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would after the bulk loads
    if connection.vendor == "postgresql":
        print_plans(core, *seeded[-1])
    staff_cookie, mttq_cookie = session_cookie(staff), session_cookie(mttq)
    plans = []
    for n, open_c, results_c in seeded:
        ids = list(
            Comment.objects.filter(consultation=open_c)
            .order_by("-received_at", "-id")
            .values_list("pk", flat=True)
        )
        res_ids = Comment.objects.filter(consultation=results_c).order_by("pk").values_list("pk", flat=True)
        village = core.villages[0].pk
        o, r = f"/lay-y-kien/{open_c.pk}", f"/lay-y-kien/{results_c.pk}"
        article = str(
            Article.objects.filter(version__consultation=open_c).values_list("pk", flat=True).first()
        )
        plans.append(
            (
                n,
                [
                    ("logged-in page shell (floor)", "/bench/shell/", staff_cookie, None),
                    ("staff comment list", f"{o}/y-kien/", staff_cookie, None),
                    (
                        "staff comment list, page 50",
                        f"{o}/y-kien/?sau={ids[min(len(ids) - 1, 49 * 20 - 1)]}",
                        staff_cookie,
                        None,
                    ),
                    (
                        "staff comment list, middle",
                        f"{o}/y-kien/?sau={ids[len(ids) // 2]}",
                        staff_cookie,
                        None,
                    ),
                    ("MTTQ review, text filter", f"{o}/giam-sat/?q=duong", mttq_cookie, None),
                    (
                        "MTTQ review, text + village",
                        f"{o}/giam-sat/?q=duong&village={village}",
                        mttq_cookie,
                        None,
                    ),
                    ("results JSON (anonymous)", f"{r}/ket-qua.json", "", None),
                    (
                        "results JSON, random page (miss)",
                        f"{r}/ket-qua.json?sau=",
                        "",
                        (res_ids.first(), res_ids.last()),
                    ),
                    ("public page, logged in (live)", f"{o}/", staff_cookie, None),
                    ("public page, anonymous (cached)", f"{o}/", "", None),
                    (ARRIVING, f"{o}/", "", article),
                    ("public results, random deep page", f"{r}/?sau=", "", (res_ids.first(), res_ids.last())),
                    ("staff dashboard", "/bang-dieu-khien/", staff_cookie, None),
                ],
            )
        )
    connections.close_all()
    load = {
        "duration": args.duration,
        "threads": args.threads,
        "connections": args.connections,
        "workdir": ws.tmp,
    }
    rows: list[tuple[int, Result, float]] = []
    with gunicorn(django_env(ws, settings_module="bench_settings"), workers=2) as base:
        for n, pages in plans:
            pages = [*pages, *petition_pages(core, n, staff_cookie)]  # and the size's own petitions
            open_path = next(path for name, path, _, _ in pages if name == "public page, anonymous (cached)")
            articles = ",".join(
                str(pk)
                for pk in Article.objects.filter(
                    version__consultation_id=int(open_path.strip("/").split("/")[-1])
                )
                .order_by("pk")
                .values_list("pk", flat=True)[:5]
            )
            pages.append((POSTING, open_path, "", articles))  # last: it adds comments
            for (
                name,
                path,
                cookie,
                span,
            ) in pages:  # each page answers 200 (and warms templates and connections)
                if name != POSTING:
                    _check_get(base, path + (str(span[0]) if span and name != ARRIVING else ""), cookie)
            hello: list[Result] = []
            with measure_cpu(hello):
                hello.append(run_wrk("hello", base + "/bench/hello/", **load))
            measured: list[Result] = []
            for name, path, cookie, span in pages:
                if name == POSTING:
                    env = post_env(base, path, span, post_max=args.post_max, threads=args.threads)
                    with measure_cpu(measured):
                        measured.append(
                            run_wrk(f"{name}, {n:,}", base + path + "gop-y/", lua=POST_LUA, env=env, **load)
                        )
                    # The yardstick: the same POST to a view that only inserts the comment and its form token
                    # (scripts/bench_urls.py), after the real one (its comments are not counted).
                    env = post_env(base, path, span, post_max=args.post_max, threads=args.threads)
                    env["BENCH_POST_PATH"] = "/bench/post-floor/" + path.strip("/").split("/")[-1] + "/"
                    with measure_cpu(measured):
                        measured.append(
                            run_wrk(
                                f"{POST_FLOOR}, {n:,}",
                                base + env["BENCH_POST_PATH"],
                                lua=POST_LUA,
                                env=env,
                                **load,
                            )
                        )
                elif name == ARRIVING:
                    with comments_arriving(base, path, span, per_second=5) as posted:
                        result = run_wrk(f"{name}, {n:,}", base + path, **load)
                    result.name += f" ({posted[0]} posted)"
                    measured.append(result)
                elif span:
                    env = {
                        "BENCH_PATH": path,
                        "BENCH_LO": str(span[0]),
                        "BENCH_HI": str(span[1]),
                        "BENCH_COOKIE": cookie,
                    }
                    measured.append(
                        run_wrk(f"{name}, {n:,}", base + path, lua=RANDOM_ANCHOR_LUA, env=env, **load)
                    )
                elif cookie:
                    measured.append(
                        run_wrk(
                            f"{name}, {n:,}",
                            base + path,
                            lua=COOKIE_LUA,
                            env={"BENCH_COOKIE": cookie},
                            **load,
                        )
                    )
                else:
                    measured.append(run_wrk(f"{name}, {n:,}", base + path, **load))
                _check_get(
                    base, "/bench/hello/"
                )  # queued behind what wrk left in flight: the next run starts clean
            hello.append(run_wrk("hello again", base + "/bench/hello/", **load))
            hello_rps = sum(h.rps for h in hello) / 2
            rows += [(n, res, hello_rps) for res in [hello[0], *measured, hello[1]]]
    print()
    print(
        f"gunicorn, 2 sync workers, DEBUG off, 127.0.0.1; wrk -t{args.threads} -c{args.connections} -d{args.duration}s "
        "per page; ratio = req/s / mean of the hello runs around that size's pages"
    )
    width = max(len(r.name) for _, r, _ in rows)
    print(f"{'page':<{width}}  {'req/s':>8}  {'p50 ms':>8}  {'p95 ms':>8}  {'ratio':>6}  errors")
    for _n, r, hello_rps in rows:
        ratio = r.rps / hello_rps if hello_rps else 0.0
        print(
            f"{r.name:<{width}}  {r.rps:>8.1f}  {r.p50_ms:>8.1f}  {r.p95_ms:>8.1f}  {ratio:>6.2f}  "
            f"{r.status_errors} status, {r.socket_errors} socket"
        )
    print()
    print_cpu([r for _, r, _ in rows])
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
