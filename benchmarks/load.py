"""Readers under load while staff import and publish: no error, no inconsistent page.

Run from the project root (not part of the test suite; about two minutes):

    .venv/bin/python benchmarks/load.py                   # 60 s, 32 connections
    .venv/bin/python benchmarks/load.py --duration 20 --connections 8

It builds the scratch PostgreSQL database ``bench_load`` (``benchmarks/scale.py``: 56
places x 100 metrics x 9 published years, 2016-2024, 40,500 figures; it drops and
creates only databases named ``bench*``, never the demo's), serves it with ``python3
dev.py production`` (gunicorn.conf.py, ncmec_site.settings.prod, Redis db 14 or
``--redis``, flushed first, a free port), and for ``--duration`` seconds reads it from
``--connections`` threads, each with its own keep-alive connection (http.client): a fact sheet
(``/states/<a random state>/``) in 7 requests of 10, half of them with a query string
never asked before (which the page cache cannot hold, so the page is built), and the home page, a
program page and a filtered CSV download. Meanwhile, from this process:

1. ``manage.py import_figures`` of a generated file of ``--rows`` (50,000) figures of the
   years before 2016, drafts the import creates (the import's own path, in a subprocess);
2. a publish run: each imported year published with ``programs.publishing.edition_publish``;
3. then, until the time is up, the latest year unpublished and published again every
   ``--toggle-every`` seconds (``edition_unpublish``/``edition_publish``).

Every answer must be a 200; a fact sheet that says "No figures are published for" its
state or "No figures have been published yet" (each state has a figure of every metric
of every published year) is an inconsistent read: the page listed a year it then had no
figures for. Printed: requests, req/s, errors by kind, inconsistent reads, fact sheet
latency (p50, p99), and what the writers did. Goal: 0 errors, 0 inconsistent reads;
``--strict`` exits 1 when either is not met.
"""

import argparse
import csv
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))  # run as a script, benchmarks/ is sys.path[0]

from benchmarks.scale import DEFAULT_SERVER, LAST_YEAR, build, scratch_url  # noqa: E402
from benchmarks.serving import (  # noqa: E402
    BENCH_REDIS_URL,
    HTTPS,
    Server,
    ServerConfig,
    free_port,
)

DATABASE = "bench_load"
PUBLISHED_YEARS = 9  # 2016-2024
INCONSISTENT = (b"No figures are published for", b"No figures have been published yet")
OTHER_PAGES = ("/", "/programs/cybertipline/", "/data/figures.csv?year=2023&state=MN")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=DEFAULT_SERVER, help="The PostgreSQL server.")
    parser.add_argument("--duration", type=int, default=60, help="Seconds of reads.")
    parser.add_argument("--connections", type=int, default=32, help="Reader threads.")
    parser.add_argument("--rows", type=int, default=50_000, help="Rows of the import file.")
    parser.add_argument("--toggle-every", type=float, default=0.5, help="Seconds between toggles.")
    parser.add_argument("--port", type=int, help="Port to serve on (default: a free one).")
    parser.add_argument(
        "--redis", default=BENCH_REDIS_URL, help="The server's cache (flushed first)."
    )
    parser.add_argument("--strict", action="store_true", help="Exit 1 on an error or an "
                        "inconsistent read.")  # fmt: skip
    return parser.parse_args(argv)


def prepare(url, rows, folder):
    """Build the database; every metric collected from the first imported year; the
    import file. (the file's path, its years)."""
    made = build(url, years=PUBLISHED_YEARS, metrics=100, quiet=True)
    from programs.models import Metric
    from programs.models.publication import public_change, public_write
    from states.models import State

    first_published = LAST_YEAR - PUBLISHED_YEARS + 1
    states = list(State.objects.order_by("code").values_list("code", flat=True))
    per_year = sum(
        len(states) if scope == Metric.Scope.STATE else 1
        for scope in Metric.objects.values_list("scope", flat=True)
    )
    count = -(-rows // per_year) + 1  # years needed, rounded up, and one for stopped metrics
    years = list(range(first_published - count, first_published))
    with public_change():
        public_write("the benchmark's metric years")
        Metric.objects.filter(first_year__gt=years[0]).update(first_year=years[0])
    path = Path(folder) / "load-figures.csv"
    rng = random.Random(0)
    written, written_years = 0, set()
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["year", "state", "metric", "value", "source"])
        for year in reversed(years):
            for metric in Metric.objects.order_by("pk"):
                if not metric.collected_in(year):
                    continue
                top = 100 if metric.unit == Metric.Unit.PERCENT else 50_000
                for state in states if metric.scope == Metric.Scope.STATE else ["US"]:
                    if written < rows:
                        writer.writerow([year, state, metric.key, rng.randint(1, top), "Load"])
                        written += 1
                        written_years.add(year)
    print(
        f"{DATABASE}: {made['figures']:,} figures, years {made['years']} published; import "
        f"file of {written:,} rows for {min(written_years)}-{max(written_years)}",
        flush=True,
    )
    return path, sorted(written_years)


class Readers:
    """``connections`` threads reading until ``stop``; what they saw."""

    def __init__(self, port, slugs, connections, stop):
        self.port, self.slugs, self.stop = port, slugs, stop
        self.lock = threading.Lock()
        self.requests = 0
        self.errors = Counter()
        self.inconsistent = []
        self.sheet_ms = []
        self.threads = [
            threading.Thread(target=self.read, args=(n,), daemon=True) for n in range(connections)
        ]

    def start(self):
        for thread in self.threads:
            thread.start()

    def join(self):
        for thread in self.threads:
            thread.join()

    def read(self, n):
        rng = random.Random(n)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        asked = 0
        while not self.stop.is_set():
            sheet = rng.random() < 0.7
            path = f"/states/{rng.choice(self.slugs)}/" if sheet else rng.choice(OTHER_PAGES)
            asked += 1
            if sheet and rng.random() < 0.5:  # built: the page cache cannot hold it
                path += f"?reader={n}-{asked}"
            headers = HTTPS
            start = time.monotonic()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                with self.lock:
                    self.requests += 1
                    self.errors[type(error).__name__] += 1
                continue
            ms = (time.monotonic() - start) * 1000
            with self.lock:
                self.requests += 1
                if status != 200:
                    self.errors[f"HTTP {status}"] += 1
                elif sheet:
                    self.sheet_ms.append(ms)
                    if any(text in body for text in INCONSISTENT):
                        self.inconsistent.append((round(time.monotonic(), 3), path))
        connection.close()


def write(database_url, path, years, stop_at, toggle_every, log):
    """The import (a subprocess), the publish run, then toggles of the latest year."""
    from django.db import connections

    from programs.models import Edition
    from programs.publishing import edition_publish, edition_unpublish

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "ncmec_site.settings.dev",
    }
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", "import_figures", str(path)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    summary = (result.stdout.strip().splitlines() or [""])[-1]
    log["import"] = f"{time.monotonic() - start:.1f} s, exit {result.returncode}: {summary}"
    if result.returncode:
        log["import"] += f"\n{result.stderr[-2000:]}"
    start = time.monotonic()
    published = 0
    for year in years:
        if edition_publish(edition=Edition.objects.get(year=year)):
            published += 1
    log["publish"] = f"{published} years published in {time.monotonic() - start:.1f} s"
    latest = Edition.objects.get(year=LAST_YEAR)
    toggles = 0
    try:
        while time.monotonic() < stop_at:
            edition_unpublish(edition=latest)
            time.sleep(toggle_every / 2)
            edition_publish(edition=latest)
            toggles += 1
            time.sleep(toggle_every / 2)
    finally:
        edition_publish(edition=latest)
        log["toggles"] = f"{toggles} unpublish/publish toggles of {LAST_YEAR}"
        connections.close_all()


def main(argv=None):
    args = parse_args(argv)
    url = scratch_url(args.postgres, DATABASE)
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        path, years = prepare(url, args.rows, folder)
        from django.db import connection

        from states.models import State

        slugs = list(State.objects.values_list("slug", flat=True))
        connection.close()
        port = args.port or free_port()
        with Server(ServerConfig(), url, port, redis_url=args.redis) as server:
            stop, log = threading.Event(), {}
            readers = Readers(port, slugs, args.connections, stop)
            began = time.monotonic()
            readers.start()
            time.sleep(min(3, args.duration / 10))  # reads first, then the writes begin
            writer = threading.Thread(
                target=write,
                args=(url, path, years, began + args.duration - 1, args.toggle_every, log),
            )
            writer.start()
            writer.join(timeout=max(0.0, began + args.duration - time.monotonic()))
            stop.set()
            readers.join()
            elapsed = time.monotonic() - began
            writer.join()
            if readers.errors and "HTTP 500" in readers.errors:
                print(server.output(), file=sys.stderr)
    sheets = sorted(readers.sheet_ms)
    p99 = sheets[int(len(sheets) * 0.99) - 1] if sheets else 0
    print(f"\nbenchmarks/load.py, {started:%Y-%m-%d %H:%M} UTC, {args.connections} connections, "
          f"{elapsed:.0f} s (gunicorn.conf.py defaults)")  # fmt: skip
    print(f"  requests:     {readers.requests:,} ({readers.requests / elapsed:,.1f} req/s)")
    print(f"  errors:       {sum(readers.errors.values())} {dict(readers.errors) or ''}")
    print(f"  inconsistent: {len(readers.inconsistent)} of {len(sheets):,} fact sheets")
    if sheets:
        print(f"  fact sheets:  p50 {statistics.median(sheets):,.0f} ms, p99 {p99:,.0f} ms")
    for what in ("import", "publish", "toggles"):
        print(f"  {what + ':':<13} {log.get(what, 'not reached')}")
    ok = not readers.errors and not readers.inconsistent
    print(f"  goal (0 errors, 0 inconsistent): {'met' if ok else 'NOT met'}")
    if args.strict and not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
