"""A scratch PostgreSQL database at the scale a mature site reaches, for benchmarks.

Run from the project root (not part of the test suite):

    .venv/bin/python benchmarks/scale.py                        # bench_scale, 20 years
    .venv/bin/python benchmarks/scale.py --database bench_x --years 2

``build()`` drops and creates the database (only one named ``bench*``: never the demo's),
migrates, loads the demo catalogue (``manage.py load_demo_data``), then ``fill()`` adds
synthetic metrics up to ``metrics`` (a fifth national, the rest state-level, spread over
the demo's programs), an edition per year ending 2024, every one published, and a figure
for each metric, place and year: 56 places x 80 state metrics x 20 years plus 20
national metrics x 20 years, 90,000 figures. Everything public is written inside
``public_change()``, in bulk (the figures' validation one by one would take minutes),
then the tables are analysed so the planner sees the real sizes.

``fill()`` works on whatever database Django is connected to, so a test can build a small
version of the same data on its own test database.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))  # run as a script, benchmarks/ is sys.path[0]

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
LAST_YEAR = 2024
NATIONAL_SHARE = 0.2  # of the metrics: 20 of 100, as NCMEC's fact sheets run
SYNTHETIC_PREFIX = "synthetic-"
SOURCE = "Synthetic benchmark data"
BATCH = 5_000


def scratch_url(server: str, database: str) -> str:
    """The address of ``database`` on ``server``; refuses any name but ``bench*``."""
    if not database.startswith("bench"):
        raise SystemExit(f"Refusing {database!r}: benchmarks use only databases named bench*.")
    return urlunsplit(urlsplit(server)._replace(path="/" + database))


def build(url: str, *, years: int = 20, metrics: int = 100, quiet: bool = False) -> dict:
    """Drop and create the database at ``url`` (named bench*), migrate, load the demo and
    fill it; what was made. Sets up Django against it in this process."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    scratch_url(url, name)  # refuses anything but bench*
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncmec_site.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG would keep every query in memory
    import django
    from django.core.management import call_command

    django.setup()
    verbosity = 0 if quiet else 1
    call_command("migrate", verbosity=verbosity, interactive=False)
    call_command("load_demo_data", verbosity=verbosity)
    return fill(years=years, metrics=metrics)


def fill(*, years: int = 20, metrics: int = 100, seed: int = 0) -> dict:
    """Add synthetic metrics up to ``metrics``, published editions for the ``years`` years
    ending 2024 and a figure per metric, place and year to the current database (the demo
    is loaded first if missing); then ANALYZE. What it made, as counts."""
    from django.db import connection
    from django.utils import timezone

    from programs.demo import demo_data_load
    from programs.models import Edition, Figure, Metric
    from programs.models.publication import public_change, public_write
    from states.models import State

    if not 1 <= years <= LAST_YEAR - 1984 + 1:
        raise ValueError(f"years must be from 1 to {LAST_YEAR - 1984 + 1}")
    # build() loaded the whole demo; the seed is enough here. Forced: a second fill() finds
    # the first one's metrics, which the demo would otherwise take for staff's and refuse.
    demo_data_load(seed_only=True, force=True)
    span = range(LAST_YEAR - years + 1, LAST_YEAR + 1)
    now = timezone.now()
    rng = random.Random(seed)
    with public_change():  # the system's own doing, as set-up is
        public_write("the benchmark's figures")  # bulk writes bypass save(): say so
        # The demo's metrics start in 2023; at scale every metric runs the whole span.
        Metric.objects.filter(first_year__gt=span[0]).update(first_year=span[0])
        metrics_added = _add_metrics(metrics, span[0])
        existing = set(Edition.objects.values_list("year", flat=True))
        Edition.objects.bulk_create(
            Edition(year=year, status=Edition.Status.PUBLISHED, published_at=now)
            for year in span
            if year not in existing
        )
        Edition.objects.filter(year__in=span, published_at=None).update(
            status=Edition.Status.PUBLISHED, published_at=now
        )

        have = set(Figure.objects.values_list("metric_id", "year", "state_id"))
        states = list(State.objects.order_by("code").values_list("pk", flat=True))
        figures = (
            Figure(
                metric_id=metric.pk,
                year=year,
                state_id=state,
                value=_value(metric, rng),
                source=SOURCE,
            )
            for metric in Metric.objects.order_by("pk")
            for year in span
            if metric.collected_in(year)
            for state in (states if metric.scope == Metric.Scope.STATE else [None])
            if (metric.pk, year, state) not in have
        )
        created = 0
        batch = []
        for figure in figures:
            batch.append(figure)
            if len(batch) == BATCH:
                created += len(Figure.objects.bulk_create(batch))
                batch.clear()
        created += len(Figure.objects.bulk_create(batch))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "years": f"{span[0]}-{span[-1]}",
        "metrics": Metric.objects.count(),
        "metrics_added": metrics_added,
        "figures": Figure.objects.count(),
        "figures_added": created,
    }


def _add_metrics(total, first_year):
    """Synthetic metrics, round-robin over the demo's programs, so that ``total`` metrics
    exist with a fifth of them national; how many were added."""
    from programs.models import Metric, Program

    programs = list(Program.objects.order_by("work_area", "position", "pk"))
    want_national = round(total * NATIONAL_SHARE)
    have_national = Metric.objects.filter(scope=Metric.Scope.NATIONAL).count()
    have_state = Metric.objects.filter(scope=Metric.Scope.STATE).count()
    national = max(want_national, have_national)
    scopes = [Metric.Scope.NATIONAL] * (national - have_national) + [Metric.Scope.STATE] * max(
        0, total - national - have_state
    )
    start = Metric.objects.filter(key__startswith=SYNTHETIC_PREFIX).count()
    added = []
    for n, scope in enumerate(scopes, start + 1):
        where = " in {state}" if scope == Metric.Scope.STATE else ""
        added.append(
            Metric(
                program=programs[n % len(programs)],
                key=f"{SYNTHETIC_PREFIX}{n:03d}",
                label=f"Synthetic metric {n}",
                scope=scope,
                unit=Metric.Unit.COUNT,
                first_year=first_year,
                definition="A synthetic figure of the benchmarks, counted each year.",
                sentence=f"In {{year}}, {{value}} synthetic cases were counted{where}.",
                position=100 + n,
            )
        )
    Metric.objects.bulk_create(added)
    return len(added)


def _value(metric, rng):
    if metric.unit == metric.Unit.PERCENT:
        return rng.randint(0, 100)
    return rng.randint(1, 50_000)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bench_scale", help="A name starting bench.")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL server address.")
    parser.add_argument("--years", type=int, default=20, help="Years ending 2024 (1-41).")
    parser.add_argument("--metrics", type=int, default=100, help="Metrics in all.")
    args = parser.parse_args(argv)
    url = scratch_url(args.server, args.database)
    start = time.perf_counter()
    made = build(url, years=args.years, metrics=args.metrics, quiet=True)
    seconds = time.perf_counter() - start
    print(
        f"{args.database}: {made['figures']:,} figures ({made['figures_added']:,} added), "
        f"{made['metrics']} metrics, years {made['years']}, all published; {seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
