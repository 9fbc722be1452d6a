"""What benchmarks/import_figures.py imports into: its scratch database (PostgreSQL,
created and dropped around the run, or a temporary SQLite file), Django set up on it,
and the synthetic file of figures with the program and metrics it names."""

import csv
import os
import random
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmarks.scale import SOURCE

FIRST_YEAR = 2007


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
