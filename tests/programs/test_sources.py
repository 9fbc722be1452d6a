"""Each page lists the sources of the figures it shows, and only those, each with its
address and credit; each figure names its own source beside it, and one that names none
says so rather than borrow another's."""

import io
import re

import pytest
from pypdf import PdfReader

from programs.models import POPULATION_KEY, Figure, Metric, Program, Source, public_change
from states.models import State
from tests.conftest import make_edition, make_figure, make_metric, page_text

FACT_SHEET = "NCMEC, Minnesota Data fact sheet, 2023"
APPENDIX = "OJJDP–NCMEC Transparency Report, calendar year 2023, Appendix A"
CENSUS = "U.S. Census Bureau, Vintage 2023 population estimates (July 1, 2023)"
DETAIL = "NCMEC, a detail table"


def sources_section(response):
    found = re.search(r'<section class="sources".*?</section>', response.content.decode(), re.S)
    return found.group(0) if found else ""


def listed(response):
    """The titles a page's list of sources gives, in order."""
    items = re.findall(r'<li id="source-[^"]*"[^>]*>(.*?)</li>', sources_section(response), re.S)
    return [page_text(re.search(r"<cite>(.*?)</cite>", item)[1]) for item in items]


def cybertipline():
    return Program.objects.get(slug="cybertipline")


def hidden_figures(year=2023):
    """Figures a fact sheet fetches but does not show: a detail metric's national figure
    (not a headline) and the nation's population (reference data), each with a source."""
    detail = make_metric(
        cybertipline(), scope=Metric.Scope.NATIONAL, headline=False, label="A detail"
    )
    make_figure(detail, year=year, value=12345, source=DETAIL)
    population = Metric.objects.get(key="population-united-states")
    make_figure(population, year=year, value=334_914_895, source=CENSUS)


def population(code, value=5_737_915):
    """The state's 2023 population, from the Census Bureau."""
    make_figure(
        Metric.objects.get(key=POPULATION_KEY),
        state=State.objects.get(code=code),
        value=value,
        source=CENSUS,
    )


def test_a_fact_sheet_lists_the_sources_of_its_figures_and_not_of_those_it_hides(client, demo):
    hidden_figures()
    population("WI")  # fetched with every state's, for ranks by rate; Minnesota has none

    response = client.get("/states/minnesota/2023/")

    assert listed(response) == [FACT_SHEET, APPENDIX]
    assert "12,345" not in page_text(response)
    assert "per 100,000" not in page_text(response)


@pytest.mark.parametrize(
    "url", ["/states/minnesota/2023/", "/compare/?states=MN", "/programs/cybertipline/2023/"]
)
def test_a_rate_lists_the_source_of_the_population_it_is_of(client, demo, url):
    population("MN")

    response = client.get(url)

    assert "per 100,000 residents" in page_text(response).lower()
    assert CENSUS in listed(response)


def test_each_source_is_listed_with_its_address_and_credit(client, demo):
    section = sources_section(client.get("/states/minnesota/2023/"))

    appendix = Source.objects.get(title=APPENDIX)
    assert f'<a href="{appendix.url}"><cite>{APPENDIX}</cite></a>' in section
    assert "Table compiled by Robert Grimm, diaphanous, CC BY 4.0" in page_text(section)
    # A source with no address and no credit is its title alone.
    assert (
        f'<li id="source-ncmec-minnesota-data-fact-sheet-2023"><cite>{FACT_SHEET}</cite>.</li>'
        in (section)
    )


def test_each_figure_names_its_source_beside_it(client, demo):
    content = client.get("/states/minnesota/2023/").content.decode()

    sentence = content.index("8,611 CyberTipline reports were made available")
    about = re.search(r'<p class="figure-about">(.*?)</p>', content[sentence:], re.S).group(1)
    assert page_text(about).startswith(
        "Reports made available to law enforcement: CyberTipline reports of suspected child"
    )
    assert page_text(about).endswith(f"Source: {FACT_SHEET}.")
    assert f'<cite class="source-name">{FACT_SHEET}</cite>' in about


def test_a_sheet_whose_figures_name_no_source_says_so_and_borrows_none(client, demo):
    """Florida 2022: no figure of its own; the nation's 2022 figure names no source, while
    figures the sheet does not show name theirs."""
    make_edition(2022)
    make_figure(Metric.objects.get(key="cybertipline-reports-received"), year=2022, value=32)
    hidden_figures(2022)

    response = client.get("/states/florida/2022/")

    assert listed(response) == []
    assert "Some figures on this page name no source." in page_text(sources_section(response))
    assert "32 reports" in page_text(response)
    assert "Source: no source given." in page_text(response)
    assert DETAIL not in response.content.decode()
    assert CENSUS not in response.content.decode()


def test_the_compare_page_lists_the_sources_of_the_rows_it_shows(client, demo):
    make_edition(2022)
    make_figure(Metric.objects.get(key="cybertipline-reports-received"), year=2022, value=32)
    hidden_figures(2022)

    response = client.get("/compare/?states=FL&year=2022")

    # The nation's detail compares no state, and the population is on no row: the one
    # figure shown, the reports received, names no source.
    assert "12,345" not in page_text(response)
    assert listed(response) == []
    assert "Some figures on this page name no source." in page_text(sources_section(response))
    assert CENSUS not in response.content.decode()


def test_the_compare_page_leaves_out_the_populations_of_rates_it_does_not_show(client, demo):
    population("WI")

    response = client.get("/compare/?states=MN&year=2023")

    assert listed(response) == [FACT_SHEET, APPENDIX]


def test_the_home_page_lists_the_sources_of_its_national_figures(client, demo):
    hidden_figures()

    assert listed(client.get("/")) == [FACT_SHEET, APPENDIX]


def test_the_program_page_names_each_columns_source_when_they_differ(client, demo):
    other = make_metric(cybertipline(), label="Reports by the other table", position=90)
    make_figure(other, state=State.objects.get(code="WI"), value=77, source=DETAIL)

    response = client.get("/programs/cybertipline/2023/")

    text = page_text(response)
    assert (
        f"Sources of the columns: Reports made available to law enforcement: {FACT_SHEET}. "
        f"Reports by the other table: {DETAIL}." in text
    )
    assert listed(response) == [DETAIL, FACT_SHEET, APPENDIX]


def test_a_program_table_of_one_source_says_it_once(client, demo):
    text = page_text(client.get("/programs/cybertipline/2023/"))

    assert f"Source: {FACT_SHEET}." in text
    assert "Sources of the columns" not in text


def test_a_metric_page_gives_each_years_source_when_they_differ(client, demo):
    received = Metric.objects.get(key="cybertipline-reports-received")
    make_figure(received, year=2022, value=32_059_029, source=DETAIL)

    response = client.get("/metrics/cybertipline-reports-received/")

    table = page_text(
        re.search(r'id="series-table".*?</table>', response.content.decode(), re.S)[0]
    )
    assert f"2023 36,210,368 {APPENDIX} 2022 32,059,029 {DETAIL}" in table
    assert listed(response) == [DETAIL, APPENDIX]


def test_a_metric_page_of_one_source_says_it_under_its_table(client, demo):
    received = Metric.objects.get(key="cybertipline-reports-received")
    make_figure(received, year=2022, value=32_059_029, source=APPENDIX)

    text = page_text(client.get("/metrics/cybertipline-reports-received/"))

    assert f"2023 36,210,368 2022 32,059,029 Source: {APPENDIX}." in text


def test_a_state_metric_page_gives_its_tables_source(client, demo):
    response = client.get("/metrics/cybertipline-reports-to-law-enforcement/")

    assert f"Source: {FACT_SHEET}." in page_text(response)
    assert listed(response) == [FACT_SHEET]


def test_a_figure_source_with_no_row_in_the_registry_is_listed_by_its_title(client, demo):
    Figure.objects.filter(metric__key="cvip-submissions-reviewed").update(
        source="A document nobody described"
    )

    assert "A document nobody described" in listed(client.get("/states/minnesota/2023/"))


def test_a_sources_title_credit_and_address_are_escaped(client, demo):
    with public_change():
        source = Source.objects.get(title=APPENDIX)
        source.credit = "<script>alert(1)</script>"
        source.save()
        Source.objects.create(title='Evil <b>"table"</b>', url="https://example.org/?a=1&b=<2>")
    Figure.objects.filter(metric__key="cvip-submissions-reviewed").update(
        source='Evil <b>"table"</b>'
    )

    content = client.get("/states/minnesota/2023/").content.decode()

    assert "<script>alert(1)</script>" not in content and "<b>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert 'href="https://example.org/?a=1&amp;b=&lt;2&gt;"' in content
    assert "Evil &lt;b&gt;&quot;table&quot;&lt;/b&gt;" in content


@pytest.mark.parametrize("url", ["/states/minnesota/", "/", "/compare/?states=MN"])
def test_a_page_without_figures_has_no_list_of_sources(client, db, url):
    assert sources_section(client.get(url)) == ""


def test_the_fact_sheet_pdf_gives_each_figure_its_definition_and_source(client, demo):
    content = client.get("/states/minnesota/2023/fact-sheet.pdf").content

    pages = PdfReader(io.BytesIO(content)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert (
        "8,611 CyberTipline reports were made available to law enforcement in Minnesota. "
        "Reports made available to law enforcement: "
        "CyberTipline reports of suspected child sexual exploitation made available to law "
        f"enforcement in the state, as the state's NCMEC fact sheet gives them. Not the "
        f"reports with a user located in the state (NCMEC's by-state table, a separate "
        f"metric). Source: {FACT_SHEET}." in text
    )
    assert f"Sources {FACT_SHEET}. {APPENDIX}. Table compiled by Robert Grimm" in text


def test_a_programs_figures_of_one_source_say_it_once_under_them(client, demo):
    text = page_text(client.get("/states/minnesota/2023/"))

    team_adam = text[text.index("Team Adam was activated on 57 incidents") :]
    last = team_adam.index("146 long-term missing children cases.")
    assert "Source:" not in team_adam[:last]
    assert f"Source: {FACT_SHEET}." in team_adam[last:][:200]
    # The CyberTipline's figures come from two documents: each says its own.
    received = text[text.index("36.2 million reports") :][:400]
    assert f"(“36.2 million” for 2023). Source: {APPENDIX}." in received
    pieces = text[text.index("more than 105 million pieces") :][:300]
    assert f"Source: {FACT_SHEET}." in pieces
