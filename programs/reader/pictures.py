"""A metric's chart and map as pictures that leave the site: downloaded as SVG, PNG or
CSV (reader.picture_svg, reader.png) or embedded in another site's page (/embed/).

Each is built from what the metric's page reads (``reader_series`` rows, the states,
the year's populations), published figures only: the chart of every year (the nation's,
or the total of the states reporting), the map of a year's state figures. Each knows
its title, the figures it draws as rows of a CSV file, the sources of those figures,
and the address of the page it comes from, which its citation gives.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape

from ncmec_site.site_address import absolute_url

from .. import formatting
from . import charts, metric_page, tilemap
from .tilemap import noun
from .trends import series_table

CHART_COLUMNS = [
    "year",
    "metric_key",
    "metric_label",
    "place",
    "value",
    "qualifier",
    "places_reporting",  # a total of the states: how many reported that year
    "source",
]
MAP_COLUMNS = [
    "year",
    "metric_key",
    "metric_label",
    "state_code",
    "state_name",
    "value",
    "qualifier",
    "rate_per_100k",
    "shade",  # the legend's class, "No figure", or "No rate"
    "source",
]
NUMBER_COLUMNS = {"year", "value", "places_reporting", "rate_per_100k"}
UNITED_STATES = "United States"
STATES_TOTAL = "total of the states and territories reporting"
SOURCE_SEPARATOR = " | "


def lower_first(text):
    """``text`` to follow a colon: "Reports received" → "reports received", but "CVIP
    submissions" kept as it is (as tilemap.noun)."""
    return text if len(text) > 1 and text[1].isupper() else text[:1].lower() + text[1:]


def chart_title(metric, points):
    """ "CyberTipline: reports received, United States, 1998–2023"."""
    place = UNITED_STATES if metric.is_national else STATES_TOTAL
    return f"{metric.program.name}: {noun(metric)}, {place}, {charts.years_label(points)}"


def map_title(tile_map):
    """ "CyberTipline: reports … per 100,000 residents, by state and territory, 2023"."""
    return f"{tile_map.metric.program.name}: {lower_first(tile_map.caption)}"


@dataclass
class ChartPicture:
    """Every published year of a metric as a line: the nation's, or for a state count
    the total of the states reporting (``reported``: how many, per year)."""

    metric: object
    points: list  # charts.Point, oldest first
    reported: dict  # {year: places with a figure}; empty for the nation
    year_titles: dict  # {year: [the sources of its figures]}
    columns = CHART_COLUMNS

    @property
    def years(self):
        return [point.year for point in self.points]

    @property
    def file_stem(self):
        return f"ncmec-{self.metric.key}-chart"

    @property
    def place(self):
        return UNITED_STATES if self.metric.is_national else STATES_TOTAL

    @property
    def title(self):
        return chart_title(self.metric, self.points)

    @property
    def chart_id(self):
        return f"chart-{self.metric.key}"

    @property
    def svg(self):
        """The chart as the metric's page draws it."""
        return charts.line_chart(
            self.points, chart_id=self.chart_id, title=self.title, unit=self.metric.unit
        )

    @property
    def summary(self):
        return charts.summary(self.points, self.metric.unit)

    @property
    def table(self):
        """The years as a table writes them, newest first."""
        return series_table(self.points, self.metric.unit)

    @property
    def titles(self):
        """The sources of every figure drawn."""
        return [title for titles in self.year_titles.values() for title in titles]

    @property
    def page_path(self):
        return self.metric.get_absolute_url()

    @property
    def rows(self):
        for point in self.points:
            yield {
                "year": point.year,
                "metric_key": self.metric.key,
                "metric_label": self.metric.label,
                "place": self.place[:1].upper() + self.place[1:],
                "value": formatting.plain_number(point.value),
                "qualifier": point.qualifier,
                "places_reporting": self.reported.get(point.year, ""),
                "source": SOURCE_SEPARATOR.join(self.year_titles.get(point.year, [])),
            }


def chart_picture(metric, rows):
    """The chart of ``metric`` from ``reader_series`` rows of it (the nation's, or every
    state's), or None when it has fewer than two years to draw (its page draws none)."""
    page = metric_page.build(metric, rows, [])
    if len(page.points) < 2:
        return None
    if metric.is_national:
        return ChartPicture(metric, page.points, {}, {p.year: [p.source] for p in page.points})
    year_titles = dict(page.year_sources)
    reported = dict(zip(page.years, page.reported, strict=True))
    return ChartPicture(metric, page.points, reported, year_titles)


@dataclass
class MapPicture:
    """A year's state figures of a metric on the tile-grid map."""

    metric: object
    tile_map: object  # reader.tilemap.TileMap
    sources_by_state: dict  # {state id: the source of its figure}
    columns = MAP_COLUMNS

    @property
    def years(self):
        return [self.year]

    @property
    def file_stem(self):
        return f"ncmec-{self.metric.key}-map-{self.year}-{self.measure}"

    @property
    def year(self):
        return self.tile_map.year

    @property
    def measure(self):
        return self.tile_map.measure

    @property
    def title(self):
        return map_title(self.tile_map)

    @property
    def summary(self):
        """The legend in words."""
        classes = [f"{b.label} ({b.count})" for b in self.tile_map.bins]
        classes.append(f"no figure ({self.tile_map.no_figure_count})")
        if self.tile_map.no_rate_count:
            classes.append(f"a count but no rate ({self.tile_map.no_rate_count})")
        return f"{self.tile_map.shown}, {self.year}, by state: " + "; ".join(classes) + "."

    @property
    def titles(self):
        """The sources of the figures shaded and, shaded by rate, of the populations the
        rates are of."""
        tiles = self.tile_map.tiles
        rated = [t for t in tiles if t.rate is not None] if self.tile_map.by_rate else []
        figures = [self.sources_by_state[t.state.pk] for t in tiles if t.figure]
        return figures + [t.rate_source for t in rated]

    @property
    def query(self):
        return {"year": self.year, "measure": self.measure}

    @property
    def page_path(self):
        """The metric's page at this map's year and measure."""
        return f"{self.metric.get_absolute_url()}?{urlencode(self.query)}"

    @property
    def rows(self):
        for tile in self.tile_map.tiles:
            figure = tile.figure
            if tile.bin:
                shade = tile.bin.label
            else:
                shade = "No rate" if figure and self.tile_map.by_rate else "No figure"
            yield {
                "year": self.year,
                "metric_key": self.metric.key,
                "metric_label": self.metric.label,
                "state_code": tile.state.code,
                "state_name": tile.state.name,
                "value": formatting.plain_number(figure.value) if figure else "",
                "qualifier": figure.qualifier if figure else "",
                "rate_per_100k": "" if tile.rate is None else str(tile.rate),
                "shade": shade,
                "source": self.sources_by_state.get(tile.state.pk, ""),
            }


def map_picture(metric, rows, states, year, *, populations=None, measure=None):
    """The map of ``metric``'s state figures in ``year``, from ``reader_series`` rows of
    every state; ``populations`` and ``measure`` as ``tilemap.build`` takes them."""
    page = metric_page.build(metric, rows, states)
    year_points = page.state_figures_in(year)
    tile_map = tilemap.build(
        metric,
        tilemap.points_for(metric, year_points),
        states,
        year,
        populations=populations,
        measure=measure,
        id="metric-map",
    )
    sources = {state.pk: point.source for state, point in year_points if point is not None}
    return MapPicture(metric, tile_map, sources)


def map_years(rows):
    """The years of ``reader_series`` rows with a state figure, newest first: those a map
    may show."""
    return sorted({year for _, state_id, year, *_ in rows if state_id is not None}, reverse=True)


@dataclass(frozen=True)
class PictureLinks:
    """Where a chart or map goes as files and as an embed: the addresses of its SVG, PNG
    and CSV, of its embed, and the HTML code that frames it in another page."""

    what: str  # "chart" or "map"
    title: str
    svg: str
    png: str
    csv: str
    embed: str
    height: int  # px: what the frame asks for

    @property
    def code_id(self):
        """The id of the box that holds the embed code: one chart and one map a page."""
        return f"embed-{self.what}-code"

    @property
    def embed_code(self):
        return (
            f'<iframe src="{escape(absolute_url(self.embed))}" title="{escape(self.title)}" '
            f'width="100%" height="{self.height}" loading="lazy"></iframe>'
        )


def _links(what, title, name, key, query, height):
    files = {
        kind: reverse(f"metrics:{name}", kwargs={"key": key, "kind": kind}) + query
        for kind in ("svg", "png", "csv")
    }
    embed = reverse(f"embed:{name}", kwargs={"key": key}) + query
    return PictureLinks(what, title, embed=embed, height=height, **files)


def chart_links(metric, points):
    """The files and the embed of the chart of ``metric``'s ``points``."""
    return _links("chart", chart_title(metric, points), "chart", metric.key, "", 560)


def map_links(tile_map):
    """The files and the embed of a map of a metric's state figures, at its year and
    measure (a link that says which, so it keeps its meaning when a year is added)."""
    query = "?" + urlencode({"year": tile_map.year, "measure": tile_map.measure})
    return _links("map", map_title(tile_map), "map", tile_map.metric.key, query, 900)
