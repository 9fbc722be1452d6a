"""The tile map shaded by count or by rate per 100,000 residents (?measure=), on NCMEC's
published record: 50 states' CyberTipline reports of 2023 with their populations, and no
figure for the District of Columbia and the territories."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from programs.models import Metric, Program
from programs.reader import tilemap
from states.models import State
from tests.conftest import make_figure, make_metric, page_text
from tests.programs.test_tilemap import tiles

BY_STATE = "cybertipline-reports-by-state"
NOT_STATES = ("DC", "AS", "GU", "MP", "PR", "VI")
MINNESOTA_RATE = "MN Minnesota: 181.4 per 100,000 residents (10,407 reports with a user located in the state), 2023"  # noqa: E501
MINNESOTA_COUNT = "MN Minnesota: 10,407 reports with a user located in the state, 2023"


@pytest.fixture
def home(full_site, client):
    return client.get("/").content.decode()


def shaded(shown):
    return {code for code, (classes, _, _) in shown.items() if "tile-none" not in classes.split()}


def map_section(content):
    return re.search(r'<section class="tile-map".*?</section>', content, re.S).group(0)


# By rate, the default


def test_the_map_shades_all_50_states_by_rate_per_100000_residents_by_default(home):
    shown = tiles(home)

    assert len(shown) == 56
    assert len(shaded(shown)) == 50
    assert shown["MN"][2] == MINNESOTA_RATE
    assert not shaded(shown) & set(NOT_STATES)


def test_dc_and_the_territories_say_no_figure_never_0(home):
    shown = tiles(home)
    table = page_text(re.search(r"<table.*?</table>", map_section(home), re.S).group(0))

    for code in NOT_STATES:
        assert shown[code][2].endswith(": no figure, 2023"), code
        assert "tile-none" in shown[code][0].split()
    assert "District of Columbia No figure No figure No figure" in table
    assert "Minnesota 10,407 181.4 150.0 to 199.9" in table
    assert "No figure (6 states or territories)" in page_text(map_section(home))


def test_the_heading_legend_and_table_say_the_map_is_per_100000_residents(home):
    section = map_section(home)
    text = page_text(section)

    heading = "Reports with a user located in the state per 100,000 residents"
    assert f"Map: {heading}, by state and territory, 2023" in text
    assert f"Legend: {heading}, 2023" in text
    assert re.search(rf"<caption[^>]*>{heading}, by state and territory, 2023</caption>", section)
    assert '<th scope="col" class="num">Per 100,000 residents</th>' in section
    # The classes are of rates, written with their decimal.
    assert re.search(r"\d+\.0 to \d+\.9 \(\d+ states or territories\)", text)


def test_a_form_switches_the_measure_without_javascript(home, client):
    form = re.search(r'<form class="tile-map-form"[^>]*>(.*?)</form>', home, re.S).group(1)

    assert '<select id="home-map-measure" name="measure">' in form
    assert '<option value="rate" selected>Rate per 100,000 residents</option>' in form
    assert '<option value="count">Count</option>' in form
    counted = client.get("/", {"measure": "count"}).content.decode()
    assert '<option value="count" selected>Count</option>' in counted


# By count


def test_measure_count_shades_the_states_by_their_count(full_site, client):
    content = client.get("/", {"measure": "count"}).content.decode()
    shown = tiles(content)
    text = page_text(map_section(content))

    assert shown["MN"][2] == MINNESOTA_COUNT
    assert len(shaded(shown)) == 50
    assert "Map: Number of reports with a user located in the state, by state and" in text
    assert "Legend: Number of reports with a user located in the state, 2023" in text
    assert "per 100,000" not in text.split("The map as a table")[0].replace(
        "Rate per 100,000 residents",
        "",  # the form's other choice
    )
    assert re.search(r"\d{1,3},\d{3} or more \(\d+ states or territories\)", text)


def test_a_malformed_measure_is_a_bad_request_that_says_why(full_site, client):
    for query in ({"measure": "per-capita"}, {"measure": "RATE"}):
        response = client.get("/", query)

        assert response.status_code == 400
        assert "A map is shaded by “rate” (per 100,000 residents) or “count”." in page_text(
            response
        )


def test_the_program_page_map_is_of_the_50_states_by_rate(full_site, client):
    response = client.get("/programs/cybertipline/2023/")
    shown = tiles(response.content.decode())

    assert response.context["tile_map"].metric.key == BY_STATE
    assert shown["MN"][2] == MINNESOTA_RATE
    counted = client.get("/programs/cybertipline/2023/", {"measure": "count"})
    assert tiles(counted.content.decode())["MN"][2] == MINNESOTA_COUNT


def test_the_program_page_year_selector_keeps_the_measure(full_site, client):
    response = client.get("/programs/cybertipline/", {"year": "2023", "measure": "count"})

    assert response.status_code == 302
    assert response["Location"] == "/programs/cybertipline/2023/?measure=count"


# A metric without a rate


@pytest.fixture
def percent_metric(full_site):
    """A state percent of the CyberTipline with three states' figures in 2023."""
    metric = make_metric(
        Program.objects.get(slug="cybertipline"),
        key="cybertipline-share",
        label="Share of reports escalated",
        unit=Metric.Unit.PERCENT,
        first_year=2023,
    )
    for code, value in (("MN", 12), ("WI", 30), ("IA", 45)):
        make_figure(metric, state=State.objects.get(code=code), value=value)
    return metric


def test_a_metric_without_a_rate_is_shown_by_count_only(percent_metric, client):
    content = client.get("/", {"metric": percent_metric.key}).content.decode()
    text = page_text(map_section(content))

    assert tiles(content)["WI"][2] == "WI Wisconsin: 30%, Share of reports escalated, 2023"
    assert 'name="measure"' not in content
    assert "Legend: Share of reports escalated, 2023" in text
    assert "per 100,000" not in text
    assert "Per 100,000 residents" not in content


def test_a_rate_asked_for_a_metric_without_one_shows_the_count_and_says_so(percent_metric, client):
    response = client.get("/", {"metric": percent_metric.key, "measure": "rate"})

    assert response.status_code == 200
    assert tiles(response.content.decode())["WI"][2].startswith("WI Wisconsin: 30%")
    assert (
        "Share of reports escalated in 2023 has no rate per 100,000 residents: the map "
        "shows the count." in page_text(response)
    )


# The rate map's parts


RATED = SimpleNamespace(
    pk=1, label="Reports", unit="count", headline=True, has_rate=True, is_national=False
)


def fake_state(pk, code, name):
    return SimpleNamespace(pk=pk, code=code, name=name, slug=name.lower())


def test_a_count_without_a_population_has_no_rate_and_is_shaded_as_missing():
    mn, wi, gu = (fake_state(1, "MN", "Minnesota"), fake_state(2, "WI", "Wisconsin"),
                  fake_state(3, "GU", "Guam"))  # fmt: skip
    figures = {
        state.pk: SimpleNamespace(
            value=Decimal(value), display_value=f"{value:,}", qualifier="", state_id=state.pk
        )
        for state, value in ((mn, 10_407), (gu, 12))
    }

    built = tilemap.build(RATED, figures, [mn, wi, gu], 2023, populations={1: 5_737_915})

    by_code = {tile.code: tile for tile in built.tiles}
    assert built.by_rate
    assert by_code["MN"].detail == "Minnesota: 181.4 per 100,000 residents (10,407 reports), 2023"
    assert by_code["GU"].detail == "Guam: no rate (12 reports), 2023"
    assert by_code["GU"].shade_class == "tile-none"
    assert by_code["WI"].detail == "Wisconsin: no figure, 2023"
    assert (built.no_figure_count, built.no_rate_count) == (1, 1)


def test_rate_classes_have_round_bounds_with_one_decimal():
    values = [Decimal(v) for v in ("141.7", "151.4", "181.4", "212.1", "255.0", "349.3")]

    bins = tilemap.make_bins(values, tilemap.RATE)

    assert [b.label for b in bins] == [
        "Under 150.0",
        "150.0 to 199.9",
        "200.0 to 249.9",
        "250.0 or more",
    ]
    small = tilemap.make_bins([Decimal(v) for v in ("0.1", "0.2", "0.3", "0.4", "0.5")], "rate")
    assert [b.label for b in small] == ["Under 0.2", "0.2", "0.3", "0.4", "0.5 or more"]


def test_the_map_metric_is_a_headline_one_with_figures_for_the_most_states():
    one = SimpleNamespace(pk=1, headline=True)
    many = SimpleNamespace(pk=2, headline=True)
    detail = SimpleNamespace(pk=3, headline=False)

    assert tilemap.default_metric([one, many, detail], {1: 1, 2: 50, 3: 56}) is many
    assert tilemap.default_metric([one, many], {1: 3, 2: 3}) is one  # the first on a tie
    assert tilemap.default_metric([detail], {3: 2}) is detail
    assert tilemap.default_metric([one], {}) is None


def test_the_metric_page_map_is_shaded_by_rate_too_and_by_count_when_asked(full_site, client):
    page = client.get(f"/metrics/{BY_STATE}/").content.decode()
    counted = client.get(f"/metrics/{BY_STATE}/?measure=count").content.decode()

    assert tiles(map_section(page))["MN"][2] == MINNESOTA_RATE
    assert tiles(map_section(counted))["MN"][2] == MINNESOTA_COUNT
    assert client.get(f"/metrics/{BY_STATE}/?measure=most").status_code == 400
