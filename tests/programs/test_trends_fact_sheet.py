"""Trends on a state's fact sheet and a program's page: each figure beside last year's
and its rank among the states, a chart of the last five years with a table of them, never
the draft year; a warning where a note starts, no change for a running total.
"""

import re

from programs.models import Metric
from programs.reader import trends
from states.models import State
from tests.programs.trend_helpers import (
    DRAFT_YEAR,
    MINNESOTA,
    NATIONAL_KEY,
    STATE_KEY,
    flat_html,
    other_value,
)

# The shared fixture (tests/programs/trend_helpers.py) this module's tests use.


# The fact sheet and the program page


def test_a_fact_sheet_gives_each_state_figure_its_change_and_rank(client, cybertipline):
    page = flat_html(client.get("/states/minnesota/2022/"))

    assert "In 2022, 8,611 CyberTipline reports were made available" in page
    assert "Up 1,204 (+16.3%) from 7,407 in 2021." in page
    # 56 places reported in 2022; other states have 100 to 5,608, Minnesota 8,611.
    assert (
        "Minnesota ranks 1st highest of 56 states and territories reporting by count in 2022."
        in page
    )


def test_a_fact_sheet_gives_the_national_figure_its_change(client, cybertipline):
    page = flat_html(client.get("/states/minnesota/2022/"))

    assert "Up 2,700,000 (+9.2%) from 29,300,000 in 2021." in page


def test_a_states_rank_counts_the_places_above_it(client, cybertipline):
    code_order = list(State.objects.order_by("code").values_list("code", flat=True))
    index = code_order.index("WY")
    higher = sum(1 for i, code in enumerate(code_order) if code != "WY" and (
        (MINNESOTA[2022] if code == "MN" else other_value(i, 2022))
        > other_value(index, 2022)))  # fmt: skip

    page = flat_html(client.get("/states/wyoming/2022/"))

    assert f"Wyoming ranks {trends.ordinal(higher + 1)} highest of 56" in page


def test_a_fact_sheet_draws_the_last_five_years_and_tables_them_under_a_disclosure(
    client, cybertipline
):
    page = flat_html(client.get("/states/minnesota/2022/"))

    chart = re.search(r'<svg[^>]*id="trend-cybertipline-reports-to-law-enforcement-mn".*?</svg>',
                      page).group(0)  # fmt: skip
    assert 'role="img"' in chart
    # 2018-2022 of 2014-2022: the page costs the same however many years are published.
    assert "2018–2022" in chart
    assert "First: 9,500 in 2018. Last: 8,611 in 2022." in chart
    assert "Highest: 9,500 in 2018. Lowest: 6,000 in 2019." in chart
    table = page.split('id="trend-cybertipline-reports-to-law-enforcement-mn-table"')[1]
    table = table.split("</table>")[0]
    assert re.findall(r'<th scope="row">(\d{4})</th>', table) == [
        "2022", "2021", "2020", "2019", "2018"
    ]  # fmt: skip
    assert "<details" in page and "<summary>Figures by year" in page
    # Every year is one link away, on the metric's page: the figure's label is the link,
    # the one beside it (no "Every year" beside the chart).
    assert (
        '<a class="figure-label" href="/metrics/cybertipline-reports-to-law-enforcement/">'
        "Reports made available to law enforcement</a>" in page
    )
    assert "Every year" not in page


def test_every_id_on_a_fact_sheet_is_unique(client, cybertipline):
    page = client.get("/states/minnesota/2022/").content.decode()

    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert "style=" not in page


def test_an_earlier_fact_sheet_draws_the_years_up_to_its_own(client, cybertipline):
    page = flat_html(client.get("/states/minnesota/2016/"))

    assert "Up 1,500 (+60%) from 2,500 in 2015." in page
    assert "First: 3,000 in 2014. Last: 4,000 in 2016." in page
    assert "8,611" not in page  # 2022's figure is not in the story of 2016
    assert "chart-dot--current" in page


def test_the_draft_year_is_never_in_a_public_series_or_change(client, cybertipline):
    for url in ("/states/minnesota/2022/", "/programs/cybertipline/2022/",
                f"/metrics/{STATE_KEY}/", f"/metrics/{NATIONAL_KEY}/"):  # fmt: skip
        page = flat_html(client.get(url))
        assert "987,654" not in page, url
        assert str(DRAFT_YEAR) not in page, url


def test_the_program_page_gives_national_figures_their_change_and_chart(client, cybertipline):
    page = flat_html(client.get("/programs/cybertipline/2022/"))

    assert "Up 2,700,000 (+9.2%) from 29,300,000 in 2021." in page
    assert 'id="trend-cybertipline-reports-received-us"' in page
    assert (
        '<a class="figure-label" href="/metrics/cybertipline-reports-received/">'
        "Reports received</a>" in page
    )
    assert "Every year" not in page
    # The definitions link to each metric's page.
    assert (
        '<a href="/metrics/cybertipline-reports-to-law-enforcement/">'
        "Reports made available to law enforcement</a>" in page
    )


def test_a_fact_sheet_warns_when_a_note_starts_with_its_year(client, cybertipline):
    page = flat_html(client.get("/states/minnesota/2019/"))

    assert "Down 3,500 (\N{MINUS SIGN}36.8%) from 9,500 in 2018. The note above applies" in page
    assert "applies from 2019" not in flat_html(client.get("/states/minnesota/2020/"))


def test_a_running_total_shows_its_chart_but_no_change(client, cybertipline):
    _, national = cybertipline
    Metric.objects.filter(pk=national.pk).update(period=Metric.Period.TO_DATE)

    page = flat_html(client.get("/programs/cybertipline/2022/"))

    assert "from 29,300,000 in 2021" not in page
    assert 'id="trend-cybertipline-reports-received-us"' in page
