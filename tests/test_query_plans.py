"""No public page scans the figures table in full, and its SQL is the same at 2 and 20 years.

PostgreSQL only: SQLite's planner says nothing about what PostgreSQL will do with ~100,000
figures. The data is built once for the module, inside a transaction rolled back at the
end: the demo, then synthetic state and national metrics with a figure for every state
and year, at 2 published years and then at 20. After ANALYZE, each page's SELECTs
(captured as the page runs them, with an empty cache) are EXPLAINed with the planner's
real settings, and every node that reads ``programs_figure`` is looked at.
"""

import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from programs.demo import demo_data_load
from programs.models import Figure, Metric, Program, public_change
from states.models import State
from tests.conftest import make_edition, make_metric, once_per_module

FIGURES_TABLE = Figure._meta.db_table
LATEST = 2023
FEW_YEARS = range(LATEST - 1, LATEST + 1)
MANY_YEARS = range(LATEST - 19, LATEST + 1)
STATE_METRICS_PER_PROGRAM = 8
NATIONAL_METRICS_PER_PROGRAM = 2

PAGES = {
    "home": "/",
    "program": "/programs/cybertipline/",
    "fact-sheet": f"/states/minnesota/{LATEST}/",
    "metric": "/metrics/cybertipline-reports-to-law-enforcement/",
    "compare": f"/compare/?states=MN,WI,IA&year={LATEST}",
    "sitemap": "/sitemap.xml",
    # A download of every figure reads every figure: that is what it shows.
    "csv": f"/data/figures.csv?year={LATEST}&state=MN",
    "api-figures": f"/api/v1/figures/?year={LATEST}&state=MN",
}

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN plans are PostgreSQL's: run with DATABASE_URL=postgres://… to check them",
    ),
    # The tests read the module's data; the mark makes pytest-django create the test
    # database, which it skips when no test of the session asks for one.
    pytest.mark.django_db,
]


def add_synthetic_metrics():
    """A few more metrics under every published program, collected from the first year."""
    with public_change():
        for program in Program.objects.published():
            for n in range(STATE_METRICS_PER_PROGRAM):
                make_metric(program, key=f"{program.slug}-state-{n}", position=100 + n)
            for n in range(NATIONAL_METRICS_PER_PROGRAM):
                make_metric(
                    program, key=f"{program.slug}-national-{n}", scope=Metric.Scope.NATIONAL
                )
        Metric.objects.update(first_year=MANY_YEARS[0], last_year=None)


def add_figures(years):
    """A published edition and a figure of every metric and place for each of ``years``."""
    states = list(State.objects.all())
    metrics = list(Metric.objects.all())
    existing = set(Figure.objects.values_list("metric_id", "year", "state_id"))
    figures = []
    for year in years:
        make_edition(year)
        for metric in metrics:
            for state in [None] if metric.is_national else states:
                key = (metric.pk, year, state.pk if state else None)
                if key not in existing:
                    value = Decimal((metric.pk * 7 + year + (state.pk if state else 0)) % 900)
                    figures.append(Figure(metric=metric, year=year, state=state, value=value))
    with public_change():
        Figure.objects.bulk_create(figures, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def figure_nodes(plan):
    """Every node of an EXPLAIN (FORMAT JSON) plan that reads the figures table."""
    if plan.get("Relation Name") == FIGURES_TABLE:
        yield plan
    for child in plan.get("Plans", []):
        yield from figure_nodes(child)


def index_names(node):
    """The indexes a node reads: its own, or its bitmap children's."""
    if node.get("Index Name"):
        return {node["Index Name"]}
    return {name for child in node.get("Plans", []) for name in index_names(child)}


def access(node):
    """How a node reaches the figures: through an index, or by reading them all.

    An index scan and a bitmap scan of the same index are one shape: PostgreSQL picks
    between them by how many rows it expects, and at 20 years a metric has ten times
    the rows it has at 2, without the query reading any more of the table than it asks.
    """
    return "full scan" if node["Node Type"] == "Seq Scan" else "index"


def run_page(url):
    """(status, [(sql, ms)]) of one anonymous request with an empty cache."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, [(q["sql"], float(q["time"]) * 1000) for q in captured]


def statement(sql):
    """The SELECT of a captured statement (a streamed download declares a cursor)."""
    if sql.startswith("DECLARE "):
        return sql[sql.index(" FOR ") + len(" FOR ") :]
    return sql if sql.lstrip().upper().startswith("SELECT") else None


def server_ms(sql):
    """What PostgreSQL spends on ``sql``, planning and running it, at best of three: the
    server's own clock, not the client's round trips on a busy machine."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            (found,) = cursor.fetchone()
            found = (json.loads(found) if isinstance(found, str) else found)[0]
            times.append(found["Planning Time"] + found["Execution Time"])
    return min(times)


def explain(sql, *, seqscan=True):
    """The plan PostgreSQL makes for ``sql``; with ``seqscan=False``, the plan it makes
    when a full scan costs more than any index (a full scan is then a statement that
    no index can serve)."""
    with connection.cursor() as cursor:
        if not seqscan:
            cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            (plan,) = cursor.fetchone()
        finally:
            cursor.execute("RESET enable_seqscan")
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def survey():
    """{page: {status, queries, shapes (per SELECT, how its figures nodes read the
    table, index preferred), the figures indexes read, the SELECTs PostgreSQL would
    run with a full scan of the figures, SQL ms}}."""
    found = {}
    for name, url in PAGES.items():
        status, queries = run_page(url)
        selects = [select for sql, _ in queries if (select := statement(sql))]
        sql_ms = sum(server_ms(sql) for sql in selects)
        shapes, indexes, full_scans = [], set(), []
        for sql in selects:
            if any(access(node) == "full scan" for node in figure_nodes(explain(sql))):
                full_scans.append(sql)
            # At 2 years a year is half the figures, and reading the table beats an
            # index: PostgreSQL is right to scan it then. The shapes compared across
            # sizes are the plans with the index preferred, whose choice of index
            # should not depend on how many figures there are.
            nodes = list(figure_nodes(explain(sql, seqscan=False)))
            shapes.append(sorted({access(node) for node in nodes}))
            indexes |= {name for node in nodes for name in index_names(node)}
        found[name] = {
            "status": status,
            "queries": len(queries),
            "shapes": shapes,
            "indexes": indexes,
            "full_scans": full_scans,
            "sql_ms": sql_ms,
        }
    return found


def build_and_survey():
    """The survey at 2 published years, then at 20: (few, many, figures at 20 years)."""
    demo_data_load(seed_only=True)
    add_synthetic_metrics()
    add_figures(FEW_YEARS)
    few = survey()
    add_figures(MANY_YEARS)
    many = survey()
    return few, many, Figure.objects.count()


surveys = once_per_module(build_and_survey, name="surveys")


def test_the_data_is_at_scale(surveys):
    _, _, figures = surveys

    assert figures > 20_000


@pytest.mark.parametrize("page", PAGES)
def test_page_answers_at_both_sizes(surveys, page):
    few, many, _ = surveys

    assert (few[page]["status"], many[page]["status"]) == (200, 200)


@pytest.mark.parametrize("page", PAGES)
def test_page_never_scans_every_figure(surveys, page):
    _, many, _ = surveys

    assert many[page]["full_scans"] == []


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_the_same_queries_and_plans_at_2_and_20_years(surveys, page):
    few, many, _ = surveys

    assert many[page]["queries"] == few[page]["queries"]
    assert many[page]["shapes"] == few[page]["shapes"]


def test_report_sql_time_per_page(surveys, capsys):
    """Not a check: the SQL time of each page at 20 years, printed with ``-s``."""
    _, many, figures = surveys
    with capsys.disabled():
        print(f"\nSQL per page at 20 years ({figures:,} figures), planning and running:")
        for page, found in many.items():
            indexes = ", ".join(sorted(found["indexes"]))
            print(f"  {page:12} {found['queries']:3} queries {found['sql_ms']:7.1f} ms  {indexes}")
