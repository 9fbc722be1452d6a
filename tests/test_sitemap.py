import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.models import Edition, Figure, Metric, Revision, public_change
from states.models import State
from tests.conftest import make_edition, make_figure, make_metric
from tests.test_query_counts import SITEMAP, add_many_figures


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


pytestmark = pytest.mark.django_db

LOC = re.compile(r"<url><loc>http://testserver([^<]+)</loc>(?:<lastmod>([^<]+)</lastmod>)?")
FACT_SHEET = re.compile(r"/states/([a-z-]+)/(\d{4})/")
PROGRAM_YEAR = re.compile(r"/programs/([a-z0-9-]+)/(\d{4})/")


def sitemap(client):
    """{path: lastmod or None} of every address in sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return dict(LOC.findall(response.content.decode()))


def test_sitemap_lists_the_main_pages_and_the_pages_of_published_figures(client, demo):
    urls = sitemap(client)

    assert {"/", "/programs/", "/states/"} <= set(urls)
    assert "/programs/cybertipline/2023/" in urls
    assert "/states/minnesota/2023/" in urls


def test_sitemap_lists_no_state_year_without_a_published_figure_of_the_state(client, demo):
    make_figure(
        Metric.objects.get(key="cybertipline-reports-to-law-enforcement"),
        year=2022,
        state=State.objects.get(code="WI"),
        value=12,
    )
    make_figure(Metric.objects.get(key="cybertipline-reports-received"), year=2021, value=9)

    fact_sheets = {
        found.groups() for url in sitemap(client) if (found := FACT_SHEET.fullmatch(url))
    }

    assert fact_sheets == {("minnesota", "2023"), ("wisconsin", "2022")}
    for slug, year in fact_sheets:
        assert Figure.objects.published().filter(state__slug=slug, year=year).exists()


def test_sitemap_lists_the_page_of_every_metric_with_a_published_figure(client, demo):
    without_figures = make_metric(key="a-metric-without-figures")

    urls = sitemap(client)

    metric_pages = {url for url in urls if url.startswith("/metrics/")}
    with_figures = set(Figure.objects.published().values_list("metric__key", flat=True).distinct())
    assert metric_pages == {f"/metrics/{key}/" for key in with_figures}
    assert "/metrics/cybertipline-reports-to-law-enforcement/" in metric_pages
    assert f"/metrics/{without_figures.key}/" not in urls
    assert all(urls[url] for url in metric_pages)  # each dated


def test_sitemap_lists_a_program_only_in_the_years_it_has_published_figures(client, demo):
    only_2022 = make_metric().program
    make_figure(make_metric(only_2022), year=2022, value=3)
    without_figures = make_metric().program

    urls = sitemap(client)

    assert f"/programs/{only_2022.slug}/2022/" in urls
    assert f"/programs/{only_2022.slug}/2023/" not in urls
    assert not [url for url in urls if without_figures.slug in url]
    # The undated addresses name the dated ones as canonical: only those are listed.
    assert "/programs/cybertipline/" not in urls
    assert "/states/minnesota/" not in urls


def test_sitemap_leaves_out_draft_years_and_unpublished_programs(client, demo):
    make_figure(make_metric(), year=2024, value=5, draft=True)
    hidden = make_metric().program
    make_figure(make_metric(hidden), year=2023, value=5)
    hidden.is_published = False
    with public_change():
        hidden.save()

    urls = sitemap(client)

    assert not [url for url in urls if "/2024/" in url]
    assert not [url for url in urls if hidden.slug in url]


def test_sitemap_dates_each_page_by_its_publication_or_the_latest_revision_it_shows(client, demo):
    make_figure(Metric.objects.get(key="cybertipline-reports-received"), year=2022, value=9)
    Edition.objects.filter(year=2023).update(published_at=datetime(2024, 3, 1, 15, tzinfo=UTC))
    Edition.objects.filter(year=2022).update(published_at=datetime(2023, 2, 1, 15, tzinfo=UTC))

    before = sitemap(client)
    cvip = Figure.objects.get(metric__key="cvip-submissions-reviewed", year=2023)
    pending_changes_stage(
        proposals=[Proposal(cvip.metric, 2023, cvip.state, cvip, value=Decimal(131))],
        reason="A late count",
    )
    pending_changes_publish(year=2023)
    Revision.objects.update(published_at=datetime(2024, 5, 3, 15, tzinfo=UTC))
    after = sitemap(client)

    cvip_page = "/programs/child-victim-identification-program/2023/"
    assert before["/states/minnesota/2023/"] == "2024-03-01"
    assert before[cvip_page] == "2024-03-01"
    assert before["/programs/cybertipline/2022/"] == "2023-02-01"
    # The pages that show Minnesota's CVIP figure, as their published lines say...
    assert after["/states/minnesota/2023/"] == "2024-05-03"
    assert after[cvip_page] == "2024-05-03"
    assert after["/metrics/cvip-submissions-reviewed/"] == "2024-05-03"
    # ...and not those of the year that do not.
    assert after["/programs/cybertipline/2023/"] == "2024-03-01"
    assert after["/metrics/cybertipline-reports-received/"] == "2024-03-01"
    assert after["/programs/cybertipline/2022/"] == "2023-02-01"


def test_sitemap_queries_do_not_grow_with_states_metrics_and_years(client, demo, page_queries):
    with page_queries(SITEMAP):
        client.get("/sitemap.xml")
    make_edition(2021)
    make_edition(2022)
    add_many_figures()

    with page_queries(SITEMAP):
        urls = sitemap(client)

    assert len([url for url in urls if FACT_SHEET.fullmatch(url)]) == 56 * 3
    assert "/states/guam/2021/" in urls


def test_sitemap_changes_with_the_publication_version_only(client, demo):
    before = sitemap(client)
    make_figure(Metric.objects.get(key="cybertipline-reports-received"), year=2021, value=9)

    after = sitemap(client)

    assert "/programs/cybertipline/2021/" not in before
    assert "/programs/cybertipline/2021/" in after
