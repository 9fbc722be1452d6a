"""The home page leads with what the data shows: the national CyberTipline series
1998–2023 as a chart with its table, and the 2023 map of reports per 100,000 residents
by state, each linked to its metric's page; then the latest national figures. What it
features is each kind's headline metric with the most years, or the most states."""

import re

import pytest

from programs.models import Metric
from states.models import State
from tests.conftest import main_of, make_figure, page_text
from tests.programs.test_tilemap import tiles

RECEIVED = "cybertipline-reports-received"
BY_STATE = "cybertipline-reports-by-state"
SERIES_HEADING = "CyberTipline: reports received, United States, 1998–2023"


@pytest.fixture
def home(full_site, client):
    return client.get("/")


def series_section(response):
    return re.search(
        r'<section class="featured" aria-labelledby="featured-series">(.*?)</section>',
        main_of(response),
        re.S,
    ).group(1)


def test_the_home_page_leads_with_the_1998_to_2023_series_then_the_map_then_2023(home):
    text = page_text(main_of(home))

    positions = [
        text.index(SERIES_HEADING),
        text.index("Map: Reports with a user located in the state per 100,000 residents"),
        text.index("National figures, 2023"),
    ]
    assert positions == sorted(positions)
    assert f"{SERIES_HEADING} From 4,560 in 1998 to 36.2 million in 2023." in text


def test_the_series_is_an_accessible_chart_with_a_table_of_its_26_years(home):
    section = series_section(home)
    svg = re.search(r"<svg[^>]*>.*?</svg>", section, re.S).group(0)
    table = re.search(r"<table.*?</table>", section, re.S).group(0)

    assert 'role="img"' in svg
    assert "<title id=" in svg and SERIES_HEADING in svg
    assert "First: 4,560 in 1998. Last: 36,210,368 in 2023." in svg
    assert svg.count("<circle") == 26
    rows = re.findall(r'<th scope="row">(\d{4})</th><td class="num">([\d,]+)</td>', table)
    assert [int(year) for year, _ in rows] == list(range(2023, 1997, -1))
    assert rows[0] == ("2023", "36,210,368") and rows[-1] == ("1998", "4,560")
    assert "<caption" in table


def test_the_chart_and_the_map_link_to_their_metrics_pages(home):
    content = main_of(home)

    assert f'<a href="/metrics/{RECEIVED}/">Reports received: what it counts' in content
    assert f'<a href="/metrics/{BY_STATE}/">Reports with a user located in the state:' in content


def test_the_home_map_is_of_2023_reports_per_100000_residents_in_all_50_states(home):
    tile_map = home.context["tile_map"]
    shown = tiles(home.content.decode())

    assert (tile_map.metric.key, tile_map.year, tile_map.measure) == (BY_STATE, 2023, "rate")
    assert sum("tile-none" not in classes.split() for classes, _, _ in shown.values()) == 50
    assert shown["DC"][2] == "DC District of Columbia: no figure, 2023"


def test_the_home_page_still_gives_the_latest_national_figures(home):
    text = page_text(main_of(home))
    national = text[text.index("National figures, 2023") :]

    assert "In 2023, the CyberTipline received 36.2 million reports" in national
    assert "27,130" in national
    assert "32,059,029" not in national  # 2022 is in the chart's table only


def test_the_map_offers_only_the_years_with_state_figures(full_site, client):
    # A population is no figure to map: 2022 still has no state figure of a program.
    population = Metric.objects.get(key="population")
    make_figure(population, year=2022, state=State.objects.get(code="MN"), value=5_717_184)

    content = client.get("/").content.decode()

    # The demo's state figures are all of 2023: no year to choose, none to get lost in.
    form = re.search(r'<form class="tile-map-form".*?</form>', content, re.S)
    assert 'name="year"' not in form.group(0)
    assert client.get("/", {"year": "2022"}).status_code == 404
    assert client.get("/", {"year": "2010"}).status_code == 404


# What is featured: staff choose by the "headline figure" box


def test_unticking_headline_features_the_next_longest_series_and_the_next_map(full_site, client):
    Metric.objects.filter(key__in=[RECEIVED, BY_STATE]).update(headline=False)
    # The by-country count (2019-2023), a detail in the demo, made a headline by staff.
    Metric.objects.filter(key="cybertipline-reports-united-states").update(headline=True)

    response = client.get("/")

    text = page_text(main_of(response))
    heading = "CyberTipline: reports with users in the United States (by-country table)"
    assert f"{heading}, United States, 2019–2023" in text
    assert SERIES_HEADING not in text
    # Every other headline state metric has Minnesota's figure alone: the first of them.
    assert response.context["tile_map"].metric.key == "cybertipline-reports-to-law-enforcement"
