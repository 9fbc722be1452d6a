"""Each public page runs a fixed number of queries, however many states, metrics and years.

The counts are pinned on a request that the page cache does not hold yet, besides the
publication version its snapshot reads first (``page_queries``), here on the demo and in
tests/test_query_counts_more_data.py on more of everything, where a page the cache
holds costs none, whoever asks. If a change adds a query on purpose, update the count
here and say why in the commit; if a count grows with the data, a queryset is missing a
select_related or prefetch_related.
"""

from decimal import Decimal

import pytest

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.models import Figure, Metric, Program, Revision, public_change, public_write
from states.models import State
from tests.conftest import make_metric, make_program

# the states (the address's state and the state picker), years (all, and the state's, in
# one), the year's figures (with their revision notes), programs, their metrics, the
# metrics' dated notes, which of the state's metrics it had a figure of before the year
# (those without one that year are named in a line, the others left out), the series
# of the page's metrics for the state and the nation in its last five years (changes and
# sparklines), the year's state figures of the state metrics (values only, for the
# ranks), the year's populations (the rates per 100,000 residents and the ranks by
# rate), the sources of the figures shown, the year's publication and latest revision
# dates
FACT_SHEET = 12
# A fact sheet PDF not yet cached: the states (the one named, and what its ranks are
# among), then the fact sheet's queries (the publication dates for its citation).
# Cached: the states.
FACT_SHEET_PDF = 12
FACT_SHEET_PDF_CACHED = 1

# years (and those with state figures, for the map), programs, their metrics, the
# metrics' notes, national figures, states, the year's publication dates; the featured
# chart: the headline national metrics' series; for the map: how many states have
# figures of each state metric in its year, the figures of the map's metric, the year's
# populations (its metric has a rate); the sources of the figures shown
HOME = 12
# states, years, programs, their metrics, the year's national and chosen states' figures,
# the year's publication dates, the sources of the figures shown
COMPARE = 7
# ... and with states chosen, the year's populations (their rates per 100,000 residents)
COMPARE_STATES = 8
# a metric (with its program, and the parts of its breakdowns), its notes, its series and
# its parts' (every year, every place), its latest year's publication dates, the sources
# of the figures shown
NATIONAL_METRIC = 5
# ... and the states, for the table of every state by year, and for a count with a rate
# (as these are), the year's populations for its column of rates per 100,000 residents
STATE_METRIC = 7
# The years' publication dates, then one query each of index probes for the program
# pages, the fact sheets and the metrics (tests/test_sitemap.py adds years too).
SITEMAP = 4

PAGES = [
    pytest.param("/", HOME, id="home"),
    pytest.param("/?metric=cvip-submissions-reviewed&year=2023", HOME, id="home-map"),
    pytest.param("/?measure=count", HOME, id="home-map-count"),
    # programs, their metrics
    pytest.param("/programs/", 2, id="program-list"),
    # program, its metrics, their notes, years, figures, the national metrics' series
    # (every year: changes and sparklines), states (the map and the table of states are
    # drawn from the year's figures), the year's populations (the table's and the map's
    # rates per 100,000 residents), the year's publication dates, the figures' sources
    pytest.param("/programs/cybertipline/", 10, id="program"),
    pytest.param("/programs/cybertipline/2023/", 10, id="program-year"),
    pytest.param(
        "/programs/missing-child-case-assistance/2023/?metric=missing-cases-other&measure=count",
        10,
        id="program-map",
    ),
    # states
    pytest.param("/states/", 1, id="state-list"),
    pytest.param("/states/minnesota/", FACT_SHEET, id="fact-sheet"),
    pytest.param("/states/minnesota/2023/", FACT_SHEET, id="fact-sheet-year"),
    pytest.param("/states/minnesota/2023/fact-sheet.pdf", FACT_SHEET_PDF, id="fact-sheet-pdf"),
    pytest.param("/compare/", COMPARE, id="compare-nation"),
    pytest.param("/compare/?states=MN", COMPARE_STATES, id="compare-one"),
    pytest.param("/compare/?states=MN,WI,IA,TX,GU,PR&year=2023", COMPARE_STATES, id="compare-six"),
    pytest.param("/metrics/cybertipline-reports-received/", NATIONAL_METRIC, id="metric-national"),
    pytest.param(
        "/metrics/cybertipline-reports-to-law-enforcement/", STATE_METRIC, id="metric-state"
    ),
    pytest.param(
        "/metrics/cybertipline-reports-to-law-enforcement/?year=2023",
        STATE_METRIC,
        id="metric-state-year",
    ),
    # states, programs, metrics with their program; none without a query
    pytest.param("/search/?q=mn", 3, id="search"),
    pytest.param("/search/?q=missing%20children%20cases", 3, id="search-words"),
    pytest.param("/search/", 0, id="search-empty"),
    pytest.param("/robots.txt", 0, id="robots"),
    pytest.param("/sitemap.xml", SITEMAP, id="sitemap"),
    # the published years' dates (no figure is read; the version is known)
    pytest.param("/data/datapackage.json", 1, id="datapackage"),
]


def add_many_figures():
    """More of everything: metrics, states with figures, and older years.

    A new published program with a national and a state metric, a new state metric
    under the CyberTipline, and figures for every metric, every state and 2021 to 2023.
    Rows are bulk-created: the factories' full_clean would make setup slow, and this
    test is about reading them.
    """
    cybertipline = Program.objects.get(slug="cybertipline")
    make_metric(cybertipline, key="cybertipline-extra-state", position=50)
    make_metric(cybertipline, key="cybertipline-extra-national", scope=Metric.Scope.NATIONAL)
    program = make_program(name="Extra Program")
    make_metric(program, scope=Metric.Scope.NATIONAL)
    make_metric(program)
    make_metric(program, unit=Metric.Unit.PERCENT)

    existing = set(Figure.objects.values_list("metric_id", "year", "state_id"))
    states = list(State.objects.all())
    figures = []
    for metric in Metric.objects.all():
        places = [None] if metric.is_national else states
        for year in (2021, 2022, 2023):
            for state in places:
                state_id = state.pk if state else None
                if (metric.pk, year, state_id) in existing:
                    continue
                figures.append(
                    Figure(metric=metric, year=year, state=state, value=Decimal(year % 100))
                )
    with public_change():  # figures of published years: the version goes up
        public_write("the figures")
        Figure.objects.bulk_create(figures)


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_public_page_runs_a_fixed_number_of_queries(site, db, client, page_queries, url, queries):
    with page_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


def publish_corrections(notes, figures_each):
    """``notes`` revision notes, each correcting ``figures_each`` Minnesota or national
    figures of 2023 by one."""
    candidates = list(Figure.objects.published().for_year(2023).select_related("metric"))
    for n in range(notes):
        proposals = [
            Proposal(f.metric, 2023, f.state, f, value=f.value + n + 1, qualifier=f.qualifier)
            for f in candidates[:figures_each]
        ]
        pending_changes_stage(proposals=proposals, reason=f"Correction {n}")
        pending_changes_publish(year=2023)


# notes (with their count for the paginator), their figures with metric and place
REVISION_PAGES = [
    pytest.param("/revisions/", 3, id="revisions"),
    pytest.param("/revisions/feed/", 2, id="revisions-feed"),
    pytest.param("latest", 2, id="revision"),
]


@pytest.mark.parametrize(("url", "queries"), REVISION_PAGES)
@pytest.mark.parametrize(("notes", "figures_each"), [(1, 1), (6, 15)])
def test_revision_pages_run_a_fixed_number_of_queries_however_many_notes_and_figures(
    site, db, client, page_queries, url, queries, notes, figures_each
):
    publish_corrections(notes, figures_each)
    if url == "latest":
        url = Revision.objects.first().get_absolute_url()

    with page_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert f"Correction {notes - 1}" in response.content.decode()


# The API: for a list a count and one page, what its objects need, and the publication
# dates for the citation.
API_PROGRAMS = 4  # count, page, their published metrics, dates
API_PROGRAM = 3  # the program, its metrics, dates
API_STATES = 3  # count, page, dates
API_STATE = 2  # the state, dates
API_METRICS = 5  # count, page, their notes, their published years, dates
API_METRIC = 4  # the metric, its notes, its published years, dates
# the filters' three look-ups, its groups (the count), page, the populations of the
# page's years (for its rates), dates
API_FIGURES = 7

API = [
    pytest.param("/api/", 1, id="api-docs"),  # the publication dates, for the citation
    pytest.param("/api/v1/openapi.json", 0, id="api-openapi"),
    pytest.param("/api/v1/programs/", API_PROGRAMS, id="api-programs"),
    pytest.param("/api/v1/programs/cybertipline/", API_PROGRAM, id="api-program"),
    pytest.param("/api/v1/states/", API_STATES, id="api-states"),
    pytest.param("/api/v1/states/mn/", API_STATE, id="api-state"),
    pytest.param("/api/v1/metrics/", API_METRICS, id="api-metrics"),
    pytest.param(
        "/api/v1/metrics/cybertipline-reports-to-law-enforcement/", API_METRIC, id="api-metric"
    ),
    pytest.param("/api/v1/figures/", API_FIGURES, id="api-figures"),
    pytest.param(
        "/api/v1/figures/?year=2023&state=MN,WI,GU&program=cybertipline,"
        "missing-child-case-assistance&metric=cybertipline-reports-to-law-enforcement",
        API_FIGURES,
        id="api-figures-filtered",
    ),
    pytest.param("/api/v1/figures/?page_size=3&page=2", API_FIGURES, id="api-figures-page"),
]


@pytest.mark.parametrize(("url", "queries"), API)
def test_api_answers_in_a_fixed_number_of_queries(site, db, client, page_queries, url, queries):
    with page_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


# The filters' three checks (published years, states, metrics with published figures),
# the populations of the filters' years (for the rates), then the figures; JSON and
# Excel add the publication dates for their citation. The same with one filter, several
# or none, and with more data.
FIGURES_CSV = 5
FIGURES_CITED = 6
DOWNLOADS = [
    pytest.param("/data/figures.csv", FIGURES_CSV, id="figures-csv"),
    pytest.param("/data/figures.csv?year=2023&state=MN", FIGURES_CSV, id="figures-csv-mn"),
    pytest.param(
        "/data/figures.csv?year=2023&state=MN,WI,GU&program=cybertipline,team-hope",
        FIGURES_CSV,
        id="figures-csv-several",
    ),
    pytest.param("/data/figures.json", FIGURES_CITED, id="figures-json"),
    pytest.param(
        "/data/figures.json?metric=cybertipline-reports-to-law-enforcement",
        FIGURES_CITED,
        id="figures-json-metric",
    ),
    pytest.param("/data/figures.xlsx", FIGURES_CITED, id="figures-xlsx"),
    pytest.param("/data/figures.xlsx?state=MN&year=2023", FIGURES_CITED, id="figures-xlsx-mn"),
    # published years (for the notes), the metrics with published figures (the
    # population among them) with their program, their notes
    pytest.param("/data/metrics.csv", 3, id="metrics-csv"),
    pytest.param("/data/states.csv", 1, id="states-csv"),
    # the publication dates, for the page's citation
    pytest.param("/data/", 1, id="data-page"),
]


@pytest.mark.parametrize(("url", "queries"), DOWNLOADS)
def test_downloads_run_a_fixed_number_of_queries_whatever_the_filters_and_rows(
    site, db, client, page_queries, url, queries
):
    with page_queries(queries):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content

    assert response.status_code == 200
    assert body
