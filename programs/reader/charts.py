"""Small SVG line charts of a metric's years, written on the server.

Pure Python and plain strings: no library, no script, no random id, no timestamp, so a
chart is the same bytes for the same figures (stable ETags) and holds under a strict
Content-Security-Policy. Each chart is ``<svg role="img">`` named by its ``<title>`` and
``<desc>``; the desc states the first, last, highest and lowest values with their years,
so the chart says in words what it draws. Values are never negative (the database
refuses them), so the vertical scale always starts at zero.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .. import formatting


@dataclass(frozen=True)
class Point:
    """One year of a series: the value, how the source gives it, and the source."""

    year: int
    value: Decimal
    qualifier: str = formatting.EXACT
    source: str = field(default="", compare=False)  # the figure's ``source``, "" for none


def written(point, unit):
    return formatting.format_figure(point.value, unit, point.qualifier)


def _at(points, value):
    return formatting.word_list([p.year for p in points if p.value == value])


def summary(points, unit):
    """The text alternative: "First: 7,407 in 2014. Last: 8,611 in 2022. Highest: …"."""
    if not points:
        return "No figures."
    first, last = points[0], points[-1]
    if len(points) == 1:
        return f"One year: {written(first, unit)} in {first.year}."
    high = max(points, key=lambda p: p.value)
    low = min(points, key=lambda p: p.value)
    return (
        f"First: {written(first, unit)} in {first.year}. "
        f"Last: {written(last, unit)} in {last.year}. "
        f"Highest: {written(high, unit)} in {_at(points, high.value)}. "
        f"Lowest: {written(low, unit)} in {_at(points, low.value)}."
    )


def years_label(points):
    if not points:
        return ""
    if len(points) == 1:
        return str(points[0].year)
    return f"{points[0].year}–{points[-1].year}"


def _num(x):
    """A coordinate with one decimal, without a trailing ".0" (shorter, same bytes each time)."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_ceiling(value):
    """A round top for the vertical scale and its step: 8,611 → (10,000, 2,500)."""
    if value <= 0:
        return 1, 1
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 4, 5, 10):
        step = factor * magnitude / 4
        if step * 4 >= value:
            break
    if step >= 1:
        step = int(step) if float(step).is_integer() else step
    return step * 4, step


class _Scale:
    """Years along x, values up y from zero, inside a box of the given margins."""

    def __init__(self, points, *, width, height, left, right, top, bottom, top_value=None):
        self.years = (points[0].year, points[-1].year)
        self.top_value = top_value or max(float(p.value) for p in points) or 1.0
        self.x0, self.x1 = left, width - right
        self.y0, self.y1 = height - bottom, top

    def x(self, year):
        first, last = self.years
        if first == last:
            return (self.x0 + self.x1) / 2
        return self.x0 + (year - first) / (last - first) * (self.x1 - self.x0)

    def y(self, value):
        return self.y0 - float(value) / self.top_value * (self.y0 - self.y1)

    def polyline(self, points):
        return " ".join(f"{_num(self.x(p.year))},{_num(self.y(p.value))}" for p in points)


def _svg(*, chart_id, css, width, height, title, desc, body):
    return format_html(
        '<svg class="{css}" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        css=css,
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=desc,
        body=body,
    )


# A sparkline's strokes and fills as presentation attributes, the same as charts.css
# gives them (which overrides them on screen): a PDF (WeasyPrint draws an inline SVG apart
# from the page's stylesheets) would otherwise draw the line without a stroke, unseen.
SPARK_LINE = (
    'stroke="currentColor" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"'
)
SPARK_DOT = 'fill="currentColor"'
SPARK_CURRENT_DOT = 'fill="#fff" stroke="currentColor" stroke-width="2"'
SPARK_AXIS = 'stroke="#767676" stroke-width="1"'


def _dots(scale, points, current_year, radius):
    marks = []
    for point in points:
        if point is points[-1] or point.year == current_year:
            current = point.year == current_year
            css = "chart-dot chart-dot--current" if current else "chart-dot"
            marks.append(
                f'<circle class="{css}" cx="{_num(scale.x(point.year))}" '
                f'cy="{_num(scale.y(point.value))}" r="{radius}" '
                f"{SPARK_CURRENT_DOT if current else SPARK_DOT}/>"
            )
    return "".join(marks)


def sparkline(points, *, chart_id, title, unit, current_year=None, width=120, height=32):
    """A small chart of ``points`` (by year, oldest first): a line, and a dot on the last
    year and on ``current_year``, the page's year. ``chart_id`` must be unique on the page
    (derive it from the metric's key and the place)."""
    points = sorted(points, key=lambda p: p.year)
    if not points:
        return ""
    scale = _Scale(points, width=width, height=height, left=4, right=4, top=4, bottom=4)
    body = mark_safe(  # numbers and fixed class names only: nothing to escape
        f'<line class="chart-axis" x1="{scale.x0}" y1="{scale.y0}" x2="{scale.x1}" '
        f'y2="{scale.y0}" {SPARK_AXIS}/>'
        f'<polyline class="chart-line" fill="none" points="{scale.polyline(points)}" '
        f"{SPARK_LINE}/>" + _dots(scale, points, current_year, 2.5)
    )
    return _svg(
        chart_id=chart_id,
        css="chart chart--spark",
        width=width,
        height=height,
        title=title,
        desc=summary(points, unit),
        body=body,
    )


# The years under a larger chart are written at 14 px, and at 20 px on a phone
# (charts.css says the same), in units of the chart's own box, so whatever the width it
# is drawn at. A year is four digits, each at most 0.64 em wide (DejaVu Sans, the widest
# of the fonts a reader's system may draw them in); two years stay half an em apart.
YEAR_SIZE = 14
PHONE_YEAR_SIZE = 20
DIGIT_EM = 0.64
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)


def year_width(size):
    """The widest a year is drawn at a font size of ``size``."""
    return 4 * DIGIT_EM * size


def _year_spacing(size):
    return year_width(size) + size / 2


def year_ticks(first, last, plot_width):
    """The years written under a larger chart whose years ``first`` to ``last`` span
    ``plot_width``: [(year, minor)], oldest first. Counted back from the last year at an
    even step, the smallest of ``YEAR_STEPS`` at which no two years run together; a
    phone, where years are larger, leaves out the ``minor`` ones, keeping a multiple of
    that step, so its years are evenly spaced too."""
    if last <= first:
        return [(last, False)]
    per_year = plot_width / (last - first)
    step = next(
        (s for s in YEAR_STEPS if s * per_year >= _year_spacing(YEAR_SIZE)), YEAR_STEPS[-1]
    )
    phone = step
    while phone * per_year < _year_spacing(PHONE_YEAR_SIZE):
        phone += step
    years = reversed(range(last, first - 1, -step))
    return [(year, (last - year) % phone != 0) for year in years]


def _tick(value, unit):
    """A tick of the scale: "10,000", "40 million", "50%"."""
    return formatting.format_figure(Decimal(str(value)), unit, formatting.ROUNDED)


# What a larger chart looks like without the site's stylesheet (a download, a PDF), as
# presentation attributes, which charts.css overrides on a page (its colours are
# site.css's --accent, --ink and --rule).
ACCENT = "#00539b"
INK = "#1b1b1b"
RULE = "#d6d6d6"
LINE = (
    f'fill="none" stroke="{ACCENT}" stroke-width="2" stroke-linejoin="round" '
    'stroke-linecap="round"'
)
LABEL = f'fill="{INK}" font-size="{YEAR_SIZE}"'


def _dot(scale, point, current_year):
    if point.year == current_year:
        look = (
            f'class="chart-dot chart-dot--current" fill="#ffffff" stroke="{ACCENT}" '
            'stroke-width="2"'
        )
    else:
        look = f'class="chart-dot" fill="{ACCENT}"'
    return (
        f'<circle {look} cx="{_num(scale.x(point.year))}" cy="{_num(scale.y(point.value))}" '
        f'r="3.5"/>'
    )


def line_chart(points, *, chart_id, title, unit, current_year=None, width=480, height=240):
    """A larger chart for a metric's page: the line over a zero-based scale with round
    ticks written at the left, and years written underneath (``year_ticks``), each
    centred under its year: the margins hold half a year at a phone's size."""
    points = sorted(points, key=lambda p: p.year)
    if not points:
        return ""
    top, step = nice_ceiling(max(float(p.value) for p in points))
    half_year = math.ceil(year_width(PHONE_YEAR_SIZE) / 2) + 2
    # Room for the ticks at a phone's larger size, and for half the first year.
    left = max(12 + 12 * len(_tick(top, unit)), half_year)
    scale = _Scale(
        points,
        width=width,
        height=height,
        left=left,
        right=half_year,
        top=12,
        bottom=36,
        top_value=top,
    )
    parts = []
    tick, ticks = 0, []
    while tick <= top + 1e-9:
        ticks.append(tick)
        tick += step
    for tick in ticks:
        y = _num(scale.y(tick))
        parts.append(
            f'<line class="chart-grid" stroke="{RULE}" x1="{scale.x0}" y1="{y}" '
            f'x2="{scale.x1}" y2="{y}"/>'
            f'<text class="chart-label" {LABEL} x="{scale.x0 - 6}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle">'
            f"{escape(_tick(tick, unit))}</text>"
        )
    first, last = points[0].year, points[-1].year
    for year, minor in year_ticks(first, last, scale.x1 - scale.x0):
        parts.append(
            f'<text class="chart-label{" chart-label--minor" if minor else ""}" {LABEL} '
            f'x="{_num(scale.x(year))}" y="{height - 8}" text-anchor="middle">{year}</text>'
        )
    parts.append(f'<polyline class="chart-line" {LINE} points="{scale.polyline(points)}"/>')
    parts.extend(_dot(scale, p, current_year) for p in points)
    return _svg(
        chart_id=chart_id,
        css="chart chart--large",
        width=width,
        height=height,
        title=title,
        desc=summary(points, unit),
        body=mark_safe("".join(parts)),  # numbers, years and escaped figures only
    )
