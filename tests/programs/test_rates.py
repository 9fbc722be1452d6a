"""Rates per 100,000 residents on the pages about states: the fact sheet (page and PDF),
the program page's table of states, the compare page and the metric page. A state's
count for the year with a population of that year has a rate, to one decimal rounded
half up, and ranks by rate and by count, each said as such; a percent, a running total,
a "more than" figure or a year without population has none.

The pages are read on the full demo (NCMEC's 50 states of 2023 with their population),
loaded once for the module.
"""

import re
from decimal import Decimal

import pytest

from programs import formatting
from programs.models import POPULATION_KEY, Figure, Metric, public_change, public_write
from programs.reader import pdf, rates, trends
from programs.reader.fact_sheet import fact_sheet_build, fact_sheet_years
from states import jurisdictions
from states.models import State
from tests.conftest import main_of, page_text

BY_STATE = "cybertipline-reports-by-state"
TO_LAW_ENFORCEMENT = "cybertipline-reports-to-law-enforcement"


def metric(**fields):
    """An unsaved metric of a program (a state count for the year unless told)."""
    defaults = {"program_id": 1, "scope": Metric.Scope.STATE, "unit": formatting.COUNT}
    return Metric(pk=fields.pop("pk", 1), **{**defaults, **fields})


def place(pk, kind=jurisdictions.STATE):
    return State(pk=pk, kind=kind)


# The rate


def test_a_rate_is_per_100000_residents_to_one_decimal():
    assert rates.rate_per_100k(10_407, 5_737_915) == Decimal("181.4")
    assert formatting.format_rate(rates.rate_per_100k(10_407, 5_737_915)) == "181.4"


@pytest.mark.parametrize(
    ("value", "population", "written"),
    [
        (1, 80_000, "1.3"),  # 1.25: half up, not to the even 1.2
        (3, 80_000, "3.8"),  # 3.75
        (1, 3_000_000, "0.0"),  # 0.033: a rate, written as one
        (2_000, 100_000, "2,000.0"),  # always one decimal, thousands separated
    ],
)
def test_a_rate_is_rounded_half_up_and_written_with_one_decimal(value, population, written):
    assert formatting.format_rate(rates.rate_per_100k(value, population)) == written


@pytest.mark.parametrize("population", [None, 0])
def test_no_population_means_no_rate(population):
    figure = Figure(value=Decimal(10_407), state_id=1, qualifier=formatting.EXACT)

    assert rates.rate_per_100k(10_407, population) is None
    assert rates.figure_rate(metric(), figure, {1: population}) is None
    assert rates.figure_rate(metric(), figure, {}) is None


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"unit": formatting.PERCENT}, id="percent"),
        pytest.param({"period": Metric.Period.TO_DATE}, id="running-total"),
        pytest.param({"scope": Metric.Scope.NATIONAL}, id="national"),
        pytest.param({"program_id": None, "key": POPULATION_KEY}, id="reference-data"),
    ],
)
def test_only_a_programs_state_count_for_the_year_has_a_rate(fields):
    figure = Figure(value=Decimal(19), state_id=1, qualifier=formatting.EXACT)

    assert rates.figure_rate(metric(), figure, {1: 100_000}) == Decimal("19.0")
    assert rates.figure_rate(metric(**fields), figure, {1: 100_000}) is None


@pytest.mark.parametrize("qualifier", [formatting.MORE_THAN, formatting.ROUNDED])
def test_a_figure_given_as_more_than_or_rounded_has_no_rate(qualifier):
    figure = Figure(value=Decimal(18_400), state_id=1, qualifier=qualifier)

    assert rates.figure_rate(metric(), figure, {1: 5_737_915}) is None


# Ranks by rate


def test_states_with_equal_rates_tie_and_the_next_rank_skips():
    counted = metric()
    populations = {state: 100_000 * state for state in range(1, 13)}
    # States 2 and 3 both have 90 per 100,000 (180 of 200,000; 270 of 300,000).
    rates_of = {1: 95, 2: 90, 3: 90, **{s: 80 - s for s in range(4, 13)}}
    rows = [(counted.pk, s, Decimal(rate * s)) for s, rate in rates_of.items()]

    ranked = rates.rate_ranks([counted], rows, populations)

    assert ranked[(1, 1)] == trends.Rank(1, 12)
    assert ranked[(1, 2)] == ranked[(1, 3)] == trends.Rank(2, 12, tied=True)
    assert ranked[(1, 4)] == trends.Rank(4, 12)
    assert ranked[(1, 2)].text == "tied 2nd highest of 12 states and territories reporting"


def test_rates_written_alike_rank_by_their_value_before_rounding():
    counted = metric()
    # Montana's and Minnesota's 2023 figures: 181.41 and 181.37, both written 181.4.
    rows = [(1, 1, Decimal(2_055)), (1, 2, Decimal(10_407))]
    rows += [(1, s, Decimal(100)) for s in range(3, 13)]
    populations = {1: 1_132_812, 2: 5_737_915, **dict.fromkeys(range(3, 13), 1_000_000)}

    ranked = rates.rate_ranks([counted], rows, populations)

    assert rates.rate_per_100k(2_055, 1_132_812) == rates.rate_per_100k(10_407, 5_737_915)
    assert (ranked[(1, 1)].position, ranked[(1, 2)].position) == (1, 2)
    assert not ranked[(1, 2)].tied
    assert rates.sort_value(2_055, 1_132_812) > rates.sort_value(10_407, 5_737_915)


def test_a_rank_says_of_50_states_only_when_every_state_and_nothing_else_is_ranked():
    states = [place(n) for n in range(1, 51)] + [place(51, jurisdictions.DISTRICT)]
    states += [place(n, jurisdictions.TERRITORY) for n in range(52, 57)]
    rows = lambda ids: [(1, state_id, Decimal(state_id)) for state_id in ids]  # noqa: E731

    every_state = trends.ranks(rows(range(1, 51)), states)[(1, 50)]
    some_states = trends.ranks(rows(range(1, 49)), states)[(1, 48)]
    with_dc = trends.ranks(rows(range(1, 52)), states)[(1, 51)]

    assert every_state.text == "1st highest of 50 states"
    assert some_states.text == "1st highest of 48 states reporting"
    assert with_dc.text == "1st highest of 51 states and territories reporting"


def test_a_rate_has_no_rank_when_fewer_than_ten_states_have_one():
    rows = [(1, state, Decimal(10)) for state in range(1, 12)]
    populations = {state: 1_000 * state for state in range(1, 10)}  # nine of eleven

    assert rates.rate_ranks([metric()], rows, populations) == {}


# The fact sheet


def test_minnesotas_fact_sheet_gives_its_rate_and_its_ranks_by_rate_and_by_count(
    full_site, client
):
    page = page_text(client.get("/states/minnesota/2023/"))

    sentence = "In 2023, 10,407 CyberTipline reports had a reported user located in Minnesota."
    rate = "That is 181.4 per 100,000 residents."
    ranks = (
        "Minnesota ranks 41st highest of 50 states by rate and 26th highest of 50 states "
        "by count in 2023."
    )
    assert f"{sentence} {rate} {ranks}" in page


def test_the_figure_of_another_metric_has_its_own_line_and_rate_and_no_rank(full_site, client):
    page = page_text(client.get("/states/minnesota/2023/"))

    # Reported by Minnesota's own fact sheet only: a rate, but no state to rank it among.
    line = "In 2023, 8,611 CyberTipline reports were made available to law enforcement in "
    line += "Minnesota. That is 150.1 per 100,000 residents."
    assert line in page
    after = page.split(line)[1]
    assert not after.startswith(" Minnesota ranks")


def test_no_rate_for_the_national_running_total_or_percent_figures(full_site, client):
    page = page_text(client.get("/states/minnesota/2023/"))

    for sentence in (
        "NCMEC has supported law enforcement's identification of 27,130 children.",
        "19% of these children were likely victims of child sex trafficking.",
        "more than 18,400 reports relating to child sex trafficking.",
    ):
        after = page.split(sentence)[1]
        assert not after.startswith(" That is"), sentence


def test_without_a_population_for_the_year_a_fact_sheet_gives_no_rate(full_site, client):
    with public_change():
        public_write("Minnesota's population")
        Figure.objects.filter(metric__key=POPULATION_KEY, state__code="MN").delete()

    page = page_text(client.get("/states/minnesota/2023/"))

    assert "per 100,000" not in page
    sentence = "In 2023, 10,407 CyberTipline reports had a reported user located in Minnesota."
    assert f"{sentence} Minnesota ranks 26th highest of 50 states by count in 2023." in page


def test_the_pdf_says_what_the_page_says(full_site):
    minnesota = State.objects.get(code="MN")
    years, state_years = fact_sheet_years(minnesota, False)
    sheet = fact_sheet_build(
        minnesota,
        2023,
        preview=False,
        years=years,
        state_years=state_years,
        states=list(State.objects.all()),
    )

    text = page_text(pdf.fact_sheet_html(sheet, "https://example.org/"))

    # In its key figures, which say them on paper for the state's figures below.
    assert (
        "10,407 Reports with a user located in the state CyberTipline 181.4 per 100,000 "
        "residents. 41st highest of 50 states by rate and 26th highest by count." in text
    )
    assert (
        "8,611 Reports made available to law enforcement CyberTipline 150.1 per 100,000 "
        "residents." in text
    )


# The program page's table of states


def state_table(client):
    content = main_of(client.get("/programs/cybertipline/2023/"))
    return re.search(r'<table class="data-table state-table".*?</table>', content, re.S)[0]


def row_of(table, code):
    return re.search(rf'<tr id="{code}">.*?</tr>', table, re.S)[0]


def test_the_table_of_states_has_a_column_of_rates_that_sorts_as_numbers(full_site, client):
    table = state_table(client)

    headings = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S)
    assert [page_text(h) for h in headings] == [
        "State or territory",
        "Reports with a user located in the state",
        "Per 100,000 residents: Reports with a user located in the state",
        "Reports made available to law enforcement",
        "Per 100,000 residents: Reports made available to law enforcement",
    ]
    assert table.count('data-sort-type="number"') == 4
    minnesota, montana = row_of(table, "MN"), row_of(table, "MT")
    cells = re.findall(r'<td class="num" data-sort-value="([^"]*)">(.*?)</td>', minnesota)
    assert [(sort, page_text(text)) for sort, text in cells] == [
        ("10407.00", "10,407"),
        ("181.372502", "181.4"),
        ("8611.00", "8,611"),
        ("150.071934", "150.1"),
    ]
    # Written alike, sorted as ranked: Montana's 181.41 above Minnesota's 181.37.
    assert 'data-sort-value="181.406977">181.4<' in montana
    # Montana has no figure made available to law enforcement: no rate either.
    assert page_text(montana).endswith("181.4 No figure No figure")


def test_the_district_of_columbia_and_the_territories_have_no_figure_never_0(full_site, client):
    content = main_of(client.get("/programs/cybertipline/2023/"))

    assert 'id="DC"' not in state_table(client)
    fold = page_text(re.search(r'<p class="state-table-fold">.*?</p>', content, re.S)[0])
    assert fold == (
        "No figures for 2023: American Samoa, District of Columbia, Guam, Northern Mariana "
        "Islands, Puerto Rico, U.S. Virgin Islands."
    )


# The compare page and the metric page


def test_the_compare_page_gives_the_states_rates_under_their_counts(full_site, client):
    page = page_text(client.get("/compare/?states=MN,WI,IA&year=2023"))

    assert (
        "Reports with a user located in the state Counted by state only 10,407 12,539 5,592 "
        "Per 100,000 residents: Reports with a user located in the state "
        "Counted by state only 181.4 212.1 174.4"
    ) in page


def test_the_compare_page_gives_the_district_no_figure_and_no_rate(full_site, client):
    page = page_text(client.get("/compare/?states=DC,MN&year=2023"))

    assert (
        "Reports with a user located in the state Counted by state only No figure 10,407 "
        "Per 100,000 residents: Reports with a user located in the state "
        "Counted by state only No figure 181.4"
    ) in page


def test_the_compare_page_has_no_row_of_rates_where_no_state_has_one(full_site, client):
    page = page_text(client.get("/compare/?states=DC,GU&year=2023"))

    by_state = "Reports with a user located in the state Counted by state only No figure No figure"
    assert by_state in page
    assert "per 100,000" not in page.lower()


def test_the_metric_page_gives_the_years_rate_of_each_state(full_site, client):
    content = main_of(client.get(f"/metrics/{BY_STATE}/"))
    table = re.search(r'<table class="data-table series-grid">.*?</table>', content, re.S)[0]

    assert "2023, per 100,000 residents" in page_text(table)
    assert page_text(row_of(table, "MN")) == "Minnesota 10,407 181.4"
    assert 'id="DC"' not in table
    assert "No figure in any year: American Samoa, District of Columbia, Guam" in page_text(
        content
    )


def test_a_metric_page_without_population_for_its_year_has_no_rate_column(full_site, client):
    # The seed's figures of other years: 2023 is the only year with population.
    content = main_of(client.get(f"/metrics/{TO_LAW_ENFORCEMENT}/"))
    assert "2023, per 100,000 residents" in content

    with public_change():
        public_write("the populations")
        Figure.objects.filter(metric__key=POPULATION_KEY).delete()

    assert "per 100,000" not in main_of(client.get(f"/metrics/{TO_LAW_ENFORCEMENT}/"))
