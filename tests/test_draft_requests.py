"""No draft reaches a reader who asks for it by its address: a draft year's or the
unpublished program's page is not found, the API and the downloads refuse them (and the
API serves the published figures only, even in the staff preview), and the metrics file,
the maps and the search never offer the unpublished program or its metrics, which the
staff preview's search does find. On the site of tests/draft_helpers.py.
"""

import json

import pytest

from programs.models import Metric
from tests.draft_helpers import (
    DRAFT_YEAR,
    HIDDEN_PROGRAM,
    HIDDEN_SLUG,
    SECRET_VALUES,
    readable,
    secrets_in,
)

# The shared fixture (tests/draft_helpers.py) this module's tests use.

PROBES = [
    f"/states/minnesota/{DRAFT_YEAR}/fact-sheet.pdf",
    f"/states/wisconsin/{DRAFT_YEAR}/fact-sheet.pdf",
    f"/states/minnesota/{DRAFT_YEAR}/",
    f"/states/wisconsin/{DRAFT_YEAR}/",
    f"/states/minnesota/?year={DRAFT_YEAR}",
    f"/states/?state=MN&year={DRAFT_YEAR}",
    f"/states/WI/{DRAFT_YEAR}/",
    f"/programs/cybertipline/{DRAFT_YEAR}/",
    f"/programs/cybertipline/?year={DRAFT_YEAR}",
    f"/programs/{HIDDEN_SLUG}/",
    f"/programs/{HIDDEN_SLUG}/2023/",
    f"/?year={DRAFT_YEAR}",
    f"/?metric=cybertipline-reports-to-law-enforcement&year={DRAFT_YEAR}",
    f"/compare/?states=MN,WI&year={DRAFT_YEAR}",
    f"/programs/cybertipline/{DRAFT_YEAR}/?metric=cybertipline-reports-to-law-enforcement",
    f"/metrics/{HIDDEN_SLUG}-national/",
    f"/metrics/{HIDDEN_SLUG}-state/",
    f"/metrics/cybertipline-reports-to-law-enforcement/?year={DRAFT_YEAR}",
    f"/metrics/cybertipline-reports-received/?year={DRAFT_YEAR}",
]


API_PROBES = [
    f"/api/v1/figures/?year={DRAFT_YEAR}",
    f"/api/v1/figures/?program={HIDDEN_SLUG}",
    f"/api/v1/figures/?metric={HIDDEN_SLUG}-national",
    f"/api/v1/programs/{HIDDEN_SLUG}/",
    f"/api/v1/metrics/{HIDDEN_SLUG}-national/",
    f"/api/v1/metrics/{HIDDEN_SLUG}-state/",
]


@pytest.mark.parametrize("url", API_PROBES)
def test_the_api_refuses_a_draft_year_or_an_unpublished_program(site_with_drafts, anonymous, url):
    response = anonymous.get(url)

    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/json"
    assert not secrets_in(response.content.decode())
    assert HIDDEN_PROGRAM not in response.content.decode()


def test_the_api_serves_the_published_figures_not_the_staged_ones(site_with_drafts, admin_client):
    """Even to staff in preview: the API is the published figures only."""
    admin_client.post("/preview/start/")

    response = admin_client.get("/api/v1/figures/", {"state": "MN,WY", "page_size": 1000})

    values = {f["value"] for f in json.loads(response.content)["results"]}
    assert 8611 in values
    assert not values & set(SECRET_VALUES)


@pytest.mark.parametrize("url", PROBES)
def test_asking_for_a_draft_year_or_an_unpublished_program_is_not_found(
    site_with_drafts, anonymous, url
):
    response = anonymous.get(url, follow=True)

    # The page's canonical link repeats the address asked for, so only values are looked for.
    assert response.status_code == 404
    assert not secrets_in(response.content.decode())
    assert "Preview" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        f"year={DRAFT_YEAR}",
        f"year=2023,{DRAFT_YEAR}&state=MN",
        f"program={HIDDEN_SLUG}",
        f"metric={HIDDEN_SLUG}-state",
    ],
)
@pytest.mark.parametrize("extension", ["csv", "json", "xlsx"])
def test_asking_a_download_for_a_draft_year_or_an_unpublished_program_is_refused(
    site_with_drafts, anonymous, query, extension
):
    response = anonymous.get(f"/data/figures.{extension}?{query}")

    assert response.status_code == 400
    assert not secrets_in(response.content.decode())


def test_the_metrics_file_never_lists_an_unpublished_programs_metric(site_with_drafts, anonymous):
    text = readable(anonymous.get("/data/metrics.csv"))

    assert HIDDEN_SLUG not in text
    assert "cybertipline-reports-to-law-enforcement" in text


def test_the_maps_never_offer_an_unpublished_programs_metric(site_with_drafts, anonymous):
    hidden = Metric.objects.get(program__slug=HIDDEN_SLUG, scope=Metric.Scope.STATE)

    home = anonymous.get("/", {"metric": hidden.key})
    compare = anonymous.get("/compare/", {"states": "MN", "year": "2023"}).content.decode()

    assert home.status_code == 404
    assert not secrets_in(home.content.decode())
    assert f'value="{hidden.key}"' not in anonymous.get("/").content.decode()
    assert hidden.label not in compare
    assert not secrets_in(compare)


@pytest.mark.parametrize("q", ["pilot outreach", "Pilot", HIDDEN_SLUG, "Metric", "Summary of"])
def test_search_never_shows_an_unpublished_program_or_its_metrics(site_with_drafts, anonymous, q):
    response = anonymous.get("/search/", {"q": q})

    content = response.content.decode()
    assert response.status_code == 200
    assert HIDDEN_PROGRAM not in content
    assert f"/programs/{HIDDEN_SLUG}/" not in content
    assert not secrets_in(content)


def test_search_in_the_staff_preview_finds_the_unpublished_program(site_with_drafts, admin_client):
    """The search test above would prove nothing if the search could not find it."""
    admin_client.post("/preview/start/")

    by_name = admin_client.get("/search/", {"q": "pilot outreach"}).content.decode()
    metrics = admin_client.get("/search/", {"q": "Metric"}).content.decode()

    assert f'<a href="/programs/{HIDDEN_SLUG}/">{HIDDEN_PROGRAM}</a>' in by_name
    assert f'href="/metrics/{HIDDEN_SLUG}-' in metrics
