"""The tile-grid map: where tiles sit, how they are shaded and named, and the pages that
show it (the home page and the program pages)."""

import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from programs.reader import tilemap
from states.tiles import TILES
from tests.conftest import page_text
from tests.programs.reader_data import REPORTS, REPORTS_2023

MAP_CSS = Path(settings.BASE_DIR) / "static" / "css" / "map.css"


def tiles(content):
    """{USPS code: (the li's classes, the link's address, the link's text)} in page order."""
    grid = re.search(r'<ol class="tile-grid"[^>]*>(.*?)</ol>', content, re.S).group(1)
    return {
        page_text(name).split()[0]: (classes, href, page_text(name))
        for classes, href, name in re.findall(
            r'<li class="([^"]+)"><a href="([^"]+)">(.*?)</a></li>', grid, re.S
        )
    }


def luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def fake_states(*codes):
    names = {"MN": "Minnesota", "WI": "Wisconsin", "IA": "Iowa", "TX": "Texas", "GU": "Guam"}
    return [
        SimpleNamespace(pk=n, code=code, name=names[code], slug=names[code].lower())
        for n, code in enumerate(codes, start=1)
    ]


def fake_figure(value, written):
    return SimpleNamespace(value=Decimal(value), display_value=written)


REPORTS_METRIC = SimpleNamespace(
    pk=1, label="Reports made available to law enforcement", unit="count"
)


# Where the tiles sit


def test_the_stylesheet_places_every_tile_where_the_layout_says():
    css = MAP_CSS.read_text()

    for code, (row, column) in TILES.items():
        rule = f".tile-{code.lower()} {{ grid-row: {row + 1}; grid-column: {column + 1}; }}"
        assert rule in css, code


def test_below_about_400_pixels_the_grid_becomes_a_list_with_each_name_written_out():
    css = MAP_CSS.read_text()
    narrow = css[css.index("@media (max-width: 25em)") :]

    assert ".tile-grid { display: block; }" in narrow
    assert ".tile-detail { position: static;" in narrow


# Shades and legend


def test_tiles_have_3_to_1_against_the_page_and_their_text_4_5_to_1_against_the_tile():
    css = MAP_CSS.read_text()

    for n, (background, text) in enumerate(tilemap.PALETTE, start=1):
        assert contrast(background, tilemap.PAGE_BACKGROUND) >= 3, background
        assert contrast(text, background) >= 4.5, background
        assert (
            f".tile-bin-{n} a, .swatch.tile-bin-{n} {{ background: {background}; color: {text}; }}"
            in css
        )
    background, text, border = tilemap.NO_FIGURE
    assert contrast(border, tilemap.PAGE_BACKGROUND) >= 3
    assert contrast(text, background) >= 4.5
    assert f"border: 2px dashed {border}" in css


def test_classes_have_round_bounds_written_in_words():
    values = [Decimal(v) for v in (12, 640, 3_120, 8_611, 9_250, 41_000, 52_300)]

    bins = tilemap.make_bins(values, "count")

    assert [b.label for b in bins] == [
        "Under 600",
        "600 to 2,999",
        "3,000 to 8,999",
        "9,000 to 39,999",
        "40,000 or more",
    ]
    assert all(any(b.holds(v) for v in values) for b in bins)


@pytest.mark.parametrize(
    ("value", "bound"),
    [("8611", 8000), ("19400", 15000), ("27000", 25000), ("1234567", 1000000), ("0.37", "0.3")],
)
def test_class_boundaries_are_round_numbers_near_the_values(value, bound):
    assert tilemap.round_down(Decimal(value)) == Decimal(bound)


def test_percent_classes_say_under_rather_than_a_last_value():
    bins = tilemap.make_bins([Decimal(v) for v in ("4.5", "12", "19", "27.5", "33")], "percent")

    assert [b.label for b in bins] == [
        "Under 10%",
        "10% to under 15%",
        "15% to under 25%",
        "25% to under 30%",
        "30% or more",
    ]


def test_one_figure_makes_one_class_labelled_with_it():
    bins = tilemap.make_bins([Decimal(8611)], "count")

    assert [b.label for b in bins] == ["8,611"]


def test_tile_names_carry_the_state_the_figure_and_the_year_or_say_no_figure():
    mn, wi, gu = fake_states("MN", "WI", "GU")
    figures = {mn.pk: fake_figure(8611, "8,611"), wi.pk: fake_figure(9250, "9,250")}

    built = tilemap.build(REPORTS_METRIC, figures, [wi, gu, mn], 2023)

    by_code = {tile.code: tile for tile in built.tiles}
    assert [tile.code for tile in built.tiles] == ["GU", "MN", "WI"]  # by name
    assert (
        by_code["MN"].detail == "Minnesota: 8,611 reports made available to law enforcement, 2023"
    )
    assert by_code["GU"].detail == "Guam: no figure, 2023"
    assert by_code["GU"].shade_class == "tile-none"
    assert by_code["MN"].url == "/states/minnesota/2023/"
    assert built.no_figure_count == 1
    assert sum(b.count for b in built.bins) == 2


# On the pages


@pytest.mark.django_db
def test_home_map_tiles_are_links_whose_names_start_with_their_label(site_with_states, client):
    content = client.get("/").content.decode()

    shown = tiles(content)
    assert len(shown) == 56
    classes, href, name = shown["MN"]
    assert href == "/states/minnesota/2023/"
    assert name == "MN Minnesota: 8,611 reports made available to law enforcement, 2023"
    assert "tile-mn" in classes.split()
    assert shown["AL"][2] == "AL Alabama: no figure, 2023"
    assert "tile-none" in shown["AL"][0].split()


@pytest.mark.django_db
def test_home_map_tiles_are_in_alphabetical_order_of_names(site_with_states, client):
    content = client.get("/").content.decode()

    names = [name.split(":")[0].split(" ", 1)[1] for _, _, name in tiles(content).values()]
    assert names == sorted(names)
    assert names[:3] == ["Alabama", "Alaska", "American Samoa"]


@pytest.mark.django_db
def test_home_map_has_a_legend_in_words_and_a_table_saying_the_same(site_with_states, client):
    content = client.get("/").content.decode()
    text = page_text(content)

    assert "Legend: Reports made available to law enforcement, 2023" in text
    assert "No figure (49 states or territories)" in text
    assert re.search(r"\d[\d,]* or more \(\d+ states? or territor", text)
    table = re.search(r"<table class=\"data-table\">(.*?)</table>", content, re.S).group(1)
    assert "<caption" in table and 'scope="row"' in table and 'scope="col"' in table
    assert "Minnesota 8,611" in page_text(table)
    assert "Alabama No figure No figure" in page_text(table)


@pytest.mark.django_db
def test_home_map_defaults_to_the_first_state_metric_with_figures_in_the_latest_year(
    site_with_states, client
):
    response = client.get("/")

    assert response.context["tile_map"].metric.key == REPORTS
    assert response.context["tile_map"].year == 2023


@pytest.mark.django_db
def test_home_map_form_picks_a_metric_and_a_year_without_javascript(site_with_states, client):
    content = client.get("/").content.decode()
    form = re.search(
        r'<form class="tile-map-form" method="get" action="/">(.*?)</form>', content, re.S
    )

    assert form, "the map's form goes to the home page by GET"
    assert '<select id="home-map-metric" name="metric">' in form.group(1)
    assert '<select id="home-map-year" name="year">' in form.group(1)
    assert '<button type="submit">' in form.group(1)

    older = client.get("/", {"metric": REPORTS, "year": "2022"})
    assert older.status_code == 200
    assert tiles(older.content.decode())["MN"][2] == (
        "MN Minnesota: 7,000 reports made available to law enforcement, 2022"
    )
    assert "National figures, 2023" in older.content.decode()  # the map's year only

    other = client.get("/", {"metric": "cvip-submissions-reviewed"}).content.decode()
    assert tiles(other)["MN"][2] == "MN Minnesota: 128 submissions reviewed, 2023"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"metric": "no-such-metric"},
        {"metric": "cybertipline-reports-received"},
        {"year": "1999"},
    ],
    ids=["unknown", "national-metric", "year-without-figures"],
)
def test_home_map_asked_for_something_it_cannot_show_is_not_found(site_with_states, client, query):
    assert client.get("/", query).status_code == 404


@pytest.mark.django_db
def test_home_map_asked_for_a_malformed_year_is_a_bad_request(site_with_states, client):
    """A 404 before the year was read one way everywhere (programs.years)."""
    assert client.get("/", {"year": "20x3"}).status_code == 400


@pytest.mark.django_db
def test_program_page_map_chooses_among_the_programs_state_metrics(site_with_states, client):
    response = client.get("/programs/missing-child-case-assistance/2023/")
    content = response.content.decode()

    assert response.context["tile_map"].metric.key == "missing-cases-handled"
    form = re.search(r'<form class="tile-map-form"[^>]*>(.*?)</form>', content, re.S).group(1)
    options = re.findall(r'<option value="([^"]+)"', form)
    assert options == [
        "missing-cases-handled",
        "missing-cases-social-services",
        "missing-cases-other",
        "missing-cases-hhs-orr",
    ]
    chosen = client.get(
        "/programs/missing-child-case-assistance/2023/", {"metric": "missing-cases-other"}
    ).content.decode()
    assert tiles(chosen)["WI"][2].startswith("WI Wisconsin: 100 ")
    assert tiles(chosen)["MN"][2].startswith("MN Minnesota: 57 ")


@pytest.mark.django_db
def test_program_page_year_selector_keeps_the_metric_on_the_map(site_with_states, client):
    response = client.get("/programs/cybertipline/", {"year": "2022", "metric": REPORTS})

    assert response.status_code == 302
    assert response["Location"] == f"/programs/cybertipline/2022/?metric={REPORTS}"


@pytest.mark.django_db
def test_map_pages_have_no_style_attributes_nor_inline_scripts(site_with_states, client):
    for url in ("/", "/programs/cybertipline/2023/"):
        content = client.get(url).content.decode()
        assert "style=" not in content, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", content), url
        assert not re.search(r"\son[a-z]+=", content), url


@pytest.mark.django_db
def test_map_shows_every_state_figure_of_the_metric(site_with_states, client):
    shown = tiles(client.get("/").content.decode())

    for code, value in REPORTS_2023.items():
        assert f": {value:,} reports" in shown[code][2], code
