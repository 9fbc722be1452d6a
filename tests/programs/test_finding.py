"""Finding things: the state picker, USPS-code addresses, search, robots.txt, the page
descriptions and Open Graph tags, and the line saying when figures were published."""

import html
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import transaction

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.demo import demo_data_load
from programs.models import Edition, Figure, Metric, Revision
from programs.reader.published import year_publication
from states.models import State
from tests.conftest import make_figure, make_metric, make_program

PUBLISHED_2023 = datetime(2024, 3, 1, 15, tzinfo=UTC)
REVISED_2023 = datetime(2024, 5, 3, 15, tzinfo=UTC)
PUBLISHED_2022 = datetime(2023, 2, 1, 15, tzinfo=UTC)
HIDDEN_PROGRAM = "Quiet Pilot Program"
HIDDEN_METRIC = "Secret pilot engagements"


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """Built once for the module's tests, which only read, and rolled back after them:
    the demo (2023 published on 1 March 2024 and revised on 3 May 2024), a 2022
    edition published on 1 February 2023 with a Wisconsin figure, and an unpublished
    program with a metric."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_data_load()
        make_figure(
            Metric.objects.get(key="cybertipline-reports-to-law-enforcement"),
            year=2022,
            state=State.objects.get(code="WI"),
            value=4321,
        )
        cvip = Figure.objects.get(metric__key="cvip-submissions-reviewed", year=2023)
        proposal = Proposal(cvip.metric, 2023, cvip.state, cvip, value=Decimal(131))
        pending_changes_stage(proposals=[proposal], reason="A late count")
        pending_changes_publish(year=2023)
        Edition.objects.filter(year=2023).update(published_at=PUBLISHED_2023)
        Edition.objects.filter(year=2022).update(published_at=PUBLISHED_2022)
        Revision.objects.filter(year=2023).update(published_at=REVISED_2023)
        hidden = make_program(name=HIDDEN_PROGRAM, slug="quiet-pilot", is_published=False)
        make_metric(hidden, label=HIDDEN_METRIC, definition="Engagements of the pilot.")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def reader(site, client):
    return client


def text_of(response):
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def words(response):
    """The page's text as a reader reads it: tags gone, spaces collapsed."""
    return re.sub(r" ([.,;:)])", r"\1", " ".join(text_of(response).split()))


def main_of(response):
    return response.content.decode().split('<main id="main-content"', 1)[1]


# The state picker


@pytest.mark.parametrize(
    ("url", "form_id"),
    [
        ("/", "home-state"),
        ("/states/", "state-list-state"),
        ("/states/minnesota/2023/", "fact-sheet-state"),
    ],
)
def test_state_picker_is_a_labelled_list_of_every_state_and_territory(reader, url, form_id):
    content = reader.get(url).content.decode()

    picker = r'<form class="state-picker" method="get" action="/states/">(.*?)</form>'
    form = re.search(picker, content, re.S)
    assert form, f"{url} has no state picker"
    assert f'<label for="{form_id}">State or territory</label>' in form[1]
    codes = re.findall(r'<option value="([A-Z]{2})"', form[1])
    assert len(codes) == 56
    assert set(codes) == set(State.objects.values_list("code", flat=True))
    assert '<button type="submit">' in form[1]


def test_state_picker_sends_the_reader_to_the_state_fact_sheet(reader):
    response = reader.get("/states/", {"state": "MN"})

    assert response.status_code == 302
    assert response["Location"] == "/states/minnesota/"
    assert "8,611" in reader.get("/states/?state=MN", follow=True).content.decode()


def test_state_picker_on_a_fact_sheet_keeps_its_year_and_selects_its_state(reader):
    content = reader.get("/states/wisconsin/2022/").content.decode()

    assert '<option value="WI" selected>Wisconsin</option>' in content
    assert '<input type="hidden" name="year" value="2022">' in content
    response = reader.get("/states/", {"state": "MN", "year": "2022"})
    assert response.status_code == 302
    assert response["Location"] == "/states/minnesota/2022/"


@pytest.mark.parametrize(
    "query",
    [{"state": "ZZ"}, {"state": "Minesota"}, {"state": "x" * 5000}, {"state": "MN\x00"}],
)
def test_state_picker_with_an_unknown_state_is_not_found_and_says_why(reader, query):
    response = reader.get("/states/", query)

    assert response.status_code == 404
    assert "There is no state or territory by that name or code." in words(response)


def test_state_picker_with_a_bad_year_is_not_found_and_says_why(reader):
    response = reader.get("/states/", {"state": "MN", "year": "20x3"})

    assert response.status_code == 404
    assert "The year must be written as four digits, like 2023." in words(response)


def test_state_picker_with_nothing_chosen_shows_the_list_of_states(reader):
    response = reader.get("/states/", {"state": ""})

    assert response.status_code == 200
    assert "Wyoming" in words(response)


# Addresses by USPS code


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/states/mn/", "/states/minnesota/"),
        ("/states/MN/", "/states/minnesota/"),
        ("/states/Mn/", "/states/minnesota/"),
        ("/states/mn/2023/", "/states/minnesota/2023/"),
        ("/states/MN/2022/", "/states/minnesota/2022/"),
        ("/states/Minnesota/", "/states/minnesota/"),
        ("/states/dc/", "/states/district-of-columbia/"),
        ("/states/mn/?year=2022", "/states/minnesota/?year=2022"),
    ],
)
def test_a_usps_code_address_moves_permanently_to_the_state_address(reader, url, target):
    response = reader.get(url)

    assert response.status_code == 301
    assert response["Location"] == target


@pytest.mark.parametrize("url", ["/states/zz/", "/states/ZZ/2023/", "/states/minn/"])
def test_an_unknown_code_or_name_is_not_found_and_says_why(reader, url):
    response = reader.get(url)

    assert response.status_code == 404
    assert "There is no state or territory at this address." in words(response)


# Search


def results(response, heading):
    """The result names under a heading of the search page, in order."""
    pattern = rf'<h2 id="results-[a-z]+">{heading}</h2>(.*?)</section>'
    section = re.search(pattern, response.content.decode(), re.S)
    if not section:
        return []
    return [html.unescape(name) for name in re.findall(r"<li><a [^>]*>([^<]+)</a>", section[1])]


@pytest.mark.parametrize("q", ["mn", "MN", "minne", "Minnesota", "  minnesota  ", "\x00minn\t"])
def test_search_finds_minnesota_by_its_code_or_part_of_its_name(reader, q):
    response = reader.get("/search/", {"q": q})

    assert response.status_code == 200
    assert results(response, "States and territories") == ["Minnesota"]
    assert '<a href="/states/minnesota/">Minnesota</a>' in response.content.decode()


def test_search_lists_every_state_whose_name_matches(reader):
    response = reader.get("/search/", {"q": "north"})

    assert results(response, "States and territories") == [
        "North Carolina",
        "North Dakota",
        "Northern Mariana Islands",
    ]


def test_search_finds_programs_by_name_and_by_summary(reader):
    by_name = reader.get("/search/", {"q": "team hope"})
    by_summary = reader.get("/search/", {"q": "peer support"})

    assert results(by_name, "Programs") == ["Team HOPE"]
    assert results(by_summary, "Programs") == ["Team HOPE"]
    assert '<a href="/programs/team-hope/">Team HOPE</a>' in by_name.content.decode()


def test_search_finds_metrics_by_label_and_definition_and_links_to_their_program(reader):
    by_label = reader.get("/search/", {"q": "made available to law enforcement"})
    by_definition = reader.get("/search/", {"q": "Office of Refugee Resettlement"})

    assert results(by_label, "Figures") == ["Reports made available to law enforcement"]
    assert "(CyberTipline)" in words(by_label)
    assert 'href="/programs/cybertipline/#definitions"' in by_label.content.decode()
    assert "Missing child cases handled" in results(by_definition, "Figures")


def test_search_never_shows_an_unpublished_program_or_its_metrics(reader):
    for q in ("quiet pilot", "secret pilot", "pilot"):
        page = reader.get("/search/", {"q": q}).content.decode()

        assert HIDDEN_PROGRAM not in page
        assert HIDDEN_METRIC not in page
        assert "quiet-pilot" not in page


def test_search_with_nothing_found_says_so_and_suggests_what_to_type(reader):
    response = reader.get("/search/", {"q": "zebra"})

    assert response.status_code == 200
    assert "Nothing matches “zebra”" in words(response)
    assert "two-letter code" in words(response)


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}])
def test_search_without_a_query_explains_what_to_look_for(reader, query):
    response = reader.get("/search/", query)

    assert response.status_code == 200
    assert "Type the name of a state or territory" in words(response)
    assert 'href="/search/?q=Minnesota"' in response.content.decode()
    assert 'href="/states/"' in main_of(response)


def test_search_over_100_characters_is_a_bad_request_that_says_why(reader):
    response = reader.get("/search/", {"q": "a" * 101})

    assert response.status_code == 400
    assert "A search can be at most 100 characters long; this one has 101." in words(response)
    assert reader.get("/search/", {"q": "a" * 100}).status_code == 200


def test_search_writes_the_query_back_escaped(reader):
    content = reader.get("/search/", {"q": '<b onclick="x">mn'}).content.decode()

    assert "<b onclick" not in content
    assert "&lt;b onclick=&quot;x&quot;&gt;mn" in content


def test_search_results_are_not_indexed_by_search_engines(reader):
    assert '<meta name="robots" content="noindex">' in reader.get("/search/?q=mn").content.decode()
    assert 'name="robots"' not in reader.get("/").content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/programs/cybertipline/2023/", "/states/minnesota/", "/revisions/"]
)
def test_every_page_has_a_labelled_search_box_in_its_header(reader, url):
    header = reader.get(url).content.decode().split("</header>", 1)[0]

    search_form = r'<form class="site-search" role="search"[^>]*method="get" action="/search/">'
    form = re.search(search_form + "(.*?)</form>", header, re.S)
    assert form, f"{url} has no search box in its header"
    assert '<label for="site-search-q">Search</label>' in form[1]
    assert 'id="site-search-q" name="q"' in form[1]


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
    "/no-such-page/",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_its_own_description_and_open_graph_tags(reader, url):
    if url == "revision":
        url = Revision.objects.public().first().get_absolute_url()
    content = reader.get(url).content.decode()

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


def test_open_graph_url_of_an_undated_page_is_its_dated_canonical_address(reader):
    content = reader.get("/states/minnesota/").content.decode()

    assert meta(content, "property", "og:url") == "http://testserver/states/minnesota/2023/"


# When the figures were published


@pytest.mark.parametrize(
    "url", ["/", "/programs/cybertipline/2023/", "/states/minnesota/2023/", "/states/guam/2023/"]
)
def test_a_page_of_2023_figures_says_when_they_were_published_and_last_revised(reader, url):
    response = reader.get(url)

    assert "Figures for 2023 published 1 March 2024; last revised 3 May 2024." in words(response)
    assert '<time datetime="2024-03-01">1 March 2024</time>' in response.content.decode()


@pytest.mark.parametrize("url", ["/programs/cybertipline/2022/", "/states/wisconsin/2022/"])
def test_a_page_of_a_year_never_revised_says_only_when_it_was_published(reader, url):
    text = words(reader.get(url))

    assert "Figures for 2022 published 1 February 2023." in text
    assert "last revised" not in text


def test_the_revised_date_links_to_the_revision_notes(reader):
    content = reader.get("/states/minnesota/2023/").content.decode()

    assert '; last <a href="/revisions/">revised</a> <time datetime="2024-05-03">' in content


def test_a_year_published_again_after_its_last_revision_is_not_said_revised(demo):
    cvip = Figure.objects.get(metric__key="cvip-submissions-reviewed", year=2023)
    pending_changes_stage(
        proposals=[Proposal(cvip.metric, 2023, cvip.state, cvip, value=Decimal(140))],
        reason="Recount",
    )
    pending_changes_publish(year=2023)
    Revision.objects.update(published_at=PUBLISHED_2022)
    Edition.objects.filter(year=2023).update(published_at=PUBLISHED_2023)

    dates = year_publication(2023)

    assert dates.published_at == PUBLISHED_2023
    assert dates.revised_at is None
    assert dates.last_changed == PUBLISHED_2023
    assert year_publication(2031) is None


# The home page


def test_home_page_has_no_program_heading_without_a_figure_under_it(reader):
    main = main_of(reader.get("/"))
    national = main.split("<h2>National figures, 2023</h2>", 1)[1].split("<h2>", 1)[0]

    headings = re.findall(r"<h4><a [^>]*>([^<]+)</a></h4>", national)
    assert "Family Advocacy Outreach Network" not in headings
    assert "CyberTipline" in headings
    for block in re.split(r"<h4>", national)[1:]:
        assert 'class="figure-sentence' in block, f"A heading stands alone: {block[:80]}"


def test_home_page_names_the_programs_without_a_national_figure(reader):
    response = reader.get("/")

    assert "Programs with no national figure for 2023: Family Advocacy Outreach Network." in words(
        response
    )
    assert 'href="/programs/family-advocacy-outreach-network/"' in response.content.decode()


def test_home_page_leaves_out_a_work_area_without_a_national_figure(demo, client):
    Figure.objects.filter(metric__program__work_area=5, state__isnull=True).delete()

    response = client.get("/")
    national = words(response).split("National figures, 2023", 1)[1].split("Programs ", 1)[0]

    assert "Education Resources" not in national
    assert "NCMEC CONNECT" in words(response)  # still in the list of programs


# robots.txt


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_the_preview_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
