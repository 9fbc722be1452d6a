"""A metric's own page: every published year as a chart and a table (by state, or of the
nation's figures), its definition and dated notes, a map of a chosen year; a year, a
metric or a program not published is not found, and the staff preview shows what is not
published yet.
"""

import re

import pytest

from programs.models import MetricNote, public_change
from states.models import State
from tests.conftest import make_figure, make_metric, make_program
from tests.programs.trend_helpers import (
    DRAFT_YEAR,
    MINNESOTA,
    NATIONAL_KEY,
    STATE_KEY,
    YEARS,
    flat_html,
    other_value,
)

# The shared fixture (tests/programs/trend_helpers.py) this module's tests use.


# The metric page


def test_the_cybertipline_series_2014_to_2022_reads_on_one_page_as_a_chart_and_a_table(
    client, cybertipline
):
    response = client.get(f"/metrics/{STATE_KEY}/")
    page = flat_html(response)

    assert response.status_code == 200
    assert "<h1>Reports made available to law enforcement</h1>" in page
    table = page.split('id="by-state-year-caption"')[1].split("</table>")[0]
    columns = re.findall(r'<th scope="col" class="num">(\d{4})</th>', table)
    assert columns == [str(year) for year in YEARS]
    minnesota = re.search(r'<tr id="MN">(.*?)</tr>', table).group(1)
    assert re.findall(r'<td class="num">([\d,]+)</td>', minnesota) == [
        f"{MINNESOTA[year]:,}" for year in YEARS
    ]
    assert len(re.findall(r'<tr id="[A-Z]{2}">', table)) == 56
    # The chart of the states' total, and its words.
    chart = re.search(r'<svg[^>]*id="chart-cybertipline-reports-to-law-enforcement".*?</svg>',
                      page).group(0)  # fmt: skip
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", chart).group(1)
    totals = {year: sum(MINNESOTA[year] if s.code == "MN" else other_value(i, year)
                        for i, s in enumerate(State.objects.order_by("code")))
              for year in YEARS}  # fmt: skip
    high, low = max(totals, key=totals.get), min(totals, key=totals.get)
    assert desc == (
        f"First: {totals[2014]:,} in 2014. Last: {totals[2022]:,} in 2022. "
        f"Highest: {totals[high]:,} in {high}. Lowest: {totals[low]:,} in {low}."
    )


def test_the_state_table_scrolls_in_its_own_focusable_region(client, cybertipline):
    page = flat_html(client.get(f"/metrics/{STATE_KEY}/"))

    assert (
        '<div class="table-scroll" role="region" aria-labelledby="by-state-year-caption" '
        'tabindex="0">' in page
    )


def test_the_metric_page_gives_its_definition_and_dated_notes(client, cybertipline):
    page = flat_html(client.get(f"/metrics/{STATE_KEY}/"))

    assert "Reports of suspected child sexual exploitation made available" in page
    notes = re.sub(r"<[^>]+>", "", page.split('id="notes"')[1].split("</section>")[0])
    assert "From 2019: Reports are counted by the suspect&#x27;s state." in notes


def test_a_note_of_a_draft_year_is_not_on_the_metric_page_until_it_is_published(
    client, admin_client, cybertipline
):
    with public_change():
        MetricNote.objects.create(
            metric=cybertipline[0], first_year=DRAFT_YEAR, text="Counted a new way."
        )

    assert "Counted a new way." not in flat_html(client.get(f"/metrics/{STATE_KEY}/"))
    admin_client.post("/preview/start/")
    assert "Counted a new way." in flat_html(admin_client.get(f"/metrics/{STATE_KEY}/"))


def test_a_national_metric_page_has_a_chart_and_a_table_of_its_years(client, cybertipline):
    page = flat_html(client.get(f"/metrics/{NATIONAL_KEY}/"))

    assert "First: 1,100,000 in 2014. Last: 32,000,000 in 2022." in page
    table = page.split('id="series-table"')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">(\d{4})</th>', table) == [str(y) for y in YEARS][::-1]
    assert "By state and territory" not in page


def test_the_metric_page_maps_the_chosen_year_with_every_tile_linking_to_that_year(
    client, cybertipline
):
    page = flat_html(client.get(f"/metrics/{STATE_KEY}/?year=2016"))

    assert "Map: Reports made available to law enforcement, by state and territory, 2016" in page
    tile = re.search(r'<li class="tile-mn [^"]*"><a href="([^"]+)">(.*?)</a></li>', page)
    assert tile.group(1) == "/states/minnesota/2016/"
    name = re.sub(r"<[^>]+>", "", tile.group(2))
    assert name == "MN Minnesota: 4,000 reports made available to law enforcement, 2016"
    assert len(re.findall(r'<li class="tile-[a-z]{2} ', page)) == 56
    # The default is the latest published year, never the draft one.
    assert "Map: Reports made available to law enforcement, by state and territory, 2022" in (
        flat_html(client.get(f"/metrics/{STATE_KEY}/"))
    )


@pytest.mark.parametrize("query", ["?year=2023", "?year=1999"])
def test_a_year_without_published_figures_is_not_found(client, cybertipline, query):
    assert client.get(f"/metrics/{STATE_KEY}/{query}").status_code == 404


def test_a_malformed_year_is_a_bad_request(client, cybertipline):
    """A 404 before a year was read one way everywhere (programs.years)."""
    assert client.get(f"/metrics/{STATE_KEY}/?year=20x2").status_code == 400


def test_an_unknown_metric_is_not_found(client, cybertipline):
    assert client.get("/metrics/no-such-metric/").status_code == 404


def test_a_metric_of_an_unpublished_program_is_not_found(client, cybertipline):
    hidden = make_metric(make_program(is_published=False), key="hidden-metric")

    assert client.get(f"/metrics/{hidden.key}/").status_code == 404


def test_a_metric_with_figures_only_in_a_draft_year_is_not_found(client, cybertipline):
    # Its label and definition would announce a figure not yet published.
    new = make_metric(cybertipline[0].program, key="new-metric", label="A new metric")
    make_figure(new, year=DRAFT_YEAR, state=State.objects.get(code="MN"), value=5)

    assert client.get("/metrics/new-metric/").status_code == 404
    assert "A new metric" not in flat_html(client.get("/search/", {"q": "new metric"}))


def test_staff_preview_shows_a_metric_without_published_figures_and_says_so(
    admin_client, cybertipline
):
    make_metric(make_program(), key="new-metric", label="A new metric")
    admin_client.post("/preview/start/")

    response = admin_client.get("/metrics/new-metric/")

    assert response.status_code == 200
    assert "No figures have been published for this metric yet." in flat_html(response)


def test_staff_preview_shows_the_draft_year_on_the_metric_page(admin_client, cybertipline):
    admin_client.post("/preview/start/")

    page = flat_html(admin_client.get(f"/metrics/{STATE_KEY}/"))

    assert "987,654" in page
    assert f'<th scope="col" class="num">{DRAFT_YEAR}</th>' in page
