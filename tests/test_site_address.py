"""Every absolute address the site writes is its own (ncmec_site.site_address, from
SITE_URL: "http://testserver/" in the tests), whatever Host the request names."""

import pytest

from ncmec_site.site_address import absolute_url, site_origin
from tests.conftest import page_text

# An allowed Host, but not the site's address: a proxy's, another port's.
ODD_HOST = {"HTTP_HOST": "localhost:8080"}
PAGES = (
    "/",
    "/states/minnesota/2023/",
    "/programs/cybertipline/2023/",
    "/metrics/cybertipline-reports-to-law-enforcement/",
    "/compare/?states=MN,WI",
    "/data/",
    "/api/",
    "/api/v1/openapi.json",
    "/api/v1/states/MN/",
    "/api/v1/figures/?state=MN&page_size=2",
    "/data/figures.json?state=MN",
    "/data/datapackage.json",
    "/sitemap.xml",
    "/robots.txt",
    "/revisions/feed/",
)


def test_a_path_is_written_on_the_sites_address(settings):
    settings.SITE_URL = "https://data.example.org/"

    assert absolute_url("/states/minnesota/2023/") == (
        "https://data.example.org/states/minnesota/2023/"
    )
    assert absolute_url("/data/figures.csv?year=2023") == (
        "https://data.example.org/data/figures.csv?year=2023"
    )
    assert absolute_url("//elsewhere.example/") == "https://data.example.org//elsewhere.example/"
    assert absolute_url() == "https://data.example.org/"
    assert site_origin() == ("https", "data.example.org")


def test_only_a_path_from_the_root_is_an_address():
    with pytest.raises(ValueError, match="not a path from the site's root"):
        absolute_url("states/")


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_no_address_is_built_from_the_requests_host(site, db, client, path):
    response = client.get(path, **ODD_HOST)
    text = body(response)

    assert response.status_code == 200
    assert "localhost" not in text
    assert "localhost" not in response.get("Link", "")
    assert "http://testserver/" in text


def test_a_page_names_its_canonical_address_on_the_sites_address(site, db, client):
    response = client.get("/states/minnesota/2023/", secure=True, **ODD_HOST)
    content = response.content.decode()

    assert '<link rel="canonical" href="http://testserver/states/minnesota/2023/">' in content
    assert '<meta property="og:url" content="http://testserver/states/minnesota/2023/">' in content
    assert "http://testserver/states/minnesota/2023/, retrieved" in page_text(response)


def test_a_download_links_to_the_sites_address(site, db, client):
    response = client.get("/data/figures.csv?state=MN", **ODD_HOST)

    assert response["Link"] == (
        '<http://testserver/data/>; rel="describedby", '
        '<http://testserver/data/figures.csv?state=MN>; rel="cite-as"'
    )
