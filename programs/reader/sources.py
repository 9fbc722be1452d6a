"""The sources a page lists: those of the figures it shows, and only those.

A page gathers the titles (``Figure.source``) of what it shows, in memory, from the
lines, tables and series it is about to render (never from everything it fetched: a
fact sheet fetches national figures it hides, and the populations rates are of), then
fetches those titles' addresses and credits in one query (``page_sources``). Each
figure names its own source beside it (the ``source_name`` tag), and the list gives its
address and credit; a figure that names none says so, rather than borrow another's.
"""

from dataclasses import dataclass, field

from django.utils.text import slugify

from ..models import Source


def source_anchor(title):
    """The id of a source in a page's list: "source-" and its title as a slug."""
    return f"source-{slugify(title)}"


@dataclass
class PageSources:
    """The sources of the figures a page shows, by title, with whether some shown figure
    names none; ``screen_only`` the titles only the trend tables name, which paper
    leaves out (print.css), and so its list."""

    sources: list[Source] = field(default_factory=list)
    unsourced: bool = False
    screen_only: set = field(default_factory=set)

    def __bool__(self):
        return bool(self.sources) or self.unsourced

    def __iter__(self):
        return iter(self.sources)

    @property
    def titles(self):
        return [source.title for source in self.sources]


def page_sources(titles, trend_titles=()):
    """``titles`` (one per figure shown, "" for a figure that names no source) and the
    sources of the years trend tables show (``trend_titles``) as the page's list: one
    query, none when no figure names a source."""
    titles, trend_titles = list(titles), list(trend_titles)
    named = [title for title in titles + trend_titles if title]
    return PageSources(
        sources=Source.objects.named(named) if named else [],
        unsourced=not all(titles + trend_titles),
        screen_only={title for title in trend_titles if title} - set(titles),
    )


def figure_titles(figures):
    """The source of each figure given (None, for a figure not there, is left out)."""
    return [figure.source for figure in figures if figure is not None]


def line_titles(lines):
    """The sources of what lines show (``reader.layout.Line``): each figure and its parts'
    figures."""
    titles = []
    for line in lines:
        if line.figure is not None:
            titles.append(line.figure.source)
            titles += figure_titles(part.figure for part in line.parts)
    return titles


def trend_titles(lines):
    """The sources of the years the lines' trend tables write out."""
    trends = [line.trend for line in lines if line.trend is not None and line.trend.chart]
    return [point.source for trend in trends for point in trend.points]


def work_area_lines(work_areas, *, state=True):
    """The lines of work areas (``reader.layout.WorkAreaBlock``): the nation's, and the
    state's unless ``state`` is False."""
    lines = []
    for area in work_areas:
        for block in area.programs:
            lines += block.national + (block.state if state else [])
    return lines


@dataclass
class SeriesTable:
    """A series as a table writes it, newest year first: (year, figure as written, its
    source) rows. The table gives each row's source in a column when they differ;
    otherwise one source says it for all (``source``)."""

    rows: list[tuple[int, str, str]]

    @property
    def by_source(self):
        return len({source for _, _, source in self.rows}) > 1

    @property
    def source(self):
        """The source every row shares ("" when they differ or name none)."""
        return "" if not self.rows or self.by_source else self.rows[0][2]

    @property
    def titles(self):
        return [source for _, _, source in self.rows]


def population_titles(populations, states):
    """The sources of the populations the rates of ``states`` are of (``populations``
    from ``rates.reader_populations``; none from a page that fetched none)."""
    sources = getattr(populations, "sources", {})
    return [sources[state.pk] for state in states if state.pk in sources]


def map_titles(tile_map):
    """The sources of the figures a tile map shades and, where it gives their rates, of
    the populations they are of. None for a map drawn from a series, whose figures the
    page's tables already name."""
    if tile_map is None:
        return []
    figures = [tile.figure for tile in tile_map.tiles if hasattr(tile.figure, "source")]
    titles = [figure.source for figure in figures]
    return titles + [tile.rate_source for tile in tile_map.tiles if tile.rate is not None]
