"""A page says "last revised" when a correction changed a figure it shows, and only then:
a correction to one program's figure, or to one state's, leaves the other pages of the
year as they were. The citation of a page, a download or an API response is dated the
same way, and so is each page's ``lastmod`` in the sitemap."""

from datetime import UTC, datetime

import pytest

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.models import Edition, Figure, Metric, Revision
from states.models import State
from tests.conftest import make_figure, page_text

PUBLISHED = datetime(2024, 3, 1, 15, tzinfo=UTC)
REVISED = datetime(2024, 5, 3, 15, tzinfo=UTC)
PUBLISHED_LINE = "Figures for 2023 published 1 March 2024."
REVISED_LINE = "Figures for 2023 published 1 March 2024; last revised 3 May 2024."


@pytest.fixture
def published(site, db):
    """The demo's 2023 figures (national and Minnesota), published on 1 March 2024."""
    Edition.objects.filter(year=2023).update(published_at=PUBLISHED)


def correct(key, *, state=None, year=2023, withdraw=False):
    """Publish a correction to a figure on 3 May 2024: its value plus one, or withdrawn."""
    figure = Figure.objects.get(metric__key=key, year=year, state__code=state)
    value = None if withdraw else figure.value + 1
    proposal = Proposal(figure.metric, year, figure.state, figure, withdraw=withdraw, value=value)
    pending_changes_stage(proposals=[proposal], reason="A recount")
    revision = pending_changes_publish(year=year)
    Revision.objects.filter(pk=revision.pk).update(published_at=REVISED)


def says_revised(client, url):
    text = page_text(client.get(url))
    assert PUBLISHED_LINE in text or REVISED_LINE in text, url
    return REVISED_LINE in text


def test_a_correction_to_a_states_figure_marks_only_the_pages_that_show_it(published, client):
    correct("missing-cases-handled", state="MN")  # Missing Child Case Assistance

    assert says_revised(client, "/programs/missing-child-case-assistance/2023/")
    assert says_revised(client, "/metrics/missing-cases-handled/")
    assert says_revised(client, "/states/minnesota/2023/")
    assert says_revised(client, "/compare/?states=MN&year=2023")
    # Another program, another metric, another state, and the nation's figures
    assert not says_revised(client, "/programs/cybertipline/2023/")
    assert not says_revised(client, "/metrics/cybertipline-reports-to-law-enforcement/")
    assert not says_revised(client, "/states/wisconsin/2023/")
    assert not says_revised(client, "/compare/?states=WI&year=2023")
    assert not says_revised(client, "/")


def test_a_correction_to_a_national_headline_figure_marks_every_page_that_shows_it(
    published, client
):
    correct("cybertipline-reports-received")

    assert says_revised(client, "/")
    assert says_revised(client, "/programs/cybertipline/2023/")
    assert says_revised(client, "/metrics/cybertipline-reports-received/")
    # Every fact sheet and comparison gives the nation's headline figures.
    assert says_revised(client, "/states/wisconsin/2023/")
    assert says_revised(client, "/compare/?states=WI&year=2023")
    assert not says_revised(client, "/programs/missing-child-case-assistance/2023/")
    assert not says_revised(client, "/metrics/cybertipline-reports-to-law-enforcement/")


def test_a_withdrawn_figure_marks_the_pages_it_was_on(published, client):
    correct("cvip-submissions-reviewed", state="MN", withdraw=True)

    assert says_revised(client, "/states/minnesota/2023/")
    assert says_revised(client, "/programs/child-victim-identification-program/2023/")
    assert not says_revised(client, "/states/wisconsin/2023/")


def test_a_correction_to_last_years_figure_marks_the_fact_sheet_whose_trend_shows_it(
    published, client
):
    metric = Metric.objects.get(key="cybertipline-reports-to-law-enforcement")
    make_figure(metric, year=2022, state=State.objects.get(code="MN"), value=8000)
    Edition.objects.filter(year=2022).update(published_at=datetime(2023, 2, 1, tzinfo=UTC))
    correct(metric.key, state="MN", year=2022)

    assert says_revised(client, "/states/minnesota/2023/")  # its change from 2022
    assert not says_revised(client, "/states/wisconsin/2023/")
    assert not says_revised(client, "/compare/?states=MN&year=2023")  # 2023's figures only
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/states/minnesota/2023/</loc><lastmod>2024-05-03</lastmod>" in sitemap
    assert "/programs/cybertipline/2023/</loc><lastmod>2024-03-01</lastmod>" in sitemap


def test_a_citation_is_dated_by_the_last_change_to_its_own_figures(published, client):
    correct("missing-cases-handled", state="MN")

    def cited(url):
        response = client.get(url)
        body = response.json() if url.startswith("/api/") else response.getvalue().decode()
        return body["citation"] if isinstance(body, dict) else page_text(body)

    assert "published 3 May 2024" in cited("/states/minnesota/2023/")
    assert "published 1 March 2024" in cited("/states/wisconsin/2023/")
    assert "published 3 May 2024" in cited("/data/figures.json?state=MN")
    assert "published 1 March 2024" in cited("/data/figures.json?state=WI")
    assert "published 1 March 2024" in cited("/data/figures.json?program=cybertipline")
    assert "published 3 May 2024" in cited("/api/v1/figures/?state=MN")
    assert "published 1 March 2024" in cited("/api/v1/figures/?metric=cvip-submissions-reviewed")
    assert "published 3 May 2024" in cited("/data/datapackage.json")  # every figure
