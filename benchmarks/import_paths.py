"""The four import paths benchmarks/import_figures.py times (the project's import, its
re-import, stock django-import-export, the COPY or INSERT floor), each checked for what
it wrote, and the memory of the project's import: tracemalloc, max RSS, cProfile."""

import cProfile
import csv
import gc
import io
import pstats
import resource
import sys
import time
import tracemalloc
from dataclasses import dataclass

from benchmarks.import_workload import empty_figures, figure_count, resolved_rows
from benchmarks.scale import SOURCE


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


def time_preview(data, tmp, rows=50_000):
    """The admin's import preview (a dry run of figures_import) of the file's first
    ``rows`` rows, over the figures already saved: (without the checks, with them, how
    many flags). The random values make about a third of the rows jump: the checks'
    worst case, a flag to write for each."""
    from programs.figure_files import read_table
    from programs.importing import figures_import

    path = tmp / "figures-preview.csv"
    with data.path.open(encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        for n, line in enumerate(source):
            if n > rows:  # the header, then ``rows`` rows
                break
            out.write(line)
    raw = path.read_bytes()

    def preview(checks):
        table = read_table(raw, file_name=path.name)
        return figures_import(table=table, file_name=path.name, dry_run=True, checks=checks)

    timings = []
    for checks in (False, True):
        report, seconds = timed(preview, checks)
        _expect(report.ok and report.unchanged == rows, f"preview: {report.summary()}")
        label = f"5. preview (dry run), {'with' if checks else 'without'} the checks"
        timings.append(Timing(label, rows, seconds))
    return (*timings, len(report.flags))


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
