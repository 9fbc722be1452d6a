"""A chart or map (reader.pictures) as a standalone SVG file, with its credit written in.

The file carries its title above the picture and, below it, the sources of its figures
(with the credit a compiled table asks for) and the citation (reader.citation), as text
in the picture itself, so a copy pasted into a slide or a report keeps its credit. It
needs nothing from the site: no stylesheet (colours, sizes and the font are presentation
attributes; a style attribute or element would also be refused by the policy the file
is served with), no script, no link, no image. Every text from the database is escaped.
The PNG (reader.png) is this file rendered.

SVG has no line breaks: text is wrapped here, at a width per character generous enough
for the widest font a reader's system may draw it in.
"""

import textwrap

from django.utils.html import escape

from states.tiles import COLUMNS

from . import charts, tilemap

FONT = "'Source Sans 3', system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK = charts.INK
MUTED = "#555555"  # site.css --muted: 7.5:1 on white
PAD = 24
TITLE_SIZE = 26
TEXT_SIZE = 15
CHAR_EM = 0.56  # the average width of a character of prose, in em, at most
BOLD_EM = 0.6
LINE_HEIGHT = 1.3

CHART_WIDTH = 800  # the file's width; the chart inside is scaled up from charts.py's 480
MAP_WIDTH = 1040
TILE = 46  # a tile of the map, and the gap after it
TILE_GAP = 4


def wrapped(text, size, width, em=CHAR_EM):
    """``text`` as lines that fit ``width`` at font size ``size``; a word longer than a
    line (an address) gets a line of its own."""
    per_line = max(12, int(width / (size * em)))
    return textwrap.wrap(text, per_line, break_long_words=False, break_on_hyphens=False)


class Canvas:
    """Text and shapes laid out top to bottom, ``y`` the top of what comes next."""

    def __init__(self, width):
        self.width = width
        self.y = PAD
        self.parts = []

    def text(self, text, *, size=TEXT_SIZE, fill=INK, bold=False, x=PAD, width=None):
        width = width if width is not None else self.width - x - PAD
        for line in wrapped(text, size, width, BOLD_EM if bold else CHAR_EM):
            self.y += size
            weight = ' font-weight="700"' if bold else ""
            self.parts.append(
                f'<text x="{x}" y="{self.y}" font-size="{size}" fill="{fill}"{weight}>'
                f"{escape(line)}</text>"
            )
            self.y += round(size * (LINE_HEIGHT - 1))
        return self

    def space(self, height):
        self.y += height
        return self

    def document(self, *, title, desc):
        height = self.y + PAD
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" xml:lang="en" role="img" '
            f'width="{self.width}" height="{height}" viewBox="0 0 {self.width} {height}" '
            f'font-family="{FONT}">'
            f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
            f'<rect width="{self.width}" height="{height}" fill="#ffffff"/>'
            + "".join(self.parts)
            + "</svg>\n"
        )


def _credit(canvas, sources, citation):
    """The sources (``reader.sources.PageSources``) and the citation, at the foot."""
    canvas.space(8)
    for source in sources:
        credit = f" {source.credit}." if source.credit else ""
        canvas.text(f"Source: {source.title}.{credit}", fill=MUTED)
    if sources.unsourced:
        canvas.text("Some figures name no source.", fill=MUTED)
    canvas.space(4).text(f"How to cite: {citation}", fill=MUTED)


def chart_document(picture, *, sources, citation):
    """``picture`` (a ``ChartPicture``) as an SVG file: its title, the chart as the page
    draws it, scaled to the file's width, then its sources and citation."""
    canvas = Canvas(CHART_WIDTH).text(picture.title, size=TITLE_SIZE, bold=True).space(12)
    scale = (CHART_WIDTH - 2 * PAD) / 480
    canvas.parts.append(
        f'<g transform="translate({PAD} {canvas.y}) scale({scale:.4f})">{picture.svg}</g>'
    )
    canvas.space(round(240 * scale))
    _credit(canvas, sources, citation)
    return canvas.document(title=picture.title, desc=picture.summary)


def _shades(css_class):
    """(fill, text, outline or None) of a legend class (tilemap.PALETTE) or "tile-none"."""
    if css_class == "tile-none":
        return tilemap.NO_FIGURE
    background, text = tilemap.PALETTE[int(css_class.rsplit("-", 1)[1]) - 1]
    return background, text, None


def _square(x, y, size, css_class):
    fill, _, outline = _shades(css_class)
    if outline is None:
        return f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{fill}"/>'
    return (
        f'<rect x="{x + 1}" y="{y + 1}" width="{size - 2}" height="{size - 2}" fill="{fill}" '
        f'stroke="{outline}" stroke-width="2" stroke-dasharray="5 3"/>'
    )


def _grid(top, tiles):
    parts = []
    for tile in tiles:
        x = PAD + tile.column * (TILE + TILE_GAP)
        y = top + tile.row * (TILE + TILE_GAP)
        parts.append(_square(x, y, TILE, tile.shade_class))
        parts.append(
            f'<text x="{x + TILE / 2:g}" y="{y + TILE / 2 + 5:g}" text-anchor="middle" '
            f'font-size="15" font-weight="700" fill="{_shades(tile.shade_class)[1]}">'
            f"{escape(tile.code)}</text>"
        )
    return parts


def _places(count):
    return f"{count} state{'' if count == 1 else 's'} or territor{'y' if count == 1 else 'ies'}"


def _legend(canvas, tile_map, x):
    """The legend beside the grid: what the shades say, each class with its count."""
    width = canvas.width - x - PAD
    canvas.text(f"{tile_map.shown}, {tile_map.year}", bold=True, x=x, width=width).space(4)
    classes = [(b.css_class, b.label, b.count) for b in tile_map.bins]
    classes.append(("tile-none", "No figure", tile_map.no_figure_count))
    if tile_map.no_rate_count:
        classes.append(("tile-none", "A count but no rate", tile_map.no_rate_count))
    for css_class, label, count in classes:
        canvas.parts.append(_square(x, canvas.y + 2, 20, css_class))
        canvas.text(f"{label} ({_places(count)})", x=x + 30, width=width - 30).space(6)
    if tile_map.by_rate:
        canvas.space(4).text(
            f"Each state's count for every 100,000 of its residents in {tile_map.year}.",
            fill=MUTED,
            x=x,
            width=width,
        )


def map_document(picture, *, sources, citation):
    """``picture`` (a ``MapPicture``) as an SVG file: its title, the tile grid with the
    legend beside it, then its sources and citation."""
    tile_map = picture.tile_map
    canvas = Canvas(MAP_WIDTH).text(picture.title, size=TITLE_SIZE, bold=True).space(12)
    top = canvas.y
    canvas.parts += _grid(top, tile_map.tiles)
    grid_bottom = top + max(t.row for t in tile_map.tiles) * (TILE + TILE_GAP) + TILE
    legend_x = PAD + COLUMNS * (TILE + TILE_GAP) + 24
    _legend(canvas, tile_map, legend_x)
    canvas.y = max(canvas.y, grid_bottom) + 8
    _credit(canvas, sources, citation)
    return canvas.document(title=picture.title, desc=picture.summary)
