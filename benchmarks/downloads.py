"""How fast, and in how much memory, /data/figures.csv streams a million published figures.

Run from the project root (not part of the test suite):

    .venv/bin/python benchmarks/downloads.py                # 1,000,000 figures
    .venv/bin/python benchmarks/downloads.py --rows 200000  # smaller

The figures go into a scratch SQLite file in a temporary directory (never the demo's
database), removed at the end: 56 jurisdictions x N state metrics x 20 years (2005-2024),
bulk-inserted, every year published. The download is then read through the Django test
client to its last byte, twice: the whole file, and a tenth of it (``?year=2023,2024``).
A constant-memory stream peaks at the same memory for both; the ratio of the two peaks
is printed (tracemalloc, on runs apart from the timed ones, since tracing slows Python
down), with the process's max RSS after each timed run.
"""

import argparse
import gc
import math
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))  # run as a script, benchmarks/ is sys.path[0]

YEARS = range(2005, 2025)
SMALL_QUERY = "year=2023,2024"  # 2 of the 20 years: a tenth of the rows
SOURCE = "Synthetic benchmark data"
MB = 1024 * 1024
INSERT_BATCH = 50_000


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="At least this many figures.")
    args = parser.parse_args(argv)
    if args.rows < 56 * len(YEARS):
        parser.error(f"--rows must be at least {56 * len(YEARS)}.")
    return args


def setup_django(tmp):
    os.environ["DJANGO_SETTINGS_MODULE"] = "ncmec_site.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG would keep every query in memory
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def make_figures(rows):
    """A published program with enough state metrics for ``rows`` figures, and the
    figures, written with executemany (the factories' validation would take hours)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from programs.models import Edition, Figure, Metric, Program, WorkArea
    from programs.models.publication import public_change
    from states.models import State

    program = Program.objects.create(
        name="Benchmark program",
        slug="benchmark-program",
        work_area=WorkArea.EXPLOITATION,
        summary="Synthetic figures for the download benchmark.",
    )
    state_ids = list(State.objects.order_by("code").values_list("pk", flat=True))
    count = math.ceil(rows / (len(state_ids) * len(YEARS)))
    Metric.objects.bulk_create(
        Metric(
            program=program,
            key=f"bench-metric-{i:04d}",
            label=f"Benchmark metric {i}",
            scope=Metric.Scope.STATE,
            unit=Metric.Unit.COUNT,
            position=i,
            first_year=YEARS[0],
        )
        for i in range(1, count + 1)
    )
    metric_ids = list(Metric.objects.values_list("pk", flat=True))
    now = timezone.now()
    table = Figure._meta.db_table
    columns = "metric_id, year, state_id, value, qualifier, source, note, created, updated"
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"

    def generated():
        n = 0
        for year in YEARS:
            for metric_id in metric_ids:
                for state_id in state_ids:
                    n += 1
                    yield (metric_id, year, state_id, n % 9_999_991, "", SOURCE, "", now, now)

    batch = []
    with transaction.atomic(), connection.cursor() as cursor:
        for values in generated():
            batch.append(values)
            if len(batch) == INSERT_BATCH:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    with public_change():
        Edition.objects.bulk_create(Edition(year=year) for year in YEARS)
        Edition.objects.update(status=Edition.Status.PUBLISHED, published_at=now)
        Program.objects.filter(pk=program.pk).update(is_published=True)
    return Figure.objects.published().count(), count


def download(query=""):
    """Read /data/figures.csv to its end through the test client: (lines, bytes)."""
    from django.test import Client

    response = Client().get(f"/data/figures.csv?{query}" if query else "/data/figures.csv")
    assert response.status_code == 200, response.status_code
    assert response.streaming, "the download is not streamed"
    lines = size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    return lines - 1, size  # the header is not a figure


def timed(query):
    gc.collect()
    start = time.perf_counter()
    rows, size = download(query)
    return rows, size, time.perf_counter() - start


def traced_peak(query):
    gc.collect()
    tracemalloc.start()
    try:
        download(query)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def max_rss():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux: kilobytes


def main(argv=None):
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ncmec-bench-downloads-") as tmp:
        setup_django(Path(tmp))
        start = time.perf_counter()
        published, metrics = make_figures(args.rows)
        made = time.perf_counter() - start
        print(
            f"{published:,} published figures = 56 places x {metrics} metrics x "
            f"{len(YEARS)} years, inserted in {made:.1f} s (scratch SQLite file)",
            flush=True,
        )
        download(SMALL_QUERY)  # warm up: imports, first queries
        rss_start = max_rss()
        small_rows, small_size, small_seconds = timed(SMALL_QUERY)
        rss_small = max_rss()
        rows, size, seconds = timed("")
        rss_all = max_rss()
        assert rows == published, f"{rows:,} rows downloaded of {published:,}"
        peak_small = traced_peak(SMALL_QUERY)
        peak_all = traced_peak("")

        from django.db import connection

        connection.close()

    print()
    print(
        f"{'download':<34}  {'rows':>9}  {'MB':>7}  {'seconds':>7}  {'rows/s':>8}  {'peak MB':>7}"
    )
    for label, n, mb, s, peak in (
        (f"/data/figures.csv?{SMALL_QUERY}", small_rows, small_size, small_seconds, peak_small),
        ("/data/figures.csv", rows, size, seconds, peak_all),
    ):
        print(
            f"{label:<34}  {n:>9,}  {mb / MB:>7.1f}  {s:>7.1f}  {n / s:>8,.0f}  {peak / MB:>7.2f}"
        )
    print()
    print(
        f"rows ratio {rows / small_rows:.1f}x; tracemalloc peak ratio "
        f"{peak_all / peak_small:.2f}x (flat is ~1)"
    )
    print(
        f"max RSS: {rss_start / MB:.1f} MB before, {rss_small / MB:.1f} MB after the "
        f"small download, {rss_all / MB:.1f} MB after the whole file"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
