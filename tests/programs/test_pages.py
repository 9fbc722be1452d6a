"""The home page, the program list and each program's page, as a reader sees them."""

import re

import pytest
from pytest_django.asserts import assertRedirects

from programs.models import Figure, Metric, Program
from states.models import State
from tests.conftest import main_of, make_figure, make_metric, make_program, page_text

STATE_COUNT = 56


@pytest.fixture
def two_years(demo, minnesota):
    """CyberTipline figures for 2022 too: 30 million reports nationally, 7,000 in Minnesota."""
    make_figure(
        Metric.objects.get(key="cybertipline-reports-received"),
        year=2022,
        value=30_000_000,
        qualifier=Figure.Qualifier.ROUNDED,
    )
    make_figure(
        Metric.objects.get(key="cybertipline-reports-to-law-enforcement"),
        year=2022,
        state=minnesota,
        value=7000,
    )


# Program page


def test_program_page_shows_program_text(client, demo):
    text = page_text(client.get("/programs/cybertipline/"))

    assert "CyberTipline, 2023" in text
    assert "NCMEC's Work to Combat Child Sexual Exploitation" in text
    assert "Reports are reviewed and made available to the law enforcement agencies" in text


def test_program_page_shows_national_figures(client, demo):
    text = page_text(client.get("/programs/cybertipline/"))

    assert "National figures, 2023" in text
    assert "In 2023, the CyberTipline received 36.2 million reports" in text
    assert "contained more than 105 million pieces of reported content" in text


def test_program_page_has_one_table_of_states_instead_of_a_section_per_state(client, demo):
    content = client.get("/programs/cybertipline/").content.decode()

    # The table itself is tests/programs/test_state_table.py.
    assert "state-section" not in content
    assert '<tr id="MN">' in content
    assert "No figures for 2023: " in content


def test_program_year_selector_redirects_to_the_year_page(client, demo):
    response = client.get("/programs/cybertipline/", {"year": "2023"})

    assertRedirects(response, "/programs/cybertipline/2023/")


def test_program_page_of_an_older_year_shows_that_years_values(client, two_years):
    response = client.get("/programs/cybertipline/2022/")

    assert response.status_code == 200
    text = page_text(response)
    assert "CyberTipline, 2022" in text
    assert "In 2022, the CyberTipline received 30 million reports" in text
    assert re.search(r'<tr id="MN">.*?7,000.*?</tr>', response.content.decode(), re.S)
    # 2023's national figure is only in the trend (its chart and table), not as a figure.
    assert "In 2023, the CyberTipline received" not in text
    assert "8,611" not in text
    assert 'href="/states/minnesota/2022/"' in response.content.decode()


def test_program_year_selector_lists_every_year_with_figures(client, two_years):
    content = client.get("/programs/cybertipline/2022/").content.decode()

    assert '<select id="program-year" name="year">' in content
    assert '<option value="2023">2023</option>' in content
    assert '<option value="2022" selected>2022</option>' in content


def test_program_page_without_year_shows_the_latest_with_canonical_link(client, two_years):
    response = client.get("/programs/cybertipline/")

    assert "36.2 million" in page_text(response)
    assert (
        '<link rel="canonical" href="http://testserver/programs/cybertipline/2023/">'
        in response.content.decode()
    )


def test_program_page_title_names_the_program(client, demo):
    content = client.get("/programs/cybertipline/").content.decode()

    assert "<title>CyberTipline, 2023 | NCMEC Data</title>" in content


def test_program_page_without_figures_says_so(client, db):
    program = make_program(name="New Program")

    response = client.get(program.get_absolute_url())

    assert response.status_code == 200
    assert "No figures have been published for this program yet." in page_text(response)


# Program list


def test_program_list_shows_every_published_program_with_its_summary(client, demo):
    text = page_text(client.get("/programs/"))

    for program in Program.objects.all():
        assert program.name in text
        assert program.summary in text


def test_program_list_links_to_each_program_page(client, demo):
    content = client.get("/programs/").content.decode()

    for slug in Program.objects.values_list("slug", flat=True):
        assert f'href="/programs/{slug}/"' in content


def test_program_list_groups_programs_under_work_areas_in_order(client, demo):
    text = page_text(client.get("/programs/"))

    order = [
        "NCMEC's Work to Combat Child Sexual Exploitation",
        "CyberTipline",
        "Child Victim Identification Program",
        "NCMEC's Work to Help Locate and Recover Missing Children",
        "Missing Child Case Assistance",
        "NCMEC's Work to Combat Child Sex Trafficking",
        "NCMEC's Work to Support Survivors/Families",
        "Team HOPE",
        "Family Advocacy Outreach Network",
        "Team Adam",
        "NCMEC's Education Resources",
        "NCMEC CONNECT",
    ]
    positions = [text.find(f" {words}") for words in order]
    assert -1 not in positions
    assert positions == sorted(positions)


# Home page


def test_home_page_shows_national_headline_figures_of_the_latest_year(client, two_years):
    text = page_text(client.get("/"))

    assert "National figures, 2023" in text
    for figure in [
        "36.2 million",
        "more than 105 million",
        "27,130",
        "28,886",
        "22,442",
        "19%",
        "more than 18,400",
        "5,759",
        "more than 18,000",
    ]:
        assert figure in text
    # 2022's figure is in the chart of every year above, not among the latest year's.
    assert "30 million" not in text[text.index("National figures, 2023") :]


def test_home_page_shows_state_figures_only_on_its_map(client, demo):
    content = client.get("/").content.decode()
    outside_map = re.sub(r'<section class="tile-map".*?</section>', "", content, flags=re.S)

    assert "8,611" in content
    assert "8,611" not in outside_map


def test_home_page_links_to_every_program(client, demo):
    content = client.get("/").content.decode()

    for slug in Program.objects.values_list("slug", flat=True):
        assert f'href="/programs/{slug}/"' in content


def test_home_page_links_to_every_state_and_territory(client, demo):
    content = client.get("/").content.decode()

    linked = re.findall(r'href="/states/([a-z0-9-]+)/"', content)
    assert len(linked) == STATE_COUNT
    assert set(linked) == set(State.objects.values_list("slug", flat=True))


def test_home_page_before_any_figure_is_published_says_so(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "No figures have been published yet." in page_text(response)
    # Nothing to chart or map (tests/programs/test_home_page.py: the full demo's).
    assert response.context["series"] is None and response.context["tile_map"] is None


def test_home_page_on_the_seed_alone_has_no_chart_and_a_map_of_one_state(client, demo):
    response = client.get("/")
    shaded = re.findall(
        r'<li class="tile-[a-z]{2} tile-bin-\d"><a[^>]*>(.*?)</a>', response.content.decode()
    )

    assert response.status_code == 200
    assert response.context["series"] is None  # one year of national figures: no chart
    assert "<svg" not in main_of(response)
    # No population in the seed: the one state is shaded by its count.
    assert [page_text(name) for name in shaded] == [
        "MN Minnesota: 8,611 reports made available to law enforcement, 2023"
    ]


# Unpublished programs


@pytest.fixture
def draft(demo, minnesota):
    program = make_program(name="Draft Program", slug="draft-program", is_published=False)
    make_figure(make_metric(program, scope=Metric.Scope.NATIONAL), value=4242)
    return program


def test_unpublished_program_page_is_not_found(anonymous, draft):
    response = anonymous.get("/programs/draft-program/")

    assert response.status_code == 404
    assert "Page not found" in page_text(response)


def test_unpublished_program_is_not_listed(client, draft):
    for url in ["/programs/", "/"]:
        content = client.get(url).content.decode()
        assert "Draft Program" not in content, url
        assert "/programs/draft-program/" not in content, url
        assert "4,242" not in content, url


# Pages that do not exist


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/programs/no-such-program/", id="unknown-program"),
        pytest.param("/programs/no-such-program/2023/", id="unknown-program-with-year"),
        pytest.param("/programs/cybertipline/1999/", id="year-without-figures"),
        pytest.param("/programs/cybertipline/99999999999999999999999/", id="huge-year"),
        pytest.param("/programs/cybertipline/2023/?year=2022", id="two-different-years"),
        pytest.param("/no-such-page/", id="unknown-address"),
    ],
)
def test_program_page_that_does_not_exist_is_a_friendly_404(anonymous, demo, url):
    response = anonymous.get(url)

    assert response.status_code == 404
    assert "Page not found" in page_text(response)
    assert 'href="/programs/"' in response.content.decode()


# A malformed ?year= is a 400 (it was a 404): tests/programs/test_years.py asks every
# address the same.
@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/programs/cybertipline/?year=abc", id="year-not-a-number"),
        pytest.param("/programs/cybertipline/?year=20233", id="year-too-long"),
        pytest.param("/programs/cybertipline/?year=²⁰²³", id="year-superscript-digits"),
    ],
)
def test_program_page_with_a_malformed_year_is_a_friendly_400(anonymous, demo, url):
    response = anonymous.get(url)

    assert response.status_code == 400
    assert "The year must be written as four digits, like 2023." in page_text(response)
    assert 'href="/programs/"' in response.content.decode()


def test_program_page_with_an_empty_year_is_its_latest_year(anonymous, demo):
    response = anonymous.get("/programs/cybertipline/?year=")

    assert response.status_code == 200
    assert '<link rel="canonical" href="http://testserver/programs/cybertipline/2023/">' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/programs/",
        "/programs/cybertipline/",
        "/programs/cybertipline/2023/",
        "/programs/cybertipline/0/",
        "/programs/cybertipline/?year=0000",
        "/programs/cybertipline/?year=2023&year=abc",
        "/programs/cybertipline/?year=%00",
        "/programs/cybertipline/?year=-2023",
        "/programs/CYBERTIPLINE/",
        "/states/",
        "/states/minnesota/",
        "/states/MINNESOTA/",
        "/states/minnesota/0/",
        "/states/minnesota/2023/?year=%20",
        "/states/minnesota/?year=1999",
        "/states/minnesota/?year=+2023",
        "/states/minnesota/?year=2023.0",
    ],
)
def test_anonymous_reader_never_gets_a_server_error(anonymous, demo, url):
    response = anonymous.get(url, follow=True)

    assert response.status_code in (200, 400, 404)


# Escaping


def test_program_page_escapes_summary_and_metric_sentence(client, db):
    program = make_program(summary="Summary <script>alert(1)</script>")
    make_figure(
        make_metric(
            program,
            scope=Metric.Scope.NATIONAL,
            sentence="<script>alert(1)</script> In {year}, {value} happened.",
        ),
        value=5,
    )

    content = client.get(program.get_absolute_url()).content.decode()

    assert "<script>" not in content
    assert "Summary &lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; In 2023, 5 happened." in content


def test_program_list_and_home_escape_program_summary_and_name(client, db):
    make_program(name="Evil <script>alert(1)</script>", summary="<script>alert(1)</script>")

    for url in ["/programs/", "/"]:
        content = client.get(url).content.decode()
        assert "<script>" not in content, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content, url


def test_program_page_explains_what_each_figure_counts(client, demo):
    body = client.get("/programs/cybertipline/").content.decode()

    assert "What the figures count" in body
    assert "CyberTipline reports of suspected child sexual exploitation made available" in body
