"""Trends as readers see them: each figure beside last year's, its rank among the states,
a chart and a table of its years, and a page per metric."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from programs import formatting
from programs.models import Edition, Figure, Metric, MetricNote, public_change
from programs.reader import trends
from programs.reader.charts import Point
from states.models import State
from tests.conftest import make_figure, make_metric, make_program

YEARS = range(2014, 2023)
# Minnesota's CyberTipline reports, 2014–2022: lowest in 2015, highest in 2018.
MINNESOTA = dict(zip(YEARS, [3000, 2500, 4000, 5000, 9500, 6000, 6500, 7407, 8611], strict=True))
NATIONAL_VALUES = [1_100_000, 4_400_000, 8_200_000, 10_200_000, 18_400_000, 16_900_000,
                   21_700_000, 29_300_000, 32_000_000]  # fmt: skip
NATIONAL = dict(zip(YEARS, NATIONAL_VALUES, strict=True))
DRAFT_YEAR, DRAFT_VALUE = 2023, 987_654
STATE_KEY = "cybertipline-reports-to-law-enforcement"
NATIONAL_KEY = "cybertipline-reports-received"


def other_value(index, year):
    """Every other state's figure: all different, so ranks are plain."""
    return 100 * (index + 1) + (year - 2014)


@pytest.fixture
def cybertipline(db):
    """A published CyberTipline with a state and a national metric, figures for every
    state and 2014–2022 in published editions, and a 2023 draft edition."""
    program = make_program(name="CyberTipline", slug="cybertipline")
    per_state = make_metric(
        program,
        key=STATE_KEY,
        label="Reports made available to law enforcement",
        sentence="In {year}, {value} CyberTipline reports were made available to law "
        "enforcement in {state}.",
        first_year=2014,
        definition="Reports of suspected child sexual exploitation made available to "
        "law enforcement in the state.",
    )
    national = make_metric(
        program,
        key=NATIONAL_KEY,
        label="Reports received",
        scope=Metric.Scope.NATIONAL,
        sentence="In {year}, the CyberTipline received {value} reports.",
        first_year=2014,
    )
    with public_change():
        MetricNote.objects.create(
            metric=per_state, first_year=2019, text="Reports are counted by the suspect's state."
        )
        now = timezone.now()
        Edition.objects.bulk_create(
            [Edition(year=y, status=Edition.Status.PUBLISHED, published_at=now) for y in YEARS]
            + [Edition(year=DRAFT_YEAR)]
        )
        figures = []
        for index, state in enumerate(State.objects.order_by("code")):
            for year in YEARS:
                value = MINNESOTA[year] if state.code == "MN" else other_value(index, year)
                figures.append(Figure(metric=per_state, year=year, state=state, value=value))
        figures += [Figure(metric=national, year=y, value=v) for y, v in NATIONAL.items()]
        figures.append(
            Figure(
                metric=per_state,
                year=DRAFT_YEAR,
                state=State.objects.get(code="MN"),
                value=DRAFT_VALUE,
            )
        )
        Figure.objects.bulk_create(figures)
    return per_state, national


def flat_html(response):
    """The page's HTML with each run of white space one space: an assertion may span the
    template's line breaks."""
    return re.sub(r"\s+", " ", response.content.decode())


# The change from the year before


def change(metric, now, before, qualifiers=("", "")):
    return trends.Change(metric, Point(2023, Decimal(now), qualifiers[0]),
                         Point(2022, Decimal(before), qualifiers[1])).text  # fmt: skip


COUNT = Metric(key="m", label="Reports", unit=formatting.COUNT, period=Metric.Period.YEAR)
PERCENT = Metric(key="p", label="Share", unit=formatting.PERCENT, period=Metric.Period.YEAR)
RUNNING = Metric(key="r", label="Children", unit=formatting.COUNT, period=Metric.Period.TO_DATE)


def test_a_count_says_how_much_it_rose_and_by_what_percent():
    assert change(COUNT, 8611, 7407) == "Up 1,204 (+16.3%) from 7,407 in 2022."


def test_a_fall_is_written_with_a_minus_sign():
    assert change(COUNT, 7407, 8611) == "Down 1,204 (\N{MINUS SIGN}14%) from 8,611 in 2022."


def test_an_unchanged_figure_says_so():
    assert change(COUNT, 12, 12) == "The same as in 2022."


def test_a_rise_from_zero_has_no_percent():
    assert change(COUNT, 12, 0) == "Up 12 from 0 in 2022."


def test_a_percent_changes_in_percentage_points():
    assert change(PERCENT, 19, 17) == "Up 2 percentage points from 17% in 2022."
    assert change(PERCENT, 18, 19) == "Down 1 percentage point from 19% in 2022."


def test_a_rounded_figure_changes_by_about_its_rounded_difference():
    rounded = (formatting.ROUNDED, formatting.ROUNDED)
    assert change(COUNT, 36_200_000, 32_000_000, rounded) == (
        "Up about 4.2 million (+13.1%) from 32 million in 2022."
    )


def test_a_more_than_figure_gives_last_years_figure_without_a_difference():
    floors = (formatting.MORE_THAN, formatting.EXACT)
    assert change(COUNT, 18_400, 16_000, floors) == "It was 16,000 in 2022."


def test_a_running_total_is_not_compared_with_the_year_before():
    figure = Figure(year=2023, value=Decimal(27_130), qualifier="")
    points = [Point(2022, Decimal(25_926))]

    assert trends.change_for(RUNNING, figure, points) is None
    assert trends.change_for(COUNT, figure, points) is not None


def test_no_figure_for_the_year_before_means_no_change_is_said():
    figure = Figure(year=2023, value=Decimal(10), qualifier="")

    assert trends.change_for(COUNT, figure, [Point(2021, Decimal(5))]) is None
    assert trends.change_for(COUNT, figure, []) is None


def test_a_note_starting_this_year_warns_that_the_years_are_not_alike():
    figure = Figure(year=2023, value=Decimal(10), qualifier="")
    note = MetricNote(first_year=2023, text="From 2023, counted by the suspect's state.")

    text = trends.change_for(COUNT, figure, [Point(2022, Decimal(5))], [note]).text

    assert text == ("Up 5 (+100%) from 5 in 2022. The note above applies from 2023, not to 2022.")


# Ranks


def test_ties_share_a_rank_and_the_next_rank_skips():
    rows = [(1, state, value) for state, value in enumerate([90, 80, 80, 70, *range(60, 0, -10)])]

    ranked = trends.ranks(rows)

    assert ranked[(1, 0)] == trends.Rank(1, 10)
    assert ranked[(1, 1)] == ranked[(1, 2)] == trends.Rank(2, 10, tied=True)
    assert ranked[(1, 3)] == trends.Rank(4, 10)
    assert ranked[(1, 2)].text == "tied 2nd highest of 10 states and territories reporting"


def test_a_tied_state_is_said_to_be_tied():
    trend = trends.Trend(COUNT, "Iowa", 2023, "t", rank=trends.Rank(3, 48, tied=True))

    assert trend.rank_text == (
        "Iowa is tied 3rd highest of 48 states and territories reporting in 2023."
    )


def test_no_rank_is_given_when_fewer_than_ten_places_reported():
    rows = [(1, state, state) for state in range(9)]

    assert trends.ranks(rows) == {}


@pytest.mark.parametrize(
    ("n", "written"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
     (13, "13th"), (21, "21st"), (22, "22nd"), (56, "56th")],
)  # fmt: skip
def test_ranks_are_written_as_ordinals(n, written):
    assert trends.ordinal(n) == written


# The fact sheet and the program page


def test_a_fact_sheet_gives_each_state_figure_its_change_and_rank(client, cybertipline):
    page = flat_html(client.get("/states/minnesota/2022/"))

    assert "In 2022, 8,611 CyberTipline reports were made available" in page
    assert "Up 1,204 (+16.3%) from 7,407 in 2021." in page
    # 56 places reported in 2022; other states have 100 to 5,608, Minnesota 8,611.
    assert "Minnesota ranks 1st highest of 56 states and territories reporting in 2022." in page


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
    # Every year is one link away, on the metric's page.
    assert 'href="/metrics/cybertipline-reports-to-law-enforcement/">Every year' in page


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
    assert 'href="/metrics/cybertipline-reports-received/">Every year' in page
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
