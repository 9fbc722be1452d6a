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
   ``executemany`` INSERT);
5. the admin's preview (a dry run) of the file's first 50,000 rows over the saved
   figures, without and with the checks that flag a wrong number (programs/figure_checks).

Memory: the tracemalloc peaks of one more import and re-import (run apart from the
timed ones, since tracing slows Python down), and the process's max RSS after the
timed import and re-import. The memory goal applies to the higher of each.
"""

import argparse
import gc
import signal
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))  # run as a script, benchmarks/ is sys.path[0]

from benchmarks.import_paths import (  # noqa: E402
    max_rss_bytes,
    memory_of_project_import,
    profile_project_import,
    time_floor,
    time_preview,
    time_project,
    time_reimport,
    time_stock,
)
from benchmarks.import_workload import make_data, scratch_database, setup_django  # noqa: E402
from benchmarks.scale import DEFAULT_SERVER as DEFAULT_DATABASE_URL  # noqa: E402

MB = 1024 * 1024

GOAL_STOCK_RATIO = 20  # ours at least 20x the rate of the stock resource
GOAL_COPY_RATIO = 5  # ours at most 5x the time of the COPY floor
GOAL_MEMORY_MB = 300
GOAL_CHECKS_RATIO = 1.5  # the preview of 50,000 rows with the checks, against without


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


# The report ----------------------------------------------------------------------------


def print_report(database, data, timings, peaks, rss_before, rss_after, preview):
    ours, again, stock, floor = timings
    unchecked, checked, flags = preview
    timings = [*timings, unchecked, checked]
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
    checks_ratio = checked.seconds / unchecked.seconds
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
            f"preview of {checked.rows:,} rows, checks",
            f"{checks_ratio:.2f}x the time without ({flags:,} flags)",
            f"<= {GOAL_CHECKS_RATIO}x",
            checks_ratio <= GOAL_CHECKS_RATIO,
        ),
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
            preview = time_preview(data, tmp, rows=min(50_000, data.rows))
            peaks = memory_of_project_import(data)
            profile = profile_project_import(data) if args.profile else ""
            stock = time_stock(data, tmp, sample)
            floor = time_floor(data)

            ok = print_report(
                database, data, [ours, again, stock, floor], peaks, rss_before, rss_after, preview
            )
            if profile:
                print("cProfile of one project import into an empty table:")
                print(profile)
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
