"""How fast the public pages serve at full scale, under the production set-up.

Run from the project root (not part of the test suite; takes about five minutes):

    .venv/bin/python benchmarks/pages.py                    # build bench_pages, measure all
    .venv/bin/python benchmarks/pages.py --skip-build --only static,health \\
        --server sync:2:1,gthread:2:4,gthread:2:4:pool      # compare worker set-ups

It builds the scratch PostgreSQL database ``bench_pages`` at full scale
(``benchmarks/scale.py``: 56 places x 100 metrics x 20 published years, 90,000 figures;
``--skip-build`` reuses it), starts ``python3 dev.py production`` on it (gunicorn with
gunicorn.conf.py, ncmec_site.settings.prod, Redis db 14, flushed before each start) on a
free port, waits for /health/ready/, and measures with wrk (``--connections`` 32, 2
threads, ``--duration`` 10 s each): a static CSS file, /health/ready/ (a query and a
Redis write and read: what /health/ did before issue 24, so the figures compare), and
each public page type twice,
after a warm-up request: "cached", a reader whose Accept-Encoding is a browser's (gzip,
deflate, br: the page cache and WhiteNoise answer Brotli), and "cookie", the same with a
made-up session cookie, which the page cache answers like any other reader. Every
request says ``X-Forwarded-Proto: https``, as a TLS proxy in front would, so that
prod's HTTPS redirect is not what is measured; a page that answers anything but 2xx
stops the run.

Then, in this process, against the same database with production settings and a Redis
database of its own (db 15): each page type's server time uncached, the median of 7
requests each after that Redis database was emptied (so the page cache holds neither
the page nor the version: the page is built in its snapshot and stored), with its SQL
time and queries
(``connection.execute_wrapper``; a streamed download's rows fetched after its query
are not in it); and the queries of a request with a made-up session cookie once the
page is stored (0: a cache hit).

Printed per server set-up: req/s, p99 latency, the ratio to the static file's req/s,
the bytes of one response (as sent, and raw); then the uncached times, and the goals,
pass or fail (issue 20): every cached page, and every page asked with a made-up
cookie, at least 0.90 x the static file's req/s; no uncached page's p50 server time
above 150 ms; a made-up cookie a cache hit (no query). ``--strict`` exits 1 when one
fails.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))  # run as a script, benchmarks/ is sys.path[0]

from benchmarks.scale import DEFAULT_SERVER, scratch_url  # noqa: E402
from benchmarks.serving import (  # noqa: E402
    BROWSER,
    GZIP,
    HTTPS,
    SESSION,
    Server,
    ServerConfig,
    check,
    ensure_wrk,
    fetch,
    free_port,
    wrk,
)

DATABASE = "bench_pages"
PAGES = {  # name: address; every public page type
    "home": "/",
    "program": "/programs/cybertipline/",
    "fact-sheet": "/states/minnesota/2023/",
    "metric": "/metrics/cybertipline-reports-to-law-enforcement/",
    "compare": "/compare/?states=MN,WI,IA&year=2023",
    "sitemap": "/sitemap.xml",
    "csv": "/data/figures.csv?year=2023&state=MN",  # the fact sheet's own download
    "api": "/api/v1/figures/?year=2023",
}
MEASURED = ["static", "health", *PAGES]
UNCACHED_RUNS = 7

# The in-process timing's own cache (emptied first).
IN_PROCESS_REDIS_URL = "redis://127.0.0.1:6379/15"

GOAL_CACHED = 0.90  # every cached page, and with a made-up cookie, of the static file's
GOAL_UNCACHED_P50_MS = 150  # every page built (not in the cache), its server time
GOAL_PROGRAM_KB = 60  # the largest program page, gzip


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-build", action="store_true", help=f"Reuse {DATABASE}.")
    parser.add_argument("--postgres", default=DEFAULT_SERVER, help="The PostgreSQL server.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run.")
    parser.add_argument("--connections", type=int, default=32, help="wrk's connections.")
    parser.add_argument(
        "--only", help=f"Comma-separated, of: {', '.join(MEASURED)} (default: all)."
    )
    parser.add_argument(
        "--no-uncached", action="store_true", help="Skip the in-process uncached timing."
    )
    parser.add_argument(
        "--server",
        default="default",
        help="Comma-separated gunicorn set-ups, each class:workers:threads[:pool] "
        "(sync:2:1, gthread:2:4, gthread:2:4:pool), or 'default' (gunicorn.conf.py's).",
    )
    parser.add_argument("--pool", action="store_true", help="DJANGO_DB_POOL=1 for every set-up.")
    parser.add_argument("--port", type=int, help="Port to serve on (default: a free one).")
    parser.add_argument("--strict", action="store_true", help="Exit 1 if a goal is missed.")
    args = parser.parse_args(argv)
    args.only = args.only.split(",") if args.only else MEASURED
    unknown = set(args.only) - set(MEASURED)
    if unknown:
        parser.error(f"--only: unknown {', '.join(sorted(unknown))}; choose from {MEASURED}.")
    try:
        args.configs = [ServerConfig.parse(s, args.pool) for s in args.server.split(",")]
    except ValueError as error:
        parser.error(str(error))
    return args


def measure(server, args):
    """Every chosen page on one running server: a row per page and variant.

    The static file, /health/ready/ and every cached page first, then the uncached pages,
    each after the server has finished what the run before left it: wrk stops
    waiting when its time is up, but the workers still render what was asked.
    """
    run = {"duration": args.duration, "connections": args.connections}
    targets = [("static", server.static_css()), ("health", "/health/ready/"), *PAGES.items()]
    chosen = [(name, path) for name, path in targets if name in args.only]
    plan = [(n, p, "", BROWSER) for n, p in chosen if n in ("static", "health")]
    plan += [(n, p, "cached", BROWSER) for n, p in chosen if n in PAGES]
    plan += [(n, p, "cookie", {**BROWSER, **SESSION}) for n, p in chosen if n in PAGES]
    rows = []
    for name, path, variant, headers in plan:
        url = server.base + path
        sent_bytes, raw_bytes = check(url, headers)  # also the warm-up request
        print(f"  {name} {variant}: {path}", flush=True)
        result = wrk(url, headers, **run)
        rows.append(
            {"name": name, "path": path, "variant": variant, "sent": sent_bytes,
             "raw": raw_bytes, **result}
        )  # fmt: skip
    return rows


def program_page_sizes(server):
    """{address: gzip bytes} of every public program page."""
    import json

    _, _, body = fetch(server.base + "/api/v1/programs/?page_size=1000", {**HTTPS, **GZIP})
    sizes = {}
    for program in json.loads(body)["results"]:
        path = f"/programs/{program['slug']}/"
        sizes[path] = check(server.base + path, GZIP)[0]
    return sizes


def uncached_times(database_url, only):
    """{page name: Uncached} for each page type, measured in this process with production
    settings: a request the page cache does not hold (its Redis database emptied before
    each), the median of ``UNCACHED_RUNS``; and a request with a made-up session cookie
    once the page is stored."""
    import redis

    redis.Redis.from_url(IN_PROCESS_REDIS_URL).flushdb()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ncmec_site.settings.prod",
        DATABASE_URL=database_url,
        DJANGO_REDIS_URL=IN_PROCESS_REDIS_URL,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SITE_URL="https://testserver/",
        DJANGO_DB_POOL="0",
        DJANGO_BEHIND_PROXY="true",  # believe the X-Forwarded-Proto each request sends
    )
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    reader = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    made_up = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    made_up.cookies["sessionid"] = "made-up"

    def run(client, path, *, uncached=False):
        if uncached:
            cache.clear()  # IN_PROCESS_REDIS_URL: this process's own
        timer = QueryTimer()
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            response = client.get(path)
            if response.streaming:
                for _chunk in response.streaming_content:
                    pass
        elapsed = (time.perf_counter() - started) * 1000
        if not 200 <= response.status_code < 300:
            raise SystemExit(f"{path} answered {response.status_code} in-process.")
        return elapsed, timer.seconds * 1000, timer.queries

    run(made_up, "/robots.txt")  # the client's first request pays what none after it does
    timings = {}
    for name, path in PAGES.items():
        if name not in only:
            continue
        run(reader, path)  # stored; warms the connection and the database's buffers
        runs = [run(reader, path, uncached=True) for _ in range(UNCACHED_RUNS)]
        cookie_ms, _, cookie_queries = run(made_up, path)
        timings[name] = Uncached(
            p50_ms=statistics.median(ms for ms, _, _ in runs),
            sql_ms=statistics.median(sql for _, sql, _ in runs),
            queries=runs[-1][2],
            cookie_ms=cookie_ms,
            cookie_queries=cookie_queries,
        )
    connection.close()
    return timings


@dataclass
class Uncached:
    p50_ms: float  # a page built, its server time (median)
    sql_ms: float  # ... of which SQL
    queries: int
    cookie_ms: float  # the stored page asked with a made-up session cookie
    cookie_queries: int


class QueryTimer:
    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


def report(config, rows, program_sizes):
    static = next((r["rps"] for r in rows if r["name"] == "static"), None)
    print(f"\n{config}\n")
    header = f"{'page':<52} {'variant':<9} {'req/s':>8} {'p99 ms':>8} {'x static':>9}"
    print(header + f" {'KB sent':>8} {'KB raw':>8}")
    for r in rows:
        ratio = f"{r['rps'] / static:.3f}" if static else "-"
        print(
            f"{r['path'][:52]:<52} {r['variant'] or '-':<9} {r['rps']:>8,.0f} "
            f"{r['p99_ms']:>8.1f} {ratio:>9} {r['sent'] / 1024:>8.1f} {r['raw'] / 1024:>8.1f}"
        )
        if r["socket_errors"]:
            print(f"{'':<52} (wrk: {r['socket_errors']} socket errors)")
    found = []
    served = [r for r in rows if r["variant"] in ("cached", "cookie")]
    if static and served:
        worst = min(served, key=lambda r: r["rps"])
        found.append((
            f"every cached page, and with a made-up cookie, >= {GOAL_CACHED:.2f}x the static file",
            worst["rps"] / static >= GOAL_CACHED,
            f"lowest {worst['rps'] / static:.3f}x ({worst['path']}, {worst['variant']})",
        ))  # fmt: skip
    if program_sizes:
        path, size = max(program_sizes.items(), key=lambda item: item[1])
        found.append((
            f"largest program page < {GOAL_PROGRAM_KB} KB gzip",
            size < GOAL_PROGRAM_KB * 1024,
            f"{size / 1024:.1f} KB ({path})",
        ))  # fmt: skip
    return found


def report_uncached(timings):
    if not timings:
        return []
    print(
        f"\nIn process, a page built (uncached: median of {UNCACHED_RUNS}) and a made-up cookie:\n"
    )
    print(
        f"{'page':<12} {'p50 ms':>8} {'SQL ms':>8} {'queries':>8} {'cookie ms':>10} {'queries':>8}"
    )
    for name, t in timings.items():
        print(
            f"{name:<12} {t.p50_ms:>8.1f} {t.sql_ms:>8.1f} {t.queries:>8} "
            f"{t.cookie_ms:>10.2f} {t.cookie_queries:>8}"
        )
    slowest = max(timings.items(), key=lambda item: item[1].p50_ms)
    misses = [name for name, t in timings.items() if t.cookie_queries]
    return [
        (
            f"no uncached page's p50 above {GOAL_UNCACHED_P50_MS} ms",
            slowest[1].p50_ms <= GOAL_UNCACHED_P50_MS,
            f"highest {slowest[1].p50_ms:.1f} ms ({slowest[0]})",
        ),
        (
            "a made-up session cookie is a cache hit (no query)",
            not misses,
            f"queried: {', '.join(misses)}" if misses else "every page",
        ),
    ]


def print_goals(found):
    print()
    for goal, passed, measured in found:
        print(f"  {'PASS' if passed else 'FAIL'}  {goal}: {measured}")
    return all(passed for _, passed, _ in found)


def main(argv=None):
    args = parse_args(argv)
    ensure_wrk()
    url = scratch_url(args.postgres, DATABASE)
    started = datetime.now(UTC)
    if not args.skip_build:
        print(f"Building {DATABASE} at full scale (benchmarks/scale.py)...", flush=True)
        subprocess.run(
            [sys.executable, "benchmarks/scale.py", "--database", DATABASE,
             "--server", args.postgres],
            cwd=PROJECT_ROOT, check=True,
        )  # fmt: skip
    measured = []
    for config in args.configs:
        print(f"Serving {DATABASE} with {config}...", flush=True)
        with Server(config, url, args.port or free_port()) as server:
            rows = measure(server, args)
            sizes = program_page_sizes(server) if "program" in args.only else {}
        measured.append((config, rows, sizes))
    timings = {} if args.no_uncached else uncached_times(url, args.only)
    print(
        f"\nbenchmarks/pages.py, {started:%Y-%m-%d %H:%M} UTC: {DATABASE}, wrk "
        f"{args.connections} connections x {args.duration} s, {os.cpu_count()} cores"
    )
    found = [goal for config, rows, sizes in measured for goal in report(config, rows, sizes)]
    found += report_uncached(timings)
    passed = print_goals(found)  # every set-up reported, even after one fails
    if args.strict and not passed:
        sys.exit(1)


if __name__ == "__main__":
    main()
