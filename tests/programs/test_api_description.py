"""The API as described, on /api/ and in /api/v1/openapi.json, against what it really
answers: every address, every field and its type, and the page's examples."""

import json

import pytest
from django.urls import URLPattern

from programs.api import fields
from programs.api.urls import api_urlpatterns
from programs.models import POPULATION_KEY, Metric
from states.models import State
from tests.conftest import make_figure, once_per_module
from tests.programs.reader_data import REPORTS, build_reader_data


@once_per_module
def site_with_population():
    """The reader data, and Minnesota's 2023 population, which the examples' rate is of."""
    build_reader_data()
    make_figure(
        Metric.objects.get(key=POPULATION_KEY),
        state=State.objects.get(code="MN"),
        value=5_737_915,
        source="U.S. Census Bureau, Vintage 2023 population estimates (July 1, 2023)",
    )


@pytest.fixture
def api(site_with_population, anonymous):
    return anonymous


def get_json(api, url, data=None):
    response = api.get(url, data)
    assert response["Content-Type"] == "application/json", url
    return response, json.loads(response.content)


DETAILS = {
    "Program": "/api/v1/programs/cybertipline/",
    "State": "/api/v1/states/MN/",
    "Metric": f"/api/v1/metrics/{REPORTS}/",
}
LISTS = {
    "Program": "/api/v1/programs/",
    "State": "/api/v1/states/",
    "Metric": "/api/v1/metrics/",
    "Figure": "/api/v1/figures/",
}


def route_paths():
    paths = []
    for pattern in api_urlpatterns[0]:
        assert isinstance(pattern, URLPattern)
        if pattern.name == "not_found":
            continue  # not an address: what answers every other one
        route = str(pattern.pattern)
        for name in ("slug", "code", "key"):
            route = route.replace(f"<slug:{name}>", f"{{{name}}}").replace(
                f"<str:{name}>", f"{{{name}}}"
            )
        paths.append(f"/{route}")
    return paths


def test_the_openapi_description_names_every_address(api):
    _, document = get_json(api, "/api/v1/openapi.json")

    assert document["openapi"] == "3.1.0"
    assert sorted(document["paths"]) == sorted(route_paths())
    assert document["servers"] == [{"url": "http://testserver/api"}]


@pytest.mark.parametrize("name", LISTS)
def test_a_real_list_has_the_fields_the_description_gives(api, name):
    _, document = get_json(api, "/api/v1/openapi.json")
    _, body = get_json(api, LISTS[name])
    schemas = document["components"]["schemas"]
    page = document["paths"][LISTS[name].removeprefix("/api")]["get"]["responses"]["200"]
    envelope = page["content"]["application/json"]["schema"]

    assert set(body) == set(envelope["properties"]) == set(envelope["required"])
    assert envelope["properties"]["results"]["items"]["$ref"] == f"#/components/schemas/{name}"
    for item in body["results"]:
        assert set(item) == set(schemas[name]["properties"]) == set(schemas[name]["required"])


@pytest.mark.parametrize("name", DETAILS)
def test_a_real_object_has_the_fields_the_description_gives(api, name):
    _, document = get_json(api, "/api/v1/openapi.json")
    _, body = get_json(api, DETAILS[name])

    schema = document["components"]["schemas"][name]
    assert set(body) == set(schema["properties"]) | {"citation"}
    if name == "Metric":
        metric = get_json(api, "/api/v1/metrics/missing-cases-handled/")[1]
        assert metric["parent"] is None or isinstance(metric["parent"], str)


def test_the_description_types_match_the_values(api):
    _, document = get_json(api, "/api/v1/openapi.json")
    json_types = {"string": str, "integer": int, "number": (int, float), "array": list}
    bodies = {name: get_json(api, url)[1]["results"] for name, url in LISTS.items()}

    for name, results in bodies.items():
        properties = document["components"]["schemas"][name]["properties"]
        for item in results:
            for key, value in item.items():
                declared = properties[key]["type"]
                types = declared if isinstance(declared, list) else [declared]
                if value is None:
                    assert "null" in types, (name, key)
                else:
                    assert isinstance(value, json_types[types[0]]), (name, key, value)
                if "enum" in properties[key]:
                    assert value in properties[key]["enum"], (name, key, value)


def test_the_api_page_documents_every_address_and_field(api):
    response = api.get("/api/")
    content = response.content.decode()

    assert response.status_code == 200
    for path in route_paths():
        assert f'<code class="api-address">/api{path}</code>' in content
    for field_list in (*fields.SCHEMAS.values(), fields.LIST, fields.ERROR):
        for field in field_list:
            assert f'<th scope="row"><code>{field.name}</code></th>' in content
    for name in ("If-None-Match", "304", "Access-Control-Allow-Origin", "page_size"):
        assert name in content
    assert 'href="/data/"' in content
    assert 'href="http://testserver/api/v1/openapi.json"' in content
    assert "National Center for Missing &amp; Exploited Children, NCMEC Data API" in content


def test_the_api_pages_examples_have_the_shape_of_real_responses(api):
    from programs.api.examples import examples

    shown = examples(lambda path: f"http://testserver{path}", lambda title, url: title)
    real = {
        "program": get_json(api, DETAILS["Program"])[1],
        "state": get_json(api, DETAILS["State"])[1],
        "metric": get_json(api, DETAILS["Metric"])[1],
        "figures": get_json(api, "/api/v1/figures/?state=MN&page_size=2")[1],
        "error": get_json(api, "/api/v1/figures/?state=Minnesota")[1],
    }

    for name, (address, body) in shown.items():
        assert set(body) == set(real[name]), name
        assert address.startswith("http://testserver/api/")
    assert set(shown["figures"][1]["results"][1]) == set(real["figures"]["results"][0])
    assert shown["state"][1] == {**real["state"], "citation": "Minnesota (NCMEC Data API)"}
    assert shown["error"][1] == real["error"]
    # The example figure is the published one, as the API serves it.
    reports = get_json(api, "/api/v1/figures/", {"state": "MN", "year": "2023", "metric": REPORTS})
    assert shown["figures"][1]["results"][1] == reports[1]["results"][0]
