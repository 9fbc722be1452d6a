"""A metric's chart and map as files to take away (/metrics/<key>/chart.svg|png|csv,
/metrics/<key>/map.svg|png|csv): the picture with its title, sources and citation
written in, the same drawn as a PNG on the server, and its figures; published figures
only, a malformed request refused, on NCMEC's published record (the full demo)."""

import csv
import io
import re
import struct
from xml.etree import ElementTree

import pytest
from PIL import Image

from ncmec_site.site_address import absolute_url
from programs.models import Metric
from programs.reader import png
from states.models import State
from tests.conftest import make_figure
from tests.programs.test_preview import in_preview

RECEIVED = "/metrics/cybertipline-reports-received"
BY_STATE = "/metrics/cybertipline-reports-by-state"
SVG = "{http://www.w3.org/2000/svg}"
RECEIVED_TITLE = "CyberTipline: reports received, United States, 1998–2023"
TRANSPARENCY = "OJJDP–NCMEC Transparency Report, calendar year 2023, Appendix A"
CREDIT = "Table compiled by Robert Grimm, diaphanous, CC BY 4.0."
BY_STATE_SOURCE = "NCMEC, 2023 CyberTipline Reports by State"
CENSUS = "U.S. Census Bureau, Vintage 2023 population estimates (July 1, 2023)"


def svg_text(response):
    """The text a reader sees in an SVG file, its lines joined, and its parsed tree."""
    root = ElementTree.fromstring(response.content)
    lines = [element.text or "" for element in root.iter(f"{SVG}text")]
    return " ".join(" ".join(lines).split()), root


def png_size(content):
    """(width, height) from a PNG's header, which must be a PNG's."""
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind, width, height = struct.unpack(">I4sII", content[8:24])
    assert kind == b"IHDR" and length == 13
    return width, height


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# SVG


def test_the_chart_svg_is_a_file_with_its_title_sources_and_citation_written_in(full_site, client):
    response = client.get(f"{RECEIVED}/chart.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == (
        'attachment; filename="ncmec-cybertipline-reports-received-chart.svg"'
    )
    text, root = svg_text(response)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == RECEIVED_TITLE
    assert text.startswith(RECEIVED_TITLE)
    assert f"Source: {TRANSPARENCY}. {CREDIT}" in text
    cited = (
        f"How to cite: National Center for Missing & Exploited Children, {RECEIVED_TITLE}, "
        f"published "
    )
    assert cited in text
    assert f"{absolute_url(RECEIVED + '/')}, retrieved " in text
    # The chart itself: every year a dot, the years and the scale written.
    assert len(root.findall(f".//{SVG}circle")) == 26
    assert "40 million" in text and "1998" in text


def test_an_svg_file_draws_the_same_without_the_sites_stylesheet_and_holds_nothing_to_run(
    full_site, client
):
    for address in (f"{RECEIVED}/chart.svg", f"{BY_STATE}/map.svg"):
        content = client.get(address).content.decode()
        _, root = svg_text(client.get(address))

        assert root.get("font-family").startswith("'Source Sans 3'")
        assert not re.search(r"<(script|style|image|foreignObject|a)\b", content)
        assert not re.search(r"\b(style|href|xlink:href|on\w+)=", content)
        # Each line, dot and tile carries its own colour.
        assert all(line.get("stroke") for line in root.iter(f"{SVG}polyline"))
        assert all(shape.get("fill") for shape in root.iter(f"{SVG}circle"))
        assert all(shape.get("fill") for shape in root.iter(f"{SVG}rect"))


def test_the_map_svg_has_every_tile_the_legend_and_the_populations_source(full_site, client):
    response = client.get(f"{BY_STATE}/map.svg?year=2023")

    text, root = svg_text(response)
    assert response["Content-Disposition"] == (
        'attachment; filename="ncmec-cybertipline-reports-by-state-map-2023-rate.svg"'
    )
    assert text.startswith(
        "CyberTipline: reports with a user located in the state per 100,000 residents, "
        "by state and territory, 2023"
    )
    codes = {element.text for element in root.iter(f"{SVG}text")}
    assert {state.code for state in State.objects.all()} <= codes
    assert "No figure (6 states or territories)" in text
    assert f"Source: {BY_STATE_SOURCE}. {CREDIT}" in text
    assert f"Source: {CENSUS}." in text
    assert absolute_url(f"{BY_STATE}/?year=2023&measure=rate") in text


def test_a_count_map_names_no_population(full_site, client):
    text, _ = svg_text(client.get(f"{BY_STATE}/map.svg?measure=count"))

    assert text.startswith("CyberTipline: number of reports with a user located in the state")
    assert "Number of reports with a user located in the state, 2023" in text  # the legend
    assert CENSUS not in text


def test_what_staff_write_is_escaped_in_the_file(full_site, client):
    metric = Metric.objects.get(key="cybertipline-reports-received")
    Metric.objects.filter(pk=metric.pk).update(label='Reports <script>alert("x")</script> & co')

    response = client.get(f"{RECEIVED}/chart.svg")

    content = response.content.decode()
    assert "<script" not in content
    text, root = svg_text(response)  # still well-formed
    assert 'reports <script>alert("x")</script> & co' in root.find(f"{SVG}title").text


# PNG


def test_the_chart_png_is_the_picture_drawn_on_the_server_at_a_slides_width(full_site, client):
    response = client.get(f"{RECEIVED}/chart.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith('-chart.png"')
    width, height = png_size(response.content)
    assert width == png.WIDTH == 1600
    svg = ElementTree.fromstring(client.get(f"{RECEIVED}/chart.svg").content)
    assert height == round(1600 * int(svg.get("height")) / int(svg.get("width")))
    image = Image.open(io.BytesIO(response.content))
    image.load()  # decodes: a whole, valid PNG
    assert image.size == (width, height)
    assert image.convert("L").getpixel((0, 0)) == 255  # on white


def test_the_map_png_decodes(full_site, client):
    response = client.get(f"{BY_STATE}/map.png?measure=count")

    assert response["Content-Type"] == "image/png"
    assert png_size(response.content)[0] == 1600
    Image.open(io.BytesIO(response.content)).load()


def dark_pixels(content):
    image = Image.open(io.BytesIO(content)).convert("L")
    return sum(image.histogram()[:128])


def test_text_is_drawn_with_the_sites_own_font_on_any_machine():
    """resvg is given the site's font and no other (the system's are skipped), so a
    machine without fonts draws the same text."""
    words = '<text x="10" y="40" font-size="30" fill="#000">NCMEC 2023</text>'
    bold = words.replace("<text ", '<text font-weight="700" ')
    page = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60" ' \
        "font-family=\"'Source Sans 3', sans-serif\">{}</svg>"  # fmt: skip

    blank = dark_pixels(png.render(page.format("")))
    regular = dark_pixels(png.render(page.format(words)))
    heavier = dark_pixels(png.render(page.format(bold)))

    assert blank == 0
    assert regular > 1000
    assert heavier > regular * 1.2  # the bold face is there too


# CSV


def test_the_chart_csv_holds_the_charts_figures(full_site, client):
    response = client.get(f"{RECEIVED}/chart.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('-chart.csv"')
    rows = csv_rows(response)
    assert [row["year"] for row in rows] == [str(year) for year in range(1998, 2024)]
    assert rows[0] == {
        "year": "1998",
        "metric_key": "cybertipline-reports-received",
        "metric_label": "Reports received",
        "place": "United States",
        "value": "4560",
        "qualifier": "",
        "places_reporting": "",
        "source": TRANSPARENCY,
    }
    assert rows[-1]["value"] == "36210368"


def test_a_state_metrics_chart_is_the_total_of_the_states_reporting(full_site, client):
    to_police = Metric.objects.get(key="cybertipline-reports-to-law-enforcement")
    make_figure(to_police, year=2022, state=State.objects.get(code="WI"), value=100)

    rows = csv_rows(client.get("/metrics/cybertipline-reports-to-law-enforcement/chart.csv"))

    assert [(r["year"], r["value"], r["places_reporting"]) for r in rows] == [
        ("2022", "100", "1"),
        ("2023", "8611", "1"),
    ]
    assert rows[0]["place"] == "Total of the states and territories reporting"


def test_the_map_csv_holds_every_tile_with_its_rate_and_shade(full_site, client):
    rows = csv_rows(client.get(f"{BY_STATE}/map.csv?year=2023&measure=rate"))

    assert len(rows) == 56
    minnesota = next(row for row in rows if row["state_code"] == "MN")
    assert (minnesota["value"], minnesota["rate_per_100k"]) == ("10407", "181.4")
    assert minnesota["source"] == BY_STATE_SOURCE
    guam = next(row for row in rows if row["state_code"] == "GU")
    assert (guam["value"], guam["rate_per_100k"], guam["shade"]) == ("", "", "No figure")
    assert {row["shade"] for row in rows} >= {"No figure", "300.0 or more"}


# What a reader may ask for


@pytest.mark.parametrize(
    ("address", "status"),
    [
        (f"{BY_STATE}/map.svg?year=two", 400),
        (f"{BY_STATE}/map.png?year=02023", 400),
        (f"{BY_STATE}/map.csv?measure=area", 400),
        (f"{BY_STATE}/map.csv?measure=area&measure=rate", 400),  # as a year beside a year
        (f"{BY_STATE}/map.svg?year=1990", 404),
        (f"{RECEIVED}/map.svg", 404),  # a national figure has no map
        ("/metrics/no-such-metric/chart.svg", 404),
        ("/metrics/population/chart.csv", 404),  # reference data has no page
        (f"{BY_STATE}/chart.png", 404),  # one year: no chart
        (f"{RECEIVED}/chart.gif", 404),
        (f"{RECEIVED}/chart.svg?year=two", 200),  # the chart is of every year
    ],
)
def test_a_bad_request_is_refused_never_a_500(full_site, anonymous, address, status):
    assert anonymous.get(address).status_code == status


def test_a_file_shows_published_figures_only_even_to_staff_in_preview(full_site, staff):
    make_figure(
        Metric.objects.get(key="cybertipline-reports-received"),
        year=2024,
        value=99_999_999,
        draft=True,
    )
    in_preview(staff.session, staff)

    for address in (f"{RECEIVED}/chart.svg", f"{RECEIVED}/chart.csv"):
        content = staff.get(address).content.decode()
        assert "2024" not in content
        assert "99999999" not in content and "99,999,999" not in content


def test_a_file_is_kept_by_the_page_cache_until_a_publish(
    full_site, client, django_assert_num_queries
):
    first = client.get(f"{RECEIVED}/chart.png")
    with django_assert_num_queries(0):
        again = client.get(f"{RECEIVED}/chart.png")
    assert again.content == first.content

    make_figure(Metric.objects.get(key="cybertipline-reports-received"), year=2024, value=1)

    assert client.get(f"{RECEIVED}/chart.png").content != first.content
    assert "2024" in client.get(f"{RECEIVED}/chart.csv").content.decode()
