"""A metric's chart and map as files and embeds (programs/views/pictures.py) run a fixed
number of queries, however many states and years, as every page does
(tests/test_query_counts.py)."""

import pytest

from programs.models import Metric
from tests.conftest import make_edition, make_figure
from tests.test_query_counts import add_many_figures

# A metric's chart and map as files and embeds (programs/views/pictures.py): the metric,
# its series (every year, every place); for a map the states and the year's populations
# (its metric has a rate); for the SVG, PNG and embed, the sources of the figures drawn;
# for the SVG and PNG, the publication dates their citation gives.
CHART_FILE, CHART_CSV, CHART_EMBED = 4, 2, 3
MAP_FILE, MAP_CSV, MAP_EMBED = 6, 4, 5
NATIONAL_CHART = "/metrics/cybertipline-reports-received/chart"
STATE_MAP = "/metrics/cybertipline-reports-to-law-enforcement/map"
PICTURES = [
    pytest.param(f"{NATIONAL_CHART}.svg", CHART_FILE, id="chart-svg"),
    pytest.param(f"{NATIONAL_CHART}.png", CHART_FILE, id="chart-png"),
    pytest.param(f"{NATIONAL_CHART}.csv", CHART_CSV, id="chart-csv"),
    pytest.param(
        "/metrics/cybertipline-reports-to-law-enforcement/chart.svg", CHART_FILE, id="total-svg"
    ),
    pytest.param(f"{STATE_MAP}.svg?year=2023", MAP_FILE, id="map-svg"),
    pytest.param(f"{STATE_MAP}.png?measure=count", MAP_FILE, id="map-png"),
    pytest.param(f"{STATE_MAP}.csv", MAP_CSV, id="map-csv"),
    pytest.param(
        "/embed/metrics/cybertipline-reports-received/chart/", CHART_EMBED, id="chart-embed"
    ),
    pytest.param(
        "/embed/metrics/cybertipline-reports-to-law-enforcement/map/", MAP_EMBED, id="map-embed"
    ),
]


@pytest.mark.parametrize("more", [False, True], ids=["two-years", "more-data"])
@pytest.mark.parametrize(("url", "queries"), PICTURES)
def test_charts_and_maps_run_a_fixed_number_of_queries(
    client, demo, page_queries, url, queries, more
):
    if more:
        add_many_figures()
        make_edition(2021)
        make_edition(2022)
    else:  # a year before the demo's, for a chart to draw
        for key in ("cybertipline-reports-received", "cybertipline-reports-to-law-enforcement"):
            make_figure(Metric.objects.get(key=key), year=2022, value=100)

    with page_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
