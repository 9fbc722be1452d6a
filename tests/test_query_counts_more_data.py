"""The query counts of tests/test_query_counts.py hold on more of everything (more
metrics, every state with figures, three years: ``add_many_figures``), and a page or
download the cache holds costs no query at all.

The data is built once for the module's tests (``more_of_everything``), each test in a
savepoint of its own; tests/test_query_counts.py pins the same counts on the demo alone.
"""

import pytest
from django.test import Client

from programs.demo import demo_data_load
from programs.models import Figure
from tests.conftest import once_per_module
from tests.test_query_counts import (
    API,
    DOWNLOADS,
    FACT_SHEET,
    FACT_SHEET_PDF_CACHED,
    PAGES,
    add_many_figures,
)


@once_per_module
def more_of_everything():
    """The seed's demo, and more metrics, states with figures and years."""
    demo_data_load(seed_only=True)
    add_many_figures()


pytestmark = pytest.mark.usefixtures("more_of_everything", "db")


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_public_page_queries_do_not_grow_with_states_metrics_and_years(
    client, page_queries, url, queries
):
    with page_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert Figure.objects.values("year").distinct().count() == 3


# The state (the redirects never read figures)
REDIRECTS = [
    pytest.param("/states/?state=MN", 1, id="state-picker"),
    pytest.param("/states/?state=WI&year=2023", 1, id="state-picker-year"),
    # the states, in which the code is looked up (states.naming.find_state)
    pytest.param("/states/mn/", 1, id="usps-code"),
    pytest.param("/states/MN/2023/", 1, id="usps-code-year"),
]


@pytest.mark.parametrize(("url", "queries"), REDIRECTS)
def test_state_redirects_run_a_fixed_number_of_queries(client, page_queries, url, queries):
    with page_queries(queries):
        response = client.get(url)

    assert response.status_code in (301, 302)


@pytest.mark.parametrize("slug", ["minnesota", "wyoming", "guam"])
def test_fact_sheet_queries_are_the_same_for_every_state(client, page_queries, slug):
    with page_queries(FACT_SHEET):
        response = client.get(f"/states/{slug}/2023/")

    assert response.status_code == 200


@pytest.mark.parametrize(("url", "queries"), API)
def test_api_answers_in_a_fixed_number_of_queries(client, page_queries, url, queries):
    with page_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize(("url", "queries"), DOWNLOADS)
def test_downloads_run_a_fixed_number_of_queries_whatever_the_filters_and_rows(
    client, page_queries, url, queries
):
    with page_queries(queries):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content

    assert response.status_code == 200
    assert body


@pytest.mark.parametrize("url", [param.values[0] for param in PAGES])
def test_a_stored_page_costs_no_query_whoever_asks(
    client, django_user_model, django_assert_num_queries, url
):
    """Stored for one reader, it is answered to the next, a signed-in staff member out of
    preview and a made-up session cookie alike, without a query."""
    first = client.get(url)
    staff = django_user_model.objects.create_user("s", password="x", is_staff=True)
    signed_in = Client()
    signed_in.force_login(staff)
    made_up = Client()
    made_up.cookies["sessionid"] = "made-up"

    with django_assert_num_queries(0):
        responses = [reader.get(url) for reader in (client, signed_in, made_up)]

    assert all(response.content == first.content for response in responses)


@pytest.mark.parametrize("slug", ["minnesota", "guam"])
def test_a_cached_fact_sheet_pdf_costs_one_query(client, page_queries, slug):
    url = f"/states/{slug}/2023/fact-sheet.pdf"
    first = client.get(url)

    # Another query string: the page cache has not seen it, the PDF cache has.
    with page_queries(FACT_SHEET_PDF_CACHED):
        response = client.get(url, {"from": "link"})

    assert response.status_code == 200
    assert response.content == first.content


@pytest.mark.parametrize(
    "url",
    [param.values[0] for param in API if param.values[0] != "/api/"],
)
def test_an_api_304_costs_no_query(client, django_assert_num_queries, url):
    etag = client.get(url)["ETag"]

    with django_assert_num_queries(0):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
