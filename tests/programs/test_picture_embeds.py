"""Each large chart and map offers its files and its embed code, and /embed/ shows it
alone for another site's frame, with its title, its sources and a link back, on NCMEC's
published record (the full demo)."""

import html
import re

import pytest

from tests.conftest import main_of, page_text

RECEIVED = "cybertipline-reports-received"
BY_STATE = "cybertipline-reports-by-state"


def picture_links(content):
    """[(what, {kind: address}, embed code)] of each "Download this …" on a page."""
    found = []
    for block in re.findall(r'<div class="picture-links">.*?</div>', content, re.S):
        what = re.search(r"Download this (\w+)", block).group(1)
        files = {
            kind.lower(): html.unescape(href)
            for href, kind in re.findall(r'<a href="([^"]+)"[^>]*>(SVG|PNG|CSV)</a>', block)
        }
        code = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", block, re.S).group(1))
        found.append((what, files, code))
    return found


def embed_address(code):
    return re.search(r'<iframe src="http://testserver(/embed/[^"]+)"', code).group(1)


def test_the_metric_page_offers_its_chart_as_files_and_an_embed(full_site, client):
    content = client.get(f"/metrics/{RECEIVED}/").content.decode()

    [(what, files, code)] = picture_links(content)
    assert what == "chart"
    assert files == {kind: f"/metrics/{RECEIVED}/chart.{kind}" for kind in ("svg", "png", "csv")}
    assert code == (
        f'<iframe src="http://testserver/embed/metrics/{RECEIVED}/chart/" '
        'title="CyberTipline: reports received, United States, 1998–2023" width="100%" '
        'height="560" loading="lazy"></iframe>'
    )
    assert '<textarea id="embed-chart-code" readonly' in content
    assert all(client.get(address).status_code == 200 for address in files.values())


def test_a_state_metrics_page_offers_its_map_at_its_year_and_measure(full_site, client):
    content = client.get(f"/metrics/{BY_STATE}/?measure=count").content.decode()

    [(what, files, code)] = picture_links(content)  # one year: a map, no chart
    assert what == "map"
    assert files["svg"] == f"/metrics/{BY_STATE}/map.svg?year=2023&measure=count"
    assert embed_address(code) == f"/embed/metrics/{BY_STATE}/map/?year=2023&amp;measure=count"


def test_the_home_page_offers_its_chart_and_its_map(full_site, client):
    content = client.get("/").content.decode()

    (chart, chart_files, _), (map_, map_files, map_code) = picture_links(content)
    assert (chart, map_) == ("chart", "map")
    assert chart_files["png"] == f"/metrics/{RECEIVED}/chart.png"
    assert map_files["csv"] == f"/metrics/{BY_STATE}/map.csv?year=2023&measure=rate"
    for address in (*chart_files.values(), *map_files.values()):
        assert client.get(address).status_code == 200, address


def test_the_program_page_offers_its_map(full_site, client):
    content = client.get("/programs/cybertipline/2023/").content.decode()

    [(what, files, _)] = picture_links(content)
    assert what == "map"
    assert client.get(files["svg"]).status_code == 200


def test_the_fact_sheets_small_charts_offer_no_files(full_site, client):
    assert picture_links(client.get("/states/minnesota/2023/").content.decode()) == []


def test_the_chart_embed_shows_the_chart_alone_with_its_source_and_a_link_back(full_site, client):
    response = client.get(f"/embed/metrics/{RECEIVED}/chart/")

    content = response.content.decode()
    main = main_of(response)
    assert response.status_code == 200
    assert "<h1 " in main and "CyberTipline: reports received, United States, 1998–2023" in main
    assert '<svg class="chart chart--large"' in main
    assert "OJJDP–NCMEC Transparency Report, calendar year 2023, Appendix A" in page_text(main)
    assert f'<a href="/metrics/{RECEIVED}/">NCMEC Data: Reports received</a>' in main
    # Alone: no header, search, navigation or form; its links open outside the frame.
    assert '<base target="_top">' in content
    assert not re.search(r"<(nav|header|form|script)\b", content)
    assert '<meta name="robots" content="noindex">' in content


def test_the_map_embed_shows_the_map_without_its_form(full_site, client):
    response = client.get(f"/embed/metrics/{BY_STATE}/map/?year=2023&measure=rate")

    main = main_of(response)
    assert response.status_code == 200
    assert "per 100,000 residents, by state and territory, 2023</h1>" in main
    assert main.count('<li class="tile-') == 56
    assert "<form" not in main
    assert "U.S. Census Bureau, Vintage 2023 population estimates" in page_text(main)


@pytest.mark.parametrize(
    ("address", "status"),
    [
        (f"/embed/metrics/{BY_STATE}/map/?measure=size", 400),
        (f"/embed/metrics/{BY_STATE}/map/?year=2010", 404),
        (f"/embed/metrics/{RECEIVED}/map/", 404),
        (f"/embed/metrics/{BY_STATE}/chart/", 404),
        ("/embed/metrics/nothing/chart/", 404),
    ],
)
def test_an_embed_refuses_a_bad_request(full_site, anonymous, address, status):
    assert anonymous.get(address).status_code == status
