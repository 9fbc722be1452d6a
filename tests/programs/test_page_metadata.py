"""What a page says of itself: descriptions, Open Graph tags, when its figures were
published and last revised, robots.txt; and the home page's national figures."""

import html
import re
from decimal import Decimal

import pytest
from django.db.models import Q

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.models import Edition, Figure, Revision
from programs.reader.published import publication
from tests.conftest import main_of, page_text
from tests.programs.conftest import PUBLISHED_2022, PUBLISHED_2023

# Descriptions and Open Graph tags


def meta(content, attribute, name):
    found = re.search(rf'<meta {attribute}="{name}" content="([^"]*)">', content)
    return html.unescape(found[1]) if found else None


PAGES = [
    "/",
    "/programs/",
    "/programs/cybertipline/",
    "/programs/cybertipline/2022/",
    "/states/",
    "/states/minnesota/",
    "/states/wyoming/2023/",
    "/revisions/",
    "revision",
    "/search/",
    "/search/?q=mn",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_its_own_description_and_open_graph_tags(
    site_with_history, db, client, url
):
    if url == "revision":
        url = Revision.objects.public().first().get_absolute_url()
    content = client.get(url).content.decode()

    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', content)[1]
    assert canonical.startswith("http://testserver/")
    assert meta(content, "property", "og:url") == canonical
    description = meta(content, "name", "description")
    assert description and description == meta(content, "property", "og:description")
    assert meta(content, "property", "og:title")
    assert meta(content, "property", "og:site_name") == "NCMEC Data"
    assert meta(content, "property", "og:type") == "website"
    if url != "/":
        default = "Statistics of the National Center for Missing and Exploited Children"
        assert not description.startswith(default), f"{url} has the site's description"
        assert meta(content, "property", "og:title") != "NCMEC Data"


@pytest.mark.parametrize("url", ["/no-such-page/", "/states/minnesota/1999/"])
def test_a_page_not_found_names_no_address_of_its_own_and_asks_not_to_be_indexed(
    site_with_history, db, client, url
):
    response = client.get(url)
    content = response.content.decode()

    assert response.status_code == 404
    assert 'rel="canonical"' not in content
    assert meta(content, "property", "og:url") is None
    assert meta(content, "name", "robots") == "noindex"
    assert meta(content, "name", "description") == meta(content, "property", "og:description")


def test_open_graph_url_of_an_undated_page_is_its_dated_canonical_address(
    site_with_history, db, client
):
    content = client.get("/states/minnesota/").content.decode()

    assert meta(content, "property", "og:url") == "http://testserver/states/minnesota/2023/"


# When the figures were published: site_with_history revised one figure of 2023,
# Minnesota's CVIP submissions reviewed.


@pytest.mark.parametrize(
    "url",
    [
        "/programs/child-victim-identification-program/2023/",
        "/states/minnesota/2023/",
        "/compare/?states=MN,WI&year=2023",
        "/metrics/cvip-submissions-reviewed/",  # its latest year
    ],
)
def test_a_page_showing_a_revised_figure_says_when_it_was_published_and_last_revised(
    site_with_history, db, client, url
):
    response = client.get(url)

    assert "Figures for 2023 published 1 March 2024; last revised 3 May 2024." in page_text(
        response
    )
    assert '<time datetime="2024-03-01">1 March 2024</time>' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/programs/cybertipline/2023/",
        "/states/guam/2023/",
        "/compare/?states=WI&year=2023",
        "/metrics/cybertipline-reports-to-law-enforcement/",
    ],
)
def test_a_page_not_showing_the_revised_figure_says_only_when_its_year_was_published(
    site_with_history, db, client, url
):
    text = page_text(client.get(url))

    assert "Figures for 2023 published 1 March 2024." in text
    assert "last revised" not in text


@pytest.mark.parametrize(
    "url",
    ["/programs/cybertipline/2022/", "/states/wisconsin/2022/", "/compare/?states=WI&year=2022"],
)
def test_a_page_of_a_year_never_revised_says_only_when_it_was_published(
    site_with_history, db, client, url
):
    text = page_text(client.get(url))

    assert "Figures for 2022 published 1 February 2023." in text
    assert "last revised" not in text


def test_the_revised_date_links_to_the_revision_notes(site_with_history, db, client):
    content = client.get("/states/minnesota/2023/").content.decode()

    assert '; last <a href="/revisions/">revised</a> <time datetime="2024-05-03">' in content


def test_a_draft_year_in_the_staff_preview_says_it_is_not_published(
    site_with_history, db, client, admin_client
):
    Edition.objects.filter(year=2023).update(status=Edition.Status.DRAFT, published_at=None)
    admin_client.post("/preview/start/")

    text = page_text(admin_client.get("/states/minnesota/2023/"))

    assert "Figures for 2023 are not published yet." in text
    assert "Figures for 2023 published" not in text


def test_a_year_published_again_after_its_last_revision_is_not_said_revised(
    site_with_history, db, client
):
    cvip = Figure.objects.get(metric__key="cvip-submissions-reviewed", year=2023)
    pending_changes_stage(
        proposals=[Proposal(cvip.metric, 2023, cvip.state, cvip, value=Decimal(140))],
        reason="Recount",
    )
    pending_changes_publish(year=2023)
    Revision.objects.update(published_at=PUBLISHED_2022)
    Edition.objects.filter(year=2023).update(published_at=PUBLISHED_2023)

    dates = publication(2023, Q())  # of every figure

    assert dates.published_at == PUBLISHED_2023
    assert dates.revised_at is None
    assert dates.last_changed == PUBLISHED_2023
    assert publication(2031, Q()) is None


# The home page


def test_home_page_has_no_program_heading_without_a_figure_under_it(site_with_history, db, client):
    main = main_of(client.get("/"))
    national = main.split("<h2>National figures, 2023</h2>", 1)[1].split("<h2>", 1)[0]

    headings = re.findall(r"<h4><a [^>]*>([^<]+)</a></h4>", national)
    assert "Family Advocacy Outreach Network" not in headings
    assert "CyberTipline" in headings
    for block in re.split(r"<h4>", national)[1:]:
        assert 'class="figure-sentence' in block, f"A heading stands alone: {block[:80]}"


def test_home_page_names_the_programs_without_a_national_figure(site_with_history, db, client):
    response = client.get("/")

    assert (
        "Programs with no national figure for 2023: Family Advocacy Outreach Network."
        in page_text(response)
    )
    assert 'href="/programs/family-advocacy-outreach-network/"' in response.content.decode()


def test_home_page_leaves_out_a_work_area_without_a_national_figure(site_with_history, db, client):
    Figure.objects.filter(metric__program__work_area=5, state__isnull=True).delete()

    response = client.get("/")
    national = page_text(response).split("National figures, 2023", 1)[1].split("Programs ", 1)[0]

    assert "Education Resources" not in national
    assert "NCMEC CONNECT" in page_text(response)  # still in the list of programs


# robots.txt


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_the_preview_and_names_the_sitemap(
    client, db
):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
