"""How to cite this page: every page ends with the citation sentence, with its title, its
canonical address and, where it shows a year's figures, when they were last published or
revised."""

import html
import re

import pytest
from django.utils import timezone

from programs.formatting import format_date
from tests.conftest import main_of

PUBLISHER = "National Center for Missing & Exploited Children"


def cited(response):
    """The citation sentence the page shows, at the end of its main content."""
    main = main_of(response).split("</main>", 1)[0]
    assert "How to cite this page" in main
    section = main.rsplit('<section class="page-citation"', 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", section.split("</h2>", 1)[1])).strip()


def today():
    return format_date(timezone.localdate())


@pytest.mark.parametrize(
    ("url", "title", "address", "published"),
    [
        ("/states/minnesota/2023/", "Minnesota", "/states/minnesota/2023/", "3 May 2024"),
        (
            "/programs/cybertipline/2023/",
            "CyberTipline, 2023",
            "/programs/cybertipline/2023/",
            "1 March 2024",
        ),
        ("/", "NCMEC Data", "/", "1 March 2024"),
    ],
)
def test_a_page_of_a_years_figures_is_cited_with_their_last_revision_date(
    site_with_history, db, client, url, title, address, published
):
    citation = cited(client.get(url))

    assert citation.startswith(f"{PUBLISHER}, {title}")
    # 2023 was published on 1 March 2024; Minnesota's CVIP figure, which its fact sheet
    # shows and the others do not, was revised on 3 May 2024
    assert f", published {published}, http://testserver{address}, retrieved {today()}." in (
        citation
    )


@pytest.mark.parametrize(
    ("key", "published"),
    [
        ("cvip-submissions-reviewed", "3 May 2024"),
        ("cybertipline-reports-received", "1 March 2024"),
    ],
)
def test_a_metric_page_is_cited_with_its_latest_years_date(
    site_with_history, db, client, key, published
):
    citation = cited(client.get(f"/metrics/{key}/"))

    assert f"published {published}, http://testserver/metrics/{key}/" in citation


def test_a_page_without_a_years_figures_is_cited_without_a_publication_date(
    site_with_history, db, client
):
    citation = cited(client.get("/programs/"))

    assert citation == (
        f"{PUBLISHER}, Programs, http://testserver/programs/, retrieved {today()}."
    )


def test_the_citation_writes_what_a_reader_typed_as_text(site_with_history, db, client):
    response = client.get("/search/", {"q": "<b>MN</b>"})

    assert "&lt;b&gt;MN&lt;/b&gt;" in main_of(response).split("How to cite this page")[1]
    assert "Search: <b>MN</b>, http://testserver/search/" in cited(response)


def test_a_page_that_is_not_found_has_nothing_to_cite(site_with_history, db, client):
    response = client.get("/states/nowhere/")

    assert response.status_code == 404
    assert "How to cite this page" not in response.content.decode()
