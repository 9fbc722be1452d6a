"""On NCMEC's published record (the full demo, built once): a total's breakdowns each in
a labelled table of their own, the 2023 national figure written exact in tables and
rounded in sentences, figures that look alike each beside its own definition, and the
sources of what each page shows."""

import re

import pytest

from programs.models import Figure, Program
from states.models import State
from tests.conftest import make_figure, make_metric, page_text

APPENDIX = "OJJDP–NCMEC Transparency Report, calendar year 2023, Appendix A"
TRANSPARENCY = "OJJDP–NCMEC Transparency Reports, calendar years 2022 and 2023"
BY_STATE = "NCMEC, 2023 CyberTipline Reports by State"
CENSUS = "U.S. Census Bureau, Vintage 2023 population estimates (July 1, 2023)"
FACT_SHEET = "NCMEC, Minnesota Data fact sheet, 2023"


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("full_demo")]


def tables(response):
    """{caption: [row text]} of a page's breakdown tables."""
    found = {}
    for table in re.findall(
        r'<table class="breakdown">.*?</table>', response.content.decode(), re.S
    ):
        caption = page_text(re.search(r"<caption>(.*?)</caption>", table, re.S)[1])
        found[caption] = [page_text(row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    return found


def listed(response):
    section = re.search(r'<section class="sources".*?</section>', response.content.decode(), re.S)
    items = re.findall(r'<li id="source-[^"]*"[^>]*>(.*?)</li>', section[0], re.S)
    return [page_text(re.search(r"<cite>(.*?)</cite>", item)[1]) for item in items]


def after(text, start, length=900):
    """The text that follows ``start`` on the page."""
    return text[text.index(start) :][:length]


# Breakdowns


def test_the_program_page_gives_each_breakdown_of_a_total_its_own_labelled_table(client):
    found = tables(client.get("/programs/cybertipline/2023/"))

    where = found["Reports received, the United States, 2023, by where the reported user was"]
    kinds = found["Reports received, the United States, 2023, by kind of exploitation"]
    assert where[0] == "By where the reported user was Number"
    assert where[1:] == [
        "Reported user located in the United States 1,621,937",
        "Reported user located outside the United States 33,220,027",
        "Reported user's location unknown 1,368,404",
        "Total 36,210,368",
    ]
    assert len(kinds) == 1 + 8 + 1 and kinds[-1] == "Total 36,210,368"
    assert "Child sex trafficking 17,353" in kinds
    files = found["Pieces of reported content, the United States, 2023, by kind of file"]
    # Every digit, as its parts are written (a sentence says "more than 105 million").
    assert files[-1] == "Total more than 105,000,000"
    known = found[
        "Reports with users in the United States (by-country table), the United States, "
        "2023, by whether the state is known"
    ]
    assert known[1:] == [
        "Located in a state 910,349",
        "State unspecified 221,921",
        "Total 1,132,270",
    ]


def test_a_breakdown_whose_parts_come_from_another_document_says_so_under_its_table(client):
    text = page_text(client.get("/programs/cybertipline/2023/"))

    assert f"Total 1,132,270 Source of the parts: {BY_STATE}." in text
    assert f"Total 36,210,368 Source of the parts: {TRANSPARENCY}." in text


def test_the_metric_page_of_a_total_shows_its_breakdowns_in_the_year(client):
    response = client.get("/metrics/cybertipline-reports-received/")

    text = page_text(response)
    assert "Breakdowns, 2023" in text
    assert "the breakdowns count the same reports in different ways" in text
    found = tables(response)
    assert list(found) == [
        "Reports received, United States, 2023, by where the reported user was",
        "Reports received, United States, 2023, by kind of exploitation",
    ]
    assert all(rows[-1] == "Total 36,210,368" for rows in found.values())
    assert '<a href="/metrics/cybertipline-incident-child-sex-trafficking/">' in (
        response.content.decode()
    )
    assert f"Source of the parts: {TRANSPARENCY}. Of the total: {APPENDIX}." in text


def test_the_metric_page_shows_another_years_breakdowns_when_asked(client):
    response = client.get("/metrics/cybertipline-reports-received/?year=2021")

    assert "Breakdowns, 2021" in page_text(response)
    found = tables(response)
    assert found["Reports received, United States, 2021, by kind of exploitation"][-1] == (
        "Total 29,397,681"
    )


def test_the_metric_page_of_a_part_names_its_total_and_breakdown(client):
    text = page_text(client.get("/metrics/cybertipline-incident-child-sex-trafficking/"))

    assert "A part of reports received, by kind of exploitation" in text
    assert "Breakdowns," not in text


def test_the_compare_page_gives_the_states_parts_and_leaves_the_nations_detail_out(client):
    text = page_text(client.get("/compare/?states=MN&year=2023"))

    part = "Of which: Children Missing From Social Services Facility Counted by state only 135"
    assert part in text
    # The nation's headline figures give the states context; its breakdowns compare no
    # state, and stay on the program's page.
    assert "Reports received 36,210,368 Counted nationally only" in text
    assert "Child sex trafficking" not in text
    assert "Reported user located in the United States" not in text


def test_the_staff_check_finds_every_breakdown_adding_up(admin_client):
    response = admin_client.get("/admin/programs/figure/")

    assert response.status_code == 200
    assert list(response.context["messages"]) == []


def test_the_staff_check_names_the_breakdown_that_does_not_add_up(admin_client):
    Figure.objects.filter(metric__key="cybertipline-incident-child-sex-tourism", year=2023).update(
        value=2000
    )

    response = admin_client.get("/admin/programs/figure/")

    assert [message.message for message in response.context["messages"]] == [
        "Reports received, United States, 2023: the 8 parts by kind of exploitation add up "
        "to 36,210,366, but the total is 36,210,368; the parts of a total add up to it (is a "
        "part missing, or mistyped?)."
    ]


# One figure: exact in tables, rounded in sentences


def test_the_2023_national_figure_is_exact_in_tables_and_rounded_in_sentences(client):
    sheet = page_text(client.get("/states/minnesota/2023/"))
    program = page_text(client.get("/programs/cybertipline/2023/"))
    metric = page_text(client.get("/metrics/cybertipline-reports-received/"))

    sentence = "In 2023, the CyberTipline received 36.2 million reports"
    assert sentence in sheet and sentence in program
    assert "2023 36,210,368 2022 32,059,029" in program  # its trend's table
    assert "Year Figure 2023 36,210,368 2022 32,059,029" in metric
    assert "Total 36,210,368" in program


# Figures that look alike, each with its definition


def test_the_fact_sheet_gives_minnesotas_two_report_counts_each_its_definition(client):
    text = page_text(client.get("/states/minnesota/2023/"))

    by_state = after(text, "In 2023, 10,407 CyberTipline reports had a reported user located")
    to_police = after(text, "In 2023, 8,611 CyberTipline reports were made available")
    assert "Reports whose reported user's apparent location resolved to the state" in by_state
    assert f"Source: {BY_STATE}." in by_state
    assert "Not the reports with a user located in the state" in to_police
    assert f"Source: {FACT_SHEET}." in to_police


def test_the_two_national_counts_and_trafficking_are_each_read_with_their_definition(client):
    program = page_text(client.get("/programs/cybertipline/2023/"))
    text = page_text(client.get("/states/minnesota/2023/"))

    # After its chart and the chart's table (every year, each with its source), under
    # the figure's label.
    national = after(program, "In 2023, 1.1 million CyberTipline reports had a", 5000)
    national = after(national, "Reports with users in the United States (by-country table):")
    assert "a separate count (1,621,937 against 1,132,270 in 2023)" in national
    # The by-country count is detail for the program's page; the state sheets leave it.
    assert "1.1 million CyberTipline reports" not in text
    trafficking = after(text, "NCMEC received more than 18,400 reports relating")
    assert "More than the CyberTipline reports of the incident type" in trafficking
    assert "(17,353 in 2023, under the CyberTipline)" in trafficking


def test_a_figure_without_a_sentence_is_written_exactly_as_a_table_would(client):
    text = page_text(client.get("/programs/cybertipline/2023/"))

    assert "Similar videos: 11,213,622" in text  # not "11.2 million", a sentence's way
    assert "In 2023, the CyberTipline received 36.2 million reports" in text


def test_the_program_page_defines_the_figures_of_its_tables_and_beside_its_lines(client):
    response = client.get("/programs/cybertipline/2023/")

    definitions = page_text(
        re.search(r'<dl class="definitions">.*?</dl>', response.content.decode(), re.S)[0]
    )
    assert "Reports with a user located in the state Reports whose reported user's" in definitions
    assert "Reports made available to law enforcement CyberTipline reports of suspected" in (
        definitions
    )
    # The part 1,621,937 is read beside, and the national line 1,132,270 under its sentence.
    assert "Reported user located in the United States Reports received whose" in definitions
    assert "Child sex trafficking CyberTipline reports received of the incident type" in (
        definitions
    )
    assert "Reports received CyberTipline reports received from all sources" not in definitions
    line = after(page_text(response), "In 2023, 1.1 million CyberTipline reports had a", 5000)
    line = after(line, "Reports with users in the United States (by-country table):")
    assert "The United States row of NCMEC's CyberTipline Reports by Country" in line


def test_the_metric_pages_of_figures_that_look_alike_define_each(client):
    by_state = page_text(client.get("/metrics/cybertipline-reports-by-state/"))
    trafficking = page_text(client.get("/metrics/trafficking-reports-received/"))

    assert "10,407 here against 8,611 made available to law enforcement" in by_state
    assert "More than the CyberTipline reports of the incident type" in trafficking


# A metric's page: what it counts, its notes, the sources of its figures, every digit


def about(response):
    """The text of a metric page's "What it counts"."""
    html = response.content.decode()
    return page_text(re.search(r'<section class="metric-about".*?</section>', html, re.S)[0])


def test_a_metric_page_gives_its_definition_notes_and_sources_then_every_figure_exactly(client):
    response = client.get("/metrics/cybertipline-reports-received/")
    text = about(response)

    assert text.startswith("What it counts CyberTipline reports received from all sources")
    assert "Notes 1998: The transparency report's text gives 2,772 reports for 1998" in text
    assert text.endswith(
        f"Sources of the figures shown: {APPENDIX}; {TRANSPARENCY} ( their addresses)."
    )
    assert listed(response) == [APPENDIX, TRANSPARENCY]  # the list they point to
    assert "Year Figure 2023 36,210,368 2022 32,059,029 2021 29,397,681" in page_text(response)


def test_a_metric_without_a_definition_says_what_it_counts_in_its_sentence(client):
    text = about(client.get("/metrics/missing-cases-assisted/"))

    assert text == (
        "What it counts As the fact sheets write it: “In 2023, NCMEC assisted law "
        "enforcement, families, and social service agencies on 28,886 missing child cases.” "
        f"Source of the figures shown: {FACT_SHEET} ( its address)."
    )


def test_a_metric_with_neither_definition_nor_sentence_says_so_unless_it_is_a_part(client):
    metric = make_metric(Program.objects.get(slug="team-adam"), key="staff-metric", sentence="")
    make_figure(metric, state=State.objects.get(code="MN"), value=3, source=FACT_SHEET)

    text = about(client.get("/metrics/staff-metric/"))
    part = about(client.get("/metrics/missing-cases-other/"))

    assert text.startswith("What it counts No definition has been given for this figure.")
    assert part.startswith("What it counts A part of missing child cases handled")


def test_a_figure_more_than_a_million_is_in_full_in_tables_and_in_millions_in_sentences(client):
    metric = page_text(client.get("/metrics/cybertipline-content-pieces/"))
    sheet = page_text(client.get("/states/minnesota/2023/"))

    # Its table's one year, and the total of its parts, written as the parts are.
    assert "Year Figure 2023 more than 105,000,000" in metric
    assert "Other files 1,282,590 Total more than 105,000,000" in metric
    assert "contained more than 105 million pieces of reported content" in sheet


# Sources of what is shown


def test_a_2022_sheet_lists_the_sources_of_its_figures_and_their_years_only(client):
    response = client.get("/states/florida/2022/")

    # Its national headline (the reports received, and the years of its trend); not the
    # detail metrics it does not show, nor any population.
    assert listed(response) == [APPENDIX]


def test_paper_leaves_out_the_sources_only_the_trend_tables_name(client):
    section = re.search(
        r'<section class="sources".*?</section>',
        client.get("/programs/cybertipline/2023/").content.decode(),
        re.S,
    )[0]

    screen_only = re.findall(r'<li id="([^"]+)" class="screen-only">', section)
    assert screen_only == [
        f"source-ncmec-cybertipline-reports-by-country-{year}" for year in (2019, 2020, 2021, 2022)
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/states/minnesota/2023/",
        "/compare/?states=MN,WI,IA&year=2023",
        "/",
        "/programs/cybertipline/2023/",
        "/metrics/cybertipline-reports-by-state/",
    ],
)
def test_a_page_with_rates_per_100000_residents_lists_the_census(client, url):
    response = client.get(url)

    assert "per 100,000 residents" in page_text(response).lower()
    assert CENSUS in listed(response)


@pytest.mark.parametrize(
    "url", ["/states/florida/2022/", "/metrics/cybertipline-reports-received/"]
)
def test_a_page_without_rates_does_not_list_the_census(client, url):
    assert CENSUS not in listed(client.get(url))


def test_the_metric_page_gives_each_years_document_of_the_by_country_table(client):
    response = client.get("/metrics/cybertipline-reports-united-states/")

    table = re.search(r'id="series-table".*?</table>', response.content.decode(), re.S)[0]
    rows = [page_text(row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    assert rows[0] == "Year Figure Source"
    assert rows[1] == "2023 1,132,270 NCMEC, CyberTipline Reports by Country, 2023"
    assert rows[-1] == "2019 521,658 NCMEC, CyberTipline Reports by Country, 2019"
