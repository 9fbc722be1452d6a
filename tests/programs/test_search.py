"""Search: the box in every page's header, and the results page."""

import html
import re

import pytest

from tests.conftest import main_of, page_text
from tests.programs.conftest import HIDDEN_METRIC, HIDDEN_PROGRAM


def results(response, heading):
    """The result names under a heading of the search page, in order."""
    pattern = rf'<h2 id="results-[a-z]+">{heading}</h2>(.*?)</section>'
    section = re.search(pattern, response.content.decode(), re.S)
    if not section:
        return []
    return [html.unescape(name) for name in re.findall(r"<li><a [^>]*>([^<]+)</a>", section[1])]


@pytest.mark.parametrize("q", ["mn", "MN", "minne", "Minnesota", "  minnesota  ", "minn\u2028"])
def test_search_finds_minnesota_by_its_code_or_part_of_its_name(site_with_history, db, client, q):
    response = client.get("/search/", {"q": q})

    assert response.status_code == 200
    assert results(response, "States and territories") == ["Minnesota"]
    assert '<a href="/states/minnesota/">Minnesota</a>' in response.content.decode()


def test_search_lists_every_state_whose_name_matches(site_with_history, db, client):
    response = client.get("/search/", {"q": "north"})

    assert results(response, "States and territories") == [
        "North Carolina",
        "North Dakota",
        "Northern Mariana Islands",
    ]


def test_search_finds_programs_by_name_and_by_summary(site_with_history, db, client):
    by_name = client.get("/search/", {"q": "team hope"})
    by_summary = client.get("/search/", {"q": "peer support"})

    assert results(by_name, "Programs") == ["Team HOPE"]
    assert results(by_summary, "Programs") == ["Team HOPE"]
    assert '<a href="/programs/team-hope/">Team HOPE</a>' in by_name.content.decode()


def test_search_finds_metrics_by_label_and_definition_and_links_to_their_page(
    site_with_history, db, client
):
    by_label = client.get("/search/", {"q": "made available to law enforcement"})
    by_definition = client.get("/search/", {"q": "Office of Refugee Resettlement"})

    assert results(by_label, "Figures") == ["Reports made available to law enforcement"]
    assert "(CyberTipline)" in page_text(by_label)
    assert 'href="/metrics/cybertipline-reports-to-law-enforcement/"' in by_label.content.decode()
    assert "Missing child cases handled" in results(by_definition, "Figures")


def test_search_never_shows_an_unpublished_program_or_its_metrics(site_with_history, db, client):
    for q in ("quiet pilot", "secret pilot", "pilot"):
        page = client.get("/search/", {"q": q}).content.decode()

        assert HIDDEN_PROGRAM not in page
        assert HIDDEN_METRIC not in page
        assert "quiet-pilot" not in page


def test_search_with_nothing_found_says_so_and_suggests_what_to_type(
    site_with_history, db, client
):
    response = client.get("/search/", {"q": "zebra"})

    assert response.status_code == 200
    assert "Nothing matches “zebra”" in page_text(response)
    assert "two-letter code" in page_text(response)


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}])
def test_search_without_a_query_explains_what_to_look_for(site_with_history, db, client, query):
    response = client.get("/search/", query)

    assert response.status_code == 200
    assert "Type the name of a state or territory" in page_text(response)
    assert 'href="/search/?q=Minnesota"' in response.content.decode()
    assert 'href="/states/"' in main_of(response)


def test_search_over_100_characters_is_a_bad_request_that_says_why(site_with_history, db, client):
    response = client.get("/search/", {"q": "a" * 101})

    assert response.status_code == 400
    assert "A search can be at most 100 characters long; this one has 101." in page_text(response)
    assert client.get("/search/", {"q": "a" * 100}).status_code == 200


def test_search_writes_the_query_back_escaped(site_with_history, db, client):
    content = client.get("/search/", {"q": '<b onclick="x">mn'}).content.decode()

    assert "<b onclick" not in content
    assert "&lt;b onclick=&quot;x&quot;&gt;mn" in content


def test_search_results_are_not_indexed_by_search_engines(site_with_history, db, client):
    assert '<meta name="robots" content="noindex">' in client.get("/search/?q=mn").content.decode()
    assert 'name="robots"' not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/programs/cybertipline/2023/", "/states/minnesota/", "/revisions/"]
)
def test_every_page_has_a_labelled_search_box_in_its_header(site_with_history, db, client, url):
    header = client.get(url).content.decode().split("</header>", 1)[0]

    search_form = r'<form class="site-search" role="search"[^>]*method="get" action="/search/">'
    form = re.search(search_form + "(.*?)</form>", header, re.S)
    assert form, f"{url} has no search box in its header"
    assert '<label for="site-search-q">Search</label>' in form[1]
    assert 'id="site-search-q" name="q"' in form[1]
