"""The state fact sheet and the list of states, as a reader sees them.

The demo data is every figure of NCMEC's Minnesota 2023 fact sheet
(shared/seed/ncmec-minnesota-2023.md); the page must publish each of them.
"""

import html
import re

import pytest
from django.utils.html import escape

from programs.models import Figure, Metric
from states.models import State
from tests.conftest import make_figure, make_metric, make_program, page_text

SEED_WORK_AREAS = [
    "NCMEC's Work to Combat Child Sexual Exploitation",
    "NCMEC's Work to Help Locate and Recover Missing Children",
    "NCMEC's Work to Combat Child Sex Trafficking",
    "NCMEC's Work to Support Survivors/Families Impacted by a Missing or Exploited Child Case",
    "NCMEC's Education Resources for Law Enforcement and Child-Serving Professionals",
]

# Each national figure of the seed, with enough of its sentence to show it is that figure.
NATIONAL_FIGURES = [
    "received 36.2 million reports",
    "more than 105 million pieces of reported content",
    "identification of 27,130 children",
    "on 28,886 missing child cases",
    "22,442 involved children who had run away",
    "19% of these children were likely victims",
    "more than 18,400 reports relating to child sex trafficking",
    "supported 5,759 survivors and families",
    "activated on 57 incidents",
    "assistance on 146 long-term missing children cases",
    "more than 18,000 registered users",
]

MINNESOTA_SENTENCES = [
    "In 2023, 8,611 CyberTipline reports were made available to law enforcement in Minnesota.",
    "In 2023, NCMEC reviewed 128 submissions of child sexual exploitation material from "
    "Minnesota law enforcement.",
    "In 2023, NCMEC handled 201 cases of missing children from Minnesota.",
    "In 2023, NCMEC had 22 engagements with Minnesota social service agencies on cases "
    "involving child sex trafficking.",
    "In 2023, Team HOPE supported 66 survivors/families in Minnesota.",
    "In 2023, NCMEC connected 55 survivors/families to mental health services in Minnesota.",
    "In 2023, 91 new law enforcement and child-serving professionals in Minnesota joined "
    "NCMEC CONNECT.",
]


def title(response):
    return html.unescape(re.search(r"<title>(.*?)</title>", response.content.decode()).group(1))


def table_rows(table):
    """{row heading: cell} of an HTML table, tags stripped."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.split(r"</t[hd]>", row)]
        cells = [c for c in cells if c]
        rows[cells[0]] = cells[1:]
    return rows


# The Minnesota 2023 fact sheet


@pytest.mark.parametrize("figure", NATIONAL_FIGURES)
def test_fact_sheet_shows_every_national_figure_of_the_seed(client, demo, figure):
    response = client.get("/states/minnesota/2023/")

    assert response.status_code == 200
    assert figure in page_text(response)


@pytest.mark.parametrize("sentence", MINNESOTA_SENTENCES)
def test_fact_sheet_shows_each_minnesota_sentence_in_bold(client, demo, sentence):
    response = client.get("/states/minnesota/2023/")

    assert f"<strong>{escape(sentence)}</strong>" in response.content.decode()


def test_fact_sheet_shows_missing_cases_breakdown_as_table(client, demo):
    content = client.get("/states/minnesota/2023/").content.decode()

    tables = re.findall(r"<table[^>]*>.*?</table>", content, re.S)
    assert len(tables) == 1
    table = tables[0]
    assert re.search(r"<caption>Missing child cases handled, Minnesota, 2023</caption>", table)
    assert '<th scope="col">' in table
    assert table_rows(table) == {
        "Cases": ["Number"],
        "Children Missing From Social Services Facility": ["135"],
        "Other Missing Children Cases": ["57"],
        "Children Reported Missing by Office of Refugee Resettlement (HHS-ORR)": ["9"],
        "Total": ["201"],
    }
    for heading in re.findall(r"<tr><th([^>]*)>", table):
        assert "scope=" in heading


def test_fact_sheet_shows_work_area_headings_in_the_seed_order(client, demo):
    text = page_text(client.get("/states/minnesota/2023/"))

    positions = [text.find(heading) for heading in SEED_WORK_AREAS]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_fact_sheet_puts_each_figure_under_its_work_area(client, demo):
    text = page_text(client.get("/states/minnesota/2023/"))

    # The text after each heading, up to the next one.
    headings = "|".join(re.escape(heading) for heading in SEED_WORK_AREAS)
    sections = dict(zip(SEED_WORK_AREAS, re.split(headings, text)[1:], strict=True))
    assert "8,611" in sections[SEED_WORK_AREAS[0]]
    assert "201 cases" in sections[SEED_WORK_AREAS[1]]
    assert "22 engagements" in sections[SEED_WORK_AREAS[2]]
    assert "66 survivors/families" in sections[SEED_WORK_AREAS[3]]
    assert "91 new law enforcement" in sections[SEED_WORK_AREAS[4]]


def test_fact_sheet_writes_national_figures_in_plain_text_not_bold(client, demo):
    content = client.get("/states/minnesota/2023/").content.decode()

    bold = " ".join(re.findall(r"<strong>(.*?)</strong>", content, re.S))
    assert "36.2 million" not in bold
    assert "27,130" not in bold


def test_fact_sheet_title_names_the_state_and_year(client, demo):
    response = client.get("/states/minnesota/2023/")

    assert "Minnesota" in title(response)
    assert "2023" in title(response)


def test_state_page_shows_the_latest_year_with_canonical_link_to_it(client, demo):
    response = client.get("/states/minnesota/")

    assert response.status_code == 200
    assert "Minnesota" in title(response)
    assert (
        '<link rel="canonical" href="http://testserver/states/minnesota/2023/">'
        in response.content.decode()
    )
    text = page_text(response)
    for figure in NATIONAL_FIGURES:
        assert figure in text
    for sentence in MINNESOTA_SENTENCES:
        assert sentence in text


def test_state_page_shows_the_latest_of_two_years(client, demo, minnesota):
    cybertipline = Metric.objects.get(key="cybertipline-reports-to-law-enforcement")
    make_figure(cybertipline, year=2022, state=minnesota, value=7000)

    latest = page_text(client.get("/states/minnesota/"))
    older = page_text(client.get("/states/minnesota/2022/"))

    assert "In 2023, 8,611 CyberTipline reports" in latest
    # The other year is there only as the change from it, and in the trend.
    assert "In 2022, 7,000" not in latest
    assert "Up 1,611 (+23%) from 7,000 in 2022." in latest
    assert "In 2022, 7,000 CyberTipline reports" in older
    assert "In 2023, 8,611" not in older


def test_year_selector_on_fact_sheet_redirects_to_the_year_page(client, demo, minnesota):
    make_figure(
        Metric.objects.get(key="cybertipline-reports-to-law-enforcement"),
        year=2022,
        state=minnesota,
        value=7000,
    )

    response = client.get("/states/minnesota/", {"year": "2022"})

    assert response.status_code == 302
    assert response["Location"] == "/states/minnesota/2022/"
    content = client.get("/states/minnesota/2023/").content.decode()
    assert '<option value="2022"' in content
    assert '<option value="2023" selected>' in content


# A state with no figures


def test_fact_sheet_without_state_figures_says_so_once_in_words(client, demo):
    text = page_text(client.get("/states/wyoming/2023/"))

    assert text.count("NCMEC has not published any figures for Wyoming yet.") == 1
    # Not a promise of state figures followed by a "no figure" line under every metric.
    assert "Listed below are Wyoming specific statistics" not in text
    assert "no figure reported for Wyoming" not in text


def test_fact_sheet_without_state_figures_shows_no_zero(client, demo):
    response = client.get("/states/wyoming/2023/")

    text = page_text(response)
    # A lone 0, as a table cell or a number in a sentence, would read as "none happened".
    assert not re.search(r"(?<![\w.,])0(?![\w.,%])", text)
    assert "<strong>" not in response.content.decode()
    assert "<table" not in response.content.decode()


def test_fact_sheet_without_state_figures_still_gives_national_context(client, demo):
    text = page_text(client.get("/states/wyoming/2023/"))

    for figure in NATIONAL_FIGURES:
        assert figure in text


# The list of states


def test_state_list_links_to_every_state_and_territory(client, demo):
    content = client.get("/states/").content.decode()

    linked = re.findall(r'href="/states/([a-z0-9-]+)/"', content)
    assert len(linked) == 56
    assert set(linked) == set(State.objects.values_list("slug", flat=True))
    assert ">Minnesota</a>" in content
    assert ">U.S. Virgin Islands</a>" in content


# Pages that do not exist


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/states/atlantis/", id="unknown-state"),
        pytest.param("/states/atlantis/2023/", id="unknown-state-with-year"),
        pytest.param("/states/minnesota/1999/", id="year-without-figures"),
        pytest.param("/states/minnesota/99999999999999999999999/", id="huge-year"),
    ],
)
def test_fact_sheet_that_does_not_exist_is_a_friendly_404(anonymous, demo, url):
    response = anonymous.get(url)

    assert response.status_code == 404
    assert "Page not found" in page_text(response)


# A malformed ?year= is a 400 (it was a 404): tests/programs/test_years.py asks every
# address the same.
@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/states/minnesota/?year=abc", id="year-not-a-number"),
        pytest.param("/states/minnesota/?year=20233", id="year-too-long"),
        pytest.param("/states/minnesota/?year=²⁰²³", id="year-superscript-digits"),
    ],
)
def test_fact_sheet_with_a_malformed_year_is_a_friendly_400(anonymous, demo, url):
    response = anonymous.get(url)

    assert response.status_code == 400
    assert "The year must be written as four digits, like 2023." in page_text(response)


def test_fact_sheet_with_an_empty_year_is_its_latest_year(anonymous, demo):
    response = anonymous.get("/states/minnesota/?year=")

    assert response.status_code == 200
    assert '<link rel="canonical" href="http://testserver/states/minnesota/2023/">' in (
        response.content.decode()
    )


def test_fact_sheet_of_unpublished_program_hides_its_figures(client, demo, minnesota):
    hidden = make_program(name="Draft Program", is_published=False)
    make_figure(make_metric(hidden, label="Draft figures"), state=minnesota, value=4242)

    text = page_text(client.get("/states/minnesota/2023/"))

    assert "Draft Program" not in text
    assert "4,242" not in text


def test_fact_sheets_before_any_figure_is_published_say_so(client, db):
    response = client.get("/states/minnesota/")

    assert response.status_code == 200
    assert "No figures have been published yet." in page_text(response)


# Escaping


def test_fact_sheet_escapes_program_summary_and_metric_sentence(client, minnesota):
    program = make_program(summary="Summary <script>alert(1)</script>")
    make_figure(
        make_metric(program, sentence="<script>alert(1)</script> In {year}, {value} in {state}."),
        state=minnesota,
        value=5,
    )

    content = client.get("/states/minnesota/2023/").content.decode()

    assert "<script>" not in content
    assert "Summary &lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; In 2023, 5 in Minnesota." in content


def test_fact_sheet_names_the_source_of_its_figures(client, demo):
    body = client.get("/states/minnesota/2023/").content.decode()

    assert '<h2 id="sources-heading">Sources</h2>' in body
    assert "NCMEC, Minnesota Data fact sheet, 2023" in body


def test_a_figure_note_is_shown_under_its_sentence_and_escaped(client, demo):
    Figure.objects.filter(metric__key="cvip-submissions-reviewed").update(
        note="Includes <b>late</b> submissions"
    )

    body = client.get("/states/minnesota/2023/").content.decode()

    assert "Note: Includes &lt;b&gt;late&lt;/b&gt; submissions" in body
