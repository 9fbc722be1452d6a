"""What the home page leads with, and its national figures.

The home page leads with two pictures of the data, each linked to its metric's page:
the national series with the most published years (``featured_series``) and a map of the
states (``views.maps.home_map``, by ``tilemap.default_metric``: a headline state metric
with figures for the most states, shaded per 100,000 residents where it has a rate).
Staff choose what is featured through each metric's "headline figure" box (only headline
metrics are featured) and its position (the first wins a tie). On NCMEC's published
record that is the CyberTipline's reports received 1998–2023 and its reports by state in
2023. Then the national headline figures of the latest year (``with_national_figures``).
"""

from dataclasses import dataclass

from .. import formatting
from . import charts, pictures
from .figures import reader_series
from .layout import WorkAreaBlock
from .trends import series_index, series_table


@dataclass
class FeaturedSeries:
    """A national metric's every published year, as the home page's chart and table."""

    metric: object
    points: list  # charts.Point, oldest first

    @property
    def years_label(self):
        return charts.years_label(self.points)

    @property
    def heading(self):
        """ "CyberTipline: reports received, United States, 1998–2023": the title its
        chart has as a file (reader.pictures)."""
        return pictures.chart_title(self.metric, self.points)

    @property
    def chart_id(self):
        return f"home-chart-{self.metric.key}"

    @property
    def chart(self):
        return charts.line_chart(
            self.points, chart_id=self.chart_id, title=self.heading, unit=self.metric.unit
        )

    @property
    def links(self):
        """The chart's files and embed: its metric's chart (reader.pictures)."""
        return pictures.chart_links(self.metric, self.points)

    @property
    def span(self):
        """ "From 4,560 in 1998 to 36.2 million in 2023": the first and last years, as a
        sentence writes them (the table gives them exact)."""
        first, last = self.points[0], self.points[-1]

        def written(point):
            return formatting.format_for_sentence(point.value, self.metric.unit, point.qualifier)

        return f"From {written(first)} in {first.year} to {written(last)} in {last.year}."

    @property
    def table(self):
        """The series as a table writes it, newest year first, with each year's source."""
        return series_table(self.points, self.metric.unit)


def featured_series(preview, programs):
    """The national series the home page leads with: of the programs' headline national
    metrics, the one with the most years of figures (the first on a tie); None when none
    has two years. One query (none without a headline national metric)."""
    metrics = [
        metric
        for program in programs
        for metric in program.metrics.all()
        if metric.is_national and metric.headline
    ]
    if not metrics:
        return None
    index = series_index(reader_series(preview, metrics, national=True))
    metric = max(metrics, key=lambda m: len(index.get((m.pk, None), [])))  # the first max
    points = index.get((metric.pk, None), [])
    if len(points) < 2:
        return None
    return FeaturedSeries(metric, points)


def with_national_figures(work_areas):
    """(the work areas cut to the programs with a national figure for the year, the
    programs left out): a heading never stands alone over nothing, and the page can
    name the programs that have no national figure that year."""
    shown, left_out = [], []
    for area in work_areas:
        programs = []
        for block in area.programs:
            if any(line.figure for line in block.national):
                programs.append(block)
            else:
                left_out.append(block.program)
        if programs:
            shown.append(WorkAreaBlock(area.work_area, programs))
    return shown, left_out
