"""The read-only JSON API: published figures by the downloads' filters, paged, with
ETags and 304s, open to any origin, its errors in JSON, and described on /api/ and in
/api/v1/openapi.json as it really answers."""

import csv
import json

import pytest

from programs.models import Figure, Metric
from programs.reader.downloads import COLUMNS
from states.models import State
from tests.conftest import make_figure, make_metric, make_program
from tests.programs.reader_data import REPORTS, REPORTS_2023

SAMPLE = "samples/ncmec-figures-2023.csv"
ALL = {"page_size": 1000}


@pytest.fixture
def api(site_with_states, anonymous):
    """A reader's program: server errors come back as responses, not as exceptions."""
    return anonymous


def get_json(api, url, data=None, **headers):
    response = api.get(url, data, **headers)
    assert response["Content-Type"] == "application/json", url
    return response, json.loads(response.content) if response.content else None


def test_the_minnesota_2023_figures_come_with_every_seed_value(api):
    _, state = get_json(api, "/api/v1/figures/", {"year": "2023", "state": "mn", **ALL})
    _, every = get_json(api, "/api/v1/figures/", {"year": "2023", **ALL})
    served = {(f["state_code"] or "US", f["metric_key"]): f for f in state["results"]}
    served |= {("US", f["metric_key"]): f for f in every["results"] if f["state_code"] is None}

    with open(SAMPLE, newline="") as sample:
        seed = list(csv.DictReader(sample))
    assert len(seed) == 21
    for row in seed:
        figure = served[(row["state"], row["metric"])]
        assert figure["value"] == int(row["value"]), row
        assert figure["qualifier"] == row["qualifier"], row
        assert figure["source"] == row["source"], row
        assert figure["year"] == 2023
    assert {f["state_code"] for f in state["results"]} == {"MN"}
    assert state["count"] == len([r for r in seed if r["state"] == "MN"])


def test_a_figure_has_the_download_columns_typed_for_json(api):
    _, body = get_json(api, "/api/v1/figures/", {"state": "MN", "metric": REPORTS})
    _, national = get_json(
        api,
        "/api/v1/figures/",
        {"metric": "cybertipline-reports-received,cybertipline-content-pieces"},
    )

    reports = next(f for f in body["results"] if f["year"] == 2023)
    assert list(reports) == COLUMNS
    assert reports == {
        "year": 2023,
        "state_code": "MN",
        "state_name": "Minnesota",
        "program": "cybertipline",
        "metric_key": REPORTS,
        "metric_label": "Reports made available to law enforcement",
        "unit": "count",
        "period": "year",
        "value": 8611,
        "qualifier": "",
        "source": "NCMEC, Minnesota Data fact sheet, 2023",
        "note": "",
        "revised": None,
        "rate_per_100k": None,  # no population here (tests/programs/test_download_rates.py)
    }
    received, pieces = national["results"]
    assert (received["state_code"], received["state_name"]) == (None, None)
    assert (received["value"], received["qualifier"]) == (36_210_368, "")
    assert (pieces["value"], pieces["qualifier"]) == (105_000_000, "more_than")


def test_a_filter_takes_several_values(api):
    _, body = get_json(api, "/api/v1/figures/?state=WI,IA&state=TX&metric=" + REPORTS)

    assert {(f["state_code"], f["value"]) for f in body["results"]} == {
        (code, REPORTS_2023[code]) for code in ("WI", "IA", "TX")
    }


def test_pages_link_to_each_other_keeping_the_filters(api):
    everything = get_json(api, "/api/v1/figures/", {"year": "2023", "program": "cybertipline"})[1]
    url = "/api/v1/figures/?year=2023&program=cybertipline&page_size=2"
    seen, previous = [], None
    while url:
        response, body = get_json(api, url)
        assert response.status_code == 200
        assert body["previous"] == previous
        assert body["count"] == everything["count"]
        assert len(body["results"]) <= 2
        seen += body["results"]
        previous = response.wsgi_request.build_absolute_uri()
        url = body["next"]
        if url:
            assert url.startswith("http://testserver/api/v1/figures/?")
            assert "year=2023" in url and "program=cybertipline" in url and "page_size=2" in url

    assert seen == everything["results"]
    assert everything["count"] > 4
    assert everything["next"] is None and everything["previous"] is None


@pytest.mark.parametrize("size", [1, 3, 7])
@pytest.mark.parametrize(
    "filters", [{}, {"year": "2023"}, {"state": "MN,WI"}, {"program": "cybertipline"}]
)
def test_every_page_is_the_next_part_of_the_whole_list(api, filters, size):
    """A page reads only the years and metrics it spans: its figures are still exactly
    the whole list's, in its order, whichever the page size and the filters."""
    everything = get_json(api, "/api/v1/figures/", {**filters, **ALL})[1]["results"]
    pages, number = [], 1
    while True:
        response, body = get_json(api, "/api/v1/figures/", {**filters, "page_size": size,
                                                          "page": number})  # fmt: skip
        assert response.status_code == 200
        pages.append(body["results"])
        if body["next"] is None:
            break
        number += 1

    assert [figure for page in pages for figure in page] == everything
    assert all(len(page) == size for page in pages[:-1])
    assert len({(f["year"], f["metric_key"]) for f in everything}) > 2  # pages span groups


def test_the_other_lists_are_paged_the_same_way(api):
    _, states = get_json(api, "/api/v1/states/", {"page_size": 50})
    _, rest = get_json(api, states["next"])

    assert states["count"] == 56
    assert len(states["results"]) == 50
    assert len(rest["results"]) == 6
    assert rest["next"] is None
    assert rest["previous"] == "http://testserver/api/v1/states/?page_size=50"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "99"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "1001"}, "page_size"),
        ({"page_size": "-5"}, "page_size"),
        ({"year": "23"}, "year"),
        ({"year": "2031"}, "year"),
        ({"state": "Minnesota"}, "state"),
        ({"state": "ZZ"}, "state"),
        ({"program": "no-such-program"}, "program"),
        ({"metric": "no-such-metric"}, "metric"),
        ({"years": "2023"}, "years"),
    ],
)
def test_a_bad_parameter_is_a_json_400_naming_it(api, query, name):
    response, body = get_json(api, "/api/v1/figures/", query)

    assert response.status_code == 400
    assert body["error"]["status"] == 400
    assert body["error"]["filter"] == name
    assert body["error"]["message"]
    assert "ETag" not in response


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/programs/no-such-program/",
        "/api/v1/states/ZZ/",
        "/api/v1/metrics/no-such-metric/",
        "/api/v2/programs/",
        "/api/v1/figures/2023/",
        "/api/v1/programs/a%20b/",
        "/api/nothing-here",
    ],
)
def test_an_unknown_address_or_object_is_a_json_404(api, url):
    response, body = get_json(api, url)

    assert response.status_code == 404
    assert body["error"]["status"] == 404
    assert body["error"]["message"]
    assert "<html" not in response.content.decode()
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_endpoint_without_its_slash_redirects_to_it(api):
    response = api.get("/api/v1/figures?state=MN")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/figures/?state=MN"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/v1/figures/", "/api/v1/programs/cybertipline/", "/api/"])
def test_any_method_that_would_write_is_a_json_405(api, method, url):
    response = getattr(api, method)(url)

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"]["status"] == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_any_site_may_read_the_api_from_a_browser(api):
    response = api.get("/api/v1/states/MN/", HTTP_ORIGIN="https://example.org")
    preflight = api.options(
        "/api/v1/figures/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert preflight["Access-Control-Allow-Headers"] == "if-none-match"


def test_a_conditional_get_with_the_etag_or_the_date_is_a_304(api):
    first = api.get("/api/v1/figures/", {"state": "MN"})
    again = api.get("/api/v1/figures/", {"state": "MN"}, HTTP_IF_NONE_MATCH=first["ETag"])
    since = api.get(
        "/api/v1/figures/", {"state": "MN"}, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    assert first.status_code == 200
    # Weak: the same for the page gzipped or not (tests/test_page_cache.py).
    assert first["ETag"].startswith('W/"') and first["Last-Modified"]
    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"
    assert since.status_code == 304


def test_the_etag_differs_for_another_query_or_address(api):
    etags = {
        api.get(url)["ETag"]
        for url in [
            "/api/v1/figures/?state=MN",
            "/api/v1/figures/?state=WI",
            "/api/v1/figures/",
            "/api/v1/states/",
            "/api/v1/states/MN/",
        ]
    }

    assert len(etags) == 5


def test_a_publication_gives_a_new_etag_and_the_new_figures(api):
    first = api.get("/api/v1/figures/", {"state": "WY"})
    make_figure(Metric.objects.get(key=REPORTS), state=State.objects.get(code="WY"), value=77)

    after = api.get("/api/v1/figures/", {"state": "WY"}, HTTP_IF_NONE_MATCH=first["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert [f["value"] for f in json.loads(after.content)["results"]] == [77]


def test_only_published_programs_metrics_and_years_are_served(api):
    hidden = make_program(name="Hidden Pilot", slug="hidden-pilot", is_published=False)
    make_figure(make_metric(hidden, key="hidden-pilot-count"), value=424_242)
    make_figure(Metric.objects.get(key=REPORTS), year=2024, draft=True, value=434_343)
    cybertipline = Metric.objects.get(key=REPORTS).program
    drafted = make_metric(cybertipline, key="only-draft")
    make_figure(drafted, year=2024, draft=True, value=444_444)

    programs = get_json(api, "/api/v1/programs/")[1]
    metrics = get_json(api, "/api/v1/metrics/", ALL)[1]
    figures = get_json(api, "/api/v1/figures/", ALL)[1]

    assert "hidden-pilot" not in {p["slug"] for p in programs["results"]}
    keys = {m["key"] for m in metrics["results"]}
    assert not keys & {"hidden-pilot-count", "only-draft"}
    listed = next(p for p in programs["results"] if p["slug"] == cybertipline.slug)
    assert REPORTS in listed["metrics"] and "only-draft" not in listed["metrics"]
    values = {f["value"] for f in figures["results"]}
    assert not values & {424_242, 434_343, 444_444}
    assert figures["count"] == Figure.objects.published().count()
    assert api.get("/api/v1/programs/hidden-pilot/").status_code == 404
    assert api.get("/api/v1/metrics/only-draft/").status_code == 404
    assert api.get("/api/v1/figures/?year=2024").status_code == 400
    reports = get_json(api, f"/api/v1/metrics/{REPORTS}/")[1]
    assert reports["years"] == [2022, 2023]


@pytest.mark.parametrize("code", ["MN", "mn", "minnesota"])
def test_a_state_is_found_by_its_code_in_any_case_or_its_slug(api, code):
    _, body = get_json(api, f"/api/v1/states/{code}/")

    assert (body["code"], body["fips_code"], body["slug"]) == ("MN", "27", "minnesota")
    assert body["figures_url"] == "http://testserver/api/v1/figures/?state=MN"


def test_lists_and_objects_carry_their_citation(api):
    _, figures = get_json(api, "/api/v1/figures/", {"state": "MN", "year": "2023"})
    _, program = get_json(api, "/api/v1/programs/cybertipline/")

    assert figures["citation"].startswith("National Center for Missing & Exploited Children, ")
    assert "http://testserver/api/v1/figures/?state=MN&year=2023" in figures["citation"]
    assert ", published " in figures["citation"] and ", retrieved " in figures["citation"]
    assert "CyberTipline" in program["citation"]


def test_a_metric_note_shows_only_for_its_published_years(api):
    from programs.models import MetricNote, public_change

    reports = Metric.objects.get(key=REPORTS)
    with public_change():
        MetricNote.objects.create(metric=reports, first_year=2023, text="Counted anew.")
        MetricNote.objects.create(metric=reports, first_year=2024, text="Not yet said.")

    _, body = get_json(api, f"/api/v1/metrics/{REPORTS}/")

    assert body["notes"] == [{"first_year": 2023, "last_year": None, "text": "Counted anew."}]


def test_a_head_request_has_the_headers_and_no_body(api):
    get = api.get("/api/v1/states/MN/")
    head = api.head("/api/v1/states/MN/")

    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Type"] == "application/json"
