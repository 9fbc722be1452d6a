"""How fast, and in how much memory, a year-by-year file of figures imports.

Run from the project root:

    .venv/bin/python benchmarks/import_figures.py            # PostgreSQL, 127.0.0.1:5432
    .venv/bin/python benchmarks/import_figures.py --sqlite   # a temporary SQLite file

Options: ``--database-url`` (the server; a scratch database ``ncmec_bench`` is created
on it and dropped at the end, also on error), ``--years`` and ``--metrics`` to run
smaller, ``--stock-rows N|all`` (the stock import is timed on a 5,000-row sample by
default and its rate extrapolated), ``--profile`` (cProfile of one more project import),
``--strict`` (exit 1 when a goal is missed; otherwise the report always exits 0).

The synthetic data is 56 jurisdictions x 100 state metrics x 18 years (2007-2024):
100,800 figures. Four paths are timed, each into an empty figures table except the
re-import:

1. ours: ``read_table(bytes)`` + ``figures_import(table=...)``, file read included;
2. ours again on the same, unchanged file (nothing to write);
3. django-import-export out of the box: a bare ``ModelResource`` for ``Figure``,
   ``tablib`` loading a CSV of FK ids, ``import_data(dataset, dry_run=False)``;
4. the floor: PostgreSQL ``COPY`` of the rows with ids already resolved (on SQLite,
   ``executemany`` INSERT).

Memory: the tracemalloc peaks of one more import and re-import (run apart from the
timed ones, since tracing slows Python down), and the process's max RSS after the
timed import and re-import. The memory goal applies to the higher of each.
"""

import argparse
import cProfile
import csv
import gc
import io
import os
import pstats
import random
import resource
import signal
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))  # run as a script, benchmarks/ is sys.path[0]

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
FIRST_YEAR = 2007
SOURCE = "Synthetic benchmark data"
MB = 1024 * 1024

GOAL_STOCK_RATIO = 20  # ours at least 20x the rate of the stock resource
GOAL_COPY_RATIO = 5  # ours at most 5x the time of the COPY floor
GOAL_MEMORY_MB = 300


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL server to create the scratch database on (default: %(default)s).",
    )
    parser.add_argument(
        "--scratch-db", default="ncmec_bench", help="Name of the scratch database."
    )
    parser.add_argument("--sqlite", action="store_true", help="Use a temporary SQLite file.")
    parser.add_argument("--years", type=int, default=18, help="Years from 2007 (1-18).")
    parser.add_argument("--metrics", type=int, default=100, help="State metrics (1-999).")
    parser.add_argument(
        "--stock-rows",
        default="5000",
        help="Rows for the stock django-import-export import, or 'all' (default: 5000).",
    )
    parser.add_argument("--seed", type=int, default=0, help="Seed for the random values.")
    parser.add_argument(
        "--profile", action="store_true", help="Print a cProfile of one more project import."
    )
    parser.add_argument("--strict", action="store_true", help="Exit 1 if a goal is missed.")
    args = parser.parse_args(argv)
    if not 1 <= args.years <= 18:
        parser.error("--years must be from 1 to 18.")
    if not 1 <= args.metrics <= 999:
        parser.error("--metrics must be from 1 to 999.")
    if args.stock_rows != "all" and not (args.stock_rows.isdigit() and int(args.stock_rows)):
        parser.error("--stock-rows must be a positive number or 'all'.")
    return args


# The scratch database ----------------------------------------------------------------


@contextmanager
def scratch_database(args, tmp):
    """Point Django at a database of our own, and remove it afterwards, even on error."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "ncmec_site.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG would keep every query in memory
    if args.sqlite:
        os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SQLITE_PATH"] = str(tmp / "bench.sqlite3")
        try:
            yield "SQLite (temporary file, removed afterwards)"
        finally:
            _close_django_connections()
        return

    import psycopg
    from psycopg import sql

    server = urlsplit(args.database_url)
    if args.scratch_db == server.path.lstrip("/"):
        raise SystemExit(
            f"The scratch database may not be the one in --database-url ({args.scratch_db})."
        )
    admin = psycopg.connect(args.database_url, autocommit=True)
    name = sql.Identifier(args.scratch_db)
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))
    except psycopg.errors.DuplicateDatabase:
        admin.close()
        raise SystemExit(
            f"Database {args.scratch_db} already exists (left by an interrupted run?). "
            f"Drop it with `dropdb {args.scratch_db}`, or pass --scratch-db another_name."
        ) from None
    os.environ["DATABASE_URL"] = urlunsplit(server._replace(path="/" + args.scratch_db))
    try:
        version = admin.execute("SHOW server_version").fetchone()[0]
        yield f"PostgreSQL {version} (scratch database {args.scratch_db}, dropped afterwards)"
    finally:
        _close_django_connections()
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.close()


def _close_django_connections():
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def setup_django():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


# Synthetic data ------------------------------------------------------------------------


@dataclass
class Data:
    path: Path  # the file in the import format
    rows: int
    years: range
    metrics: int
    places: int


def make_data(args, tmp):
    """A program, its state metrics, and a CSV with a figure for each of them."""
    from programs.models import Metric, Program, WorkArea
    from states.models import State

    program = Program.objects.create(
        name="Benchmark program",
        slug="benchmark-program",
        work_area=WorkArea.EXPLOITATION,
        summary="Synthetic figures for the import benchmark.",
    )
    keys = [f"bench-metric-{i:03d}" for i in range(1, args.metrics + 1)]
    years = range(FIRST_YEAR, FIRST_YEAR + args.years)
    Metric.objects.bulk_create(
        Metric(
            program=program,
            key=key,
            label=f"Benchmark metric {i}",
            scope=Metric.Scope.STATE,
            unit=Metric.Unit.COUNT,
            position=i,
            first_year=years[0],
        )
        for i, key in enumerate(keys, 1)
    )
    codes = list(State.objects.order_by("code").values_list("code", flat=True))
    rng = random.Random(args.seed)
    path = tmp / "figures.csv"
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["year", "state", "metric", "value", "qualifier", "source", "note"])
        for year in years:
            for key in keys:
                for code in codes:
                    writer.writerow([year, code, key, rng.randint(0, 9_999_999), "", SOURCE, ""])
                    rows += 1
    return Data(path=path, rows=rows, years=years, metrics=len(keys), places=len(codes))


def resolved_rows(data, limit=None):
    """The file's rows with metric and state ids: (metric_id, year, state_id, value)."""
    from programs.models import Metric
    from states.models import State

    metric_ids = dict(Metric.objects.values_list("key", "pk"))
    state_ids = dict(State.objects.values_list("code", "pk"))
    with data.path.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        next(reader)
        rows = []
        for year, state, metric, value, *_ in reader:
            if limit is not None and len(rows) >= limit:
                break
            rows.append((metric_ids[metric], int(year), state_ids[state], Decimal(value)))
    return rows


def empty_figures():
    from django.db import connection

    from programs.models import Figure, PendingChange

    table = Figure._meta.db_table
    pending = PendingChange._meta.db_table  # refers to figures (empty in the benchmark)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table}, {pending} RESTART IDENTITY")
        else:
            cursor.execute(f"DELETE FROM {pending}")
            cursor.execute(f"DELETE FROM {table}")


def figure_count():
    from programs.models import Figure

    return Figure.objects.count()


# The four paths ------------------------------------------------------------------------


@dataclass
class Timing:
    label: str
    rows: int
    seconds: float
    note: str = ""

    @property
    def rate(self):
        return self.rows / self.seconds


def project_import(data):
    """Our import, as the admin and the command run it: bytes in, report out."""
    from programs.figure_files import read_table
    from programs.importing import figures_import

    raw = data.path.read_bytes()
    table = read_table(raw, file_name=data.path.name)
    return figures_import(table=table, file_name=data.path.name)


def timed(function, *args):
    gc.collect()
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def time_project(data):
    report, seconds = timed(project_import, data)
    _expect(report.ok and report.created == data.rows, f"first import: {report.summary()}")
    _expect(figure_count() == data.rows, "first import: figures missing in the table")
    _expect(history_count(since=report) >= data.rows, "first import: history rows missing")
    return Timing("1. project import (read_table + figures_import)", data.rows, seconds)


def history_count(since):
    """History rows the import wrote (one per figure, with the file's name as reason)."""
    from programs.models import Figure

    return Figure.history.filter(
        history_type="+", history_change_reason=f"Imported from {since.file_name}"
    ).count()


def time_reimport(data):
    report, seconds = timed(project_import, data)
    _expect(report.ok and report.unchanged == data.rows, f"re-import: {report.summary()}")
    return Timing("2. project re-import, same file (all unchanged)", data.rows, seconds)


def memory_of_project_import(data):
    """tracemalloc's peaks, in bytes, for an import into an empty table and its re-import."""
    empty_figures()
    peaks = []
    for expected in ("created", "unchanged"):
        gc.collect()
        tracemalloc.start()
        try:
            report = project_import(data)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        _expect(
            report.ok and getattr(report, expected) == data.rows,
            f"traced import: {report.summary()}",
        )
        peaks.append(peak)
    return peaks


def profile_project_import(data):
    empty_figures()
    profiler = cProfile.Profile()
    profiler.enable()
    project_import(data)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)
    return out.getvalue()


def time_stock(data, tmp, sample):
    """django-import-export as a new user gets it: a bare ModelResource, default options."""
    import tablib
    from import_export.resources import ModelResource

    from programs.models import Figure

    class StockResource(ModelResource):
        class Meta:
            model = Figure

    rows = resolved_rows(data, limit=sample)
    path = tmp / "figures-stock.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["metric", "year", "state", "value", "qualifier", "source", "note"])
        writer.writerows((m, y, s, v, "", SOURCE, "") for m, y, s, v in rows)
    del rows

    def run():
        dataset = tablib.Dataset().load(path.read_text(encoding="utf-8"), format="csv")
        return len(dataset), StockResource().import_data(dataset, dry_run=False)

    empty_figures()
    (count, result), seconds = timed(run)
    _expect(
        not result.has_errors() and not result.has_validation_errors(),
        "stock import reported errors",
    )
    _expect(figure_count() == count, "stock import: figures missing in the table")
    note = "" if count == data.rows else f"sample; rate extrapolated to {data.rows:,} rows"
    return Timing("3. stock ModelResource.import_data (tablib)", count, seconds, note)


def time_floor(data):
    """The database's own speed: the same rows, ids resolved beforehand, written raw."""
    from django.db import connection, transaction
    from django.utils import timezone

    from programs.models import Figure

    now = timezone.now()
    rows = [(m, y, s, v, "", SOURCE, "", now, now, None) for m, y, s, v in resolved_rows(data)]
    columns = (
        "metric_id, year, state_id, value, qualifier, source, note, created, updated, "
        "updated_by_id"
    )
    table = Figure._meta.db_table
    empty_figures()

    def copy():
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(sql) as stream,  # the psycopg cursor under Django's wrapper
        ):
            for row in rows:
                stream.write_row(row)

    def insert():
        placeholders = ", ".join(["%s"] * 10)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)

    if connection.vendor == "postgresql":
        _, seconds = timed(copy)
        label = "4. floor: PostgreSQL COPY, ids resolved"
    else:
        _, seconds = timed(insert)
        label = "4. floor: SQLite executemany INSERT, ids resolved"
    _expect(figure_count() == data.rows, "floor: figures missing in the table")
    return Timing(label, data.rows, seconds)


def _expect(condition, message):
    if not condition:
        raise RuntimeError(f"Benchmark run went wrong: {message}")


def max_rss_bytes():
    # Linux reports ru_maxrss in kilobytes, macOS in bytes.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


# The report ----------------------------------------------------------------------------


def print_report(database, data, timings, peaks, rss_before, rss_after):
    ours, again, stock, floor = timings
    size = data.path.stat().st_size / 1_000_000
    print()
    print(f"Figure import benchmark: {database}")
    print("(the project's import includes writing a history row per figure it saves)")
    print(
        f"{data.rows:,} rows = {data.places} places x {data.metrics} metrics x "
        f"{len(data.years)} years ({data.years[0]}-{data.years[-1]}); CSV {size:.1f} MB"
    )
    print()
    width = max(len(t.label) for t in timings)
    print(f"{'path':<{width}}  {'rows':>9}  {'seconds':>9}  {'rows/s':>9}")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 9}  {'-' * 9}")
    for t in timings:
        print(f"{t.label:<{width}}  {t.rows:>9,}  {t.seconds:>9.3f}  {t.rate:>9,.0f}")
        if t.note:
            print(f"{'':<{width}}    ({t.note}: ~{data.rows / t.rate:,.0f} s)")
    print()

    stock_ratio = ours.rate / stock.rate
    floor_ratio = ours.seconds / floor.seconds
    again_ratio = again.seconds / ours.seconds
    first_mb, again_mb = (peak / MB for peak in peaks)
    peak_mb, rss_mb = max(first_mb, again_mb), rss_after / MB
    floor_name = "COPY" if "COPY" in floor.label else "executemany floor"
    extrapolated = " (stock rate from a sample)" if stock.note else ""
    goals = [
        (
            "project vs stock",
            f"{stock_ratio:,.1f}x faster{extrapolated}",
            f">= {GOAL_STOCK_RATIO}x",
            stock_ratio >= GOAL_STOCK_RATIO,
        ),
        (
            f"project vs {floor_name}",
            f"{floor_ratio:.2f}x the time",
            f"<= {GOAL_COPY_RATIO}x",
            floor_ratio <= GOAL_COPY_RATIO,
        ),
        ("re-import vs first import", f"{again_ratio:.2f}x the time", "< 1x", again_ratio < 1),
        (
            "peak memory (tracemalloc)",
            f"{first_mb:,.1f} MB first import, {again_mb:,.1f} MB re-import",
            f"< {GOAL_MEMORY_MB} MB",
            peak_mb < GOAL_MEMORY_MB,
        ),
        (
            "max RSS of the process",
            f"{rss_mb:,.1f} MB after both (before them: {rss_before / MB:,.1f} MB)",
            f"< {GOAL_MEMORY_MB} MB",
            rss_mb < GOAL_MEMORY_MB,
        ),
    ]
    width = max(len(g[0]) for g in goals)
    measured = max(len(g[1]) for g in goals)
    print(f"{'goal':<{width}}  {'measured':<{measured}}  {'target':<9}  result")
    print(f"{'-' * width}  {'-' * measured}  {'-' * 9}  ------")
    for name, value, target, ok in goals:
        print(f"{name:<{width}}  {value:<{measured}}  {target:<9}  {'PASS' if ok else 'FAIL'}")
    print()
    return all(ok for *_, ok in goals)


def _stop(signum, frame):
    raise SystemExit(f"Stopped by signal {signum}.")  # unwinds, so the scratch db is dropped


def main(argv=None):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)  # also when started in the background, where it is ignored
    with tempfile.TemporaryDirectory(prefix="ncmec-bench-") as tmp:
        tmp = Path(tmp)
        with scratch_database(args, tmp) as database:
            setup_django()
            data = make_data(args, tmp)
            sample = data.rows if args.stock_rows == "all" else int(args.stock_rows)
            print(f"Timing {data.rows:,} rows on {database} ...", flush=True)

            gc.collect()
            rss_before = max_rss_bytes()
            ours = time_project(data)
            again = time_reimport(data)
            rss_after = max_rss_bytes()
            peaks = memory_of_project_import(data)
            profile = profile_project_import(data) if args.profile else ""
            stock = time_stock(data, tmp, sample)
            floor = time_floor(data)

            ok = print_report(
                database, data, [ours, again, stock, floor], peaks, rss_before, rss_after
            )
            if profile:
                print("cProfile of one project import into an empty table:")
                print(profile)
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
