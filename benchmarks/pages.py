"""How fast the public pages serve at full scale, under the production set-up.

Run from the project root (not part of the test suite; takes about five minutes):

    .venv/bin/python benchmarks/pages.py                    # build bench_pages, measure all
    .venv/bin/python benchmarks/pages.py --skip-build --only static,health \\
        --server sync:2:1,gthread:2:4,gthread:2:4:pool      # compare worker set-ups

It builds the scratch PostgreSQL database ``bench_pages`` at full scale
(``benchmarks/scale.py``: 56 places x 100 metrics x 20 published years, 90,000 figures;
``--skip-build`` reuses it), starts ``python3 dev.py production`` on it (gunicorn with
gunicorn.conf.py, ncmec_site.settings.prod, Redis db 14, flushed before each start) on a
free port, waits for /health/, and measures with wrk (``--connections`` 32, 2 threads,
``--duration`` 10 s each): a static CSS file, /health/ (one query), and each public page
type twice: "cached", an anonymous reader whose Accept-Encoding is a browser's (gzip,
deflate, br: the page cache and WhiteNoise answer Brotli), after a warm-up request (the
page cache serves those), and "uncached", the same with a session cookie (which the
page cache bypasses: a staff member out of preview, whose session public pages do not
read without the preview marker, ncmec_site/preview.py). Every request says
``X-Forwarded-Proto: https``, as a TLS proxy in front would, so that prod's HTTPS
redirect is not what is measured; a page that answers anything but 2xx stops the run.

Printed per server set-up: req/s, p99 latency, the ratio to the static file's req/s,
the bytes of one response (as sent, and raw), and, measured in this process
against the same database with production settings and the cache bypassed, the SQL time
of one request (``connection.execute_wrapper``, the median of 5; a streamed download's
rows fetched after the query are not in it) with its query count, and "built": the SQL
of the first request of a publication version (the median of 3), which builds what
pages read once per version (this process's own Redis db 15, emptied first). Then the
goals, pass or fail: the SQL goal is each uncached request's; a version's build is
paid once per publication, and printed. ``--strict`` exits 1 when one fails.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import time
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
SQL_RUNS = 5
BUILD_RUNS = 3

# The in-process SQL timing's own cache, so that its first request builds its version.
SQL_REDIS_URL = "redis://127.0.0.1:6379/15"

GOAL_CACHED = 0.90  # every cached page, of the static file's req/s
GOAL_FACT_SHEET = 0.40  # the uncached fact sheet, of /health/'s req/s
GOAL_SQL_MS = 10
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
    parser.add_argument("--no-sql", action="store_true", help="Skip the SQL timing.")
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

    The static file, /health/ and every cached page first, then the uncached pages,
    each after the server has finished what the run before left it: wrk stops
    waiting when its time is up, but the workers still render what was asked.
    """
    run = {"duration": args.duration, "connections": args.connections}
    targets = [("static", server.static_css()), ("health", "/health/"), *PAGES.items()]
    chosen = [(name, path) for name, path in targets if name in args.only]
    plan = [(n, p, "", BROWSER) for n, p in chosen if n in ("static", "health")]
    plan += [(n, p, "cached", BROWSER) for n, p in chosen if n in PAGES]
    plan += [(n, p, "uncached", {**BROWSER, **SESSION}) for n, p in chosen if n in PAGES]
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
        if variant == "uncached":
            wait_until_idle(server)
    return rows


def wait_until_idle(server, *, quick_ms=50, in_a_row=5, timeout=120):
    """Until /health/ answers quickly ``in_a_row`` times running (or ``timeout`` seconds).
    A worker thread may answer /health/ while the others still render what the run
    before left (the program page's backlog took seconds): hence the first second's
    pause and five answers, not three."""
    time.sleep(1)
    deadline, quick = time.monotonic() + timeout, 0
    while quick < in_a_row and time.monotonic() < deadline:
        start = time.monotonic()
        fetch(server.base + "/health/", HTTPS)
        quick = quick + 1 if (time.monotonic() - start) * 1000 < quick_ms else 0
        time.sleep(0.2)


def program_page_sizes(server):
    """{address: gzip bytes} of every public program page."""
    import json

    _, _, body = fetch(server.base + "/api/v1/programs/?page_size=1000", {**HTTPS, **GZIP})
    sizes = {}
    for program in json.loads(body)["results"]:
        path = f"/programs/{program['slug']}/"
        sizes[path] = check(server.base + path, GZIP)[0]
    return sizes


def sql_times(database_url, only):
    """{page name: (median ms of SQL, queries, ms of SQL of the first request)} for one
    request, the page cache bypassed. The first request of a publication version builds
    what a page reads once per version (a fact sheet, the sitemap): this process has a
    Redis database of its own, emptied first, so its first request is such a build."""
    import redis

    redis.Redis.from_url(SQL_REDIS_URL).flushdb()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ncmec_site.settings.prod",
        DATABASE_URL=database_url,
        DJANGO_REDIS_URL=SQL_REDIS_URL,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SITE_URL="https://testserver/",
        DJANGO_DB_POOL="0",
        DJANGO_BEHIND_PROXY="true",  # believe the X-Forwarded-Proto each request sends
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_ENCODING="gzip")
    client.cookies["sessionid"] = "benchmark"  # as the uncached runs: no page cache

    def run(path):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            response = client.get(path)
            if response.streaming:
                for _chunk in response.streaming_content:
                    pass
        if not 200 <= response.status_code < 300:
            raise SystemExit(f"{path} answered {response.status_code} in-process.")
        return timer.seconds * 1000, timer.queries

    timings = {}
    for name, path in [("health", "/health/"), *PAGES.items()]:
        if name not in only:
            continue
        run(path)  # warms the connection and the database's buffers
        builds = []
        for _ in range(BUILD_RUNS):
            forget_versioned()
            builds.append(run(path)[0])  # the first request of a version
        runs = [run(path) for _ in range(SQL_RUNS)]
        timings[name] = (
            statistics.median(ms for ms, _ in runs),
            runs[-1][1],
            statistics.median(builds),
        )
    connection.close()
    return timings


def forget_versioned():
    """As if a new publication version had just been made: what pages read once per
    version is gone from this process's cache and memory."""
    from django.core.cache import cache

    from programs.models import Publication
    from programs.reader import versioned

    cache.clear()  # SQL_REDIS_URL: this process's own
    versioned.local.clear()
    Publication.forget_recent()


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


def report(config, rows, sql, program_sizes):
    static = next((r["rps"] for r in rows if r["name"] == "static"), None)
    print(f"\n{config}\n")
    header = f"{'page':<52} {'variant':<9} {'req/s':>8} {'p99 ms':>8} {'x static':>9}"
    print(header + f" {'KB sent':>8} {'KB raw':>8} {'SQL ms':>7} {'queries':>7} {'built':>7}")
    for r in rows:
        ratio = f"{r['rps'] / static:.3f}" if static else "-"
        # SQL is measured with the cache bypassed: it belongs to the uncached rows.
        ms, queries, built = (
            sql.get(r["name"], (None,) * 3) if r["variant"] != "cached" else (None,) * 3
        )
        print(
            f"{r['path'][:52]:<52} {r['variant'] or '-':<9} {r['rps']:>8,.0f} "
            f"{r['p99_ms']:>8.1f} {ratio:>9} {r['sent'] / 1024:>8.1f} {r['raw'] / 1024:>8.1f} "
            f"{'-' if ms is None else f'{ms:.1f}':>7} {'-' if queries is None else queries:>7} "
            f"{'-' if built is None else f'{built:.1f}':>7}"
        )
        if r["socket_errors"]:
            print(f"{'':<52} (wrk: {r['socket_errors']} socket errors)")
    return goals(rows, sql, program_sizes, static)


def goals(rows, sql, program_sizes, static):
    """[(goal, passed or None when not measured, what was measured)]."""
    found = []
    cached = [r for r in rows if r["variant"] == "cached"]
    if static and cached:
        worst = min(cached, key=lambda r: r["rps"])
        found.append((
            f"every cached page >= {GOAL_CACHED:.2f}x the static file",
            worst["rps"] / static >= GOAL_CACHED,
            f"lowest {worst['rps'] / static:.3f}x ({worst['path']})",
        ))  # fmt: skip
    health = next((r["rps"] for r in rows if r["name"] == "health"), None)
    sheet = next(
        (r for r in rows if r["name"] == "fact-sheet" and r["variant"] == "uncached"), None
    )
    if health and sheet:
        ratio = sheet["rps"] / health
        found.append((
            f"uncached fact sheet >= {GOAL_FACT_SHEET:.2f}x /health/",
            ratio >= GOAL_FACT_SHEET,
            f"{ratio:.3f}x ({sheet['rps']:,.0f} vs {health:,.0f} req/s)",
        ))  # fmt: skip
    if sql:
        # A page's SQL as every reader the page cache does not answer pays it. What a
        # version's first request builds once for every page after it is printed beside
        # it ("built"), not held to the goal: it is paid once per publication.
        name, (ms, _, built) = max(sql.items(), key=lambda item: item[1][0])
        slowest_build = max(sql.items(), key=lambda item: item[1][2])
        found.append((f"no page above {GOAL_SQL_MS} ms of SQL", ms <= GOAL_SQL_MS,
                      f"highest {ms:.1f} ms ({name}); built once per version: at most "
                      f"{slowest_build[1][2]:.1f} ms ({slowest_build[0]})"))  # fmt: skip
    if program_sizes:
        path, size = max(program_sizes.items(), key=lambda item: item[1])
        found.append((
            f"largest program page < {GOAL_PROGRAM_KB} KB gzip",
            size < GOAL_PROGRAM_KB * 1024,
            f"{size / 1024:.1f} KB ({path})",
        ))  # fmt: skip
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
    sql = {} if args.no_sql else sql_times(url, args.only)
    print(
        f"\nbenchmarks/pages.py, {started:%Y-%m-%d %H:%M} UTC: {DATABASE}, wrk "
        f"{args.connections} connections x {args.duration} s, {os.cpu_count()} cores"
    )
    results = [report(config, rows, sql, sizes) for config, rows, sizes in measured]
    passed = all(results)  # every set-up reported, even after one fails
    if args.strict and not passed:
        sys.exit(1)


if __name__ == "__main__":
    main()
