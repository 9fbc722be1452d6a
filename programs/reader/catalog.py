"""What the public pages share, read once per publication version.

The programs with their metrics and notes, the years with published figures, the states
and territories, the dates of each published year, and the names a download's filters
may use change only when a publication does (``Publication.bump``), so out of a staff
preview they come from ``versioned.once_per_version``: a page the page cache does not
answer then queries only its own figures. In a preview they are read afresh each time
(drafts are never stored). Each returns plain values (lists, sets, dicts), not
querysets, but ``reader_programs``: callers filter in memory.
"""

from django.db.models import Prefetch

from states.models import State

from ..models import Edition, Figure, Metric, Program
from .published import year_publications
from .versioned import once_per_version, published_once


def reader_programs(preview, *, notes=True):
    """The reader's programs with their metrics and (unless ``notes`` is false) the
    metrics' dated notes, as a queryset: three queries at most, whatever their number."""
    metrics = Metric.objects.order_by("position", "key")
    if notes:
        metrics = metrics.prefetch_related("notes")
    programs = Program.objects.visible(preview).defer("created", "updated", "updated_by")
    return programs.prefetch_related(Prefetch("metrics", queryset=metrics))


def programs(preview, *, notes=True):
    """``reader_programs`` as a list; out of preview, once per version."""
    return published_once(
        preview,
        f"programs:{'notes' if notes else 'bare'}",
        lambda visible: list(reader_programs(visible, notes=notes)),
    )


def years(preview, program=None):
    """The years with figures the reader may see (of ``program`` when given), newest
    first; out of preview, once per version."""

    def read(visible):
        figures = Figure.objects.visible(visible)
        if program is not None:
            figures = figures.for_program(program)
        return figures.years()

    return published_once(preview, f"years:{program.pk if program else 'all'}", read)


def states():
    """Every state and territory, in name order, once per version (a state's edit makes
    a new version: ``programs.apps``)."""
    return once_per_version("states", lambda: list(State.objects.all()))


def publications():
    """``published.year_publications()``, once per version: {year: YearPublication}."""
    return once_per_version("publications", year_publications)


def year_publication(year):
    """The dates of one published year's figures (None for no year, or a draft year)."""
    return publications().get(year) if year is not None else None


def state_metrics_with_figures(preview, year):
    """The ids of the metrics with a figure for some state in ``year``; out of preview,
    once per version and year."""

    def read(visible):
        figures = Figure.objects.visible(visible).for_year(year).for_states().order_by()
        return set(figures.values_list("metric_id", flat=True).distinct())

    return published_once(preview, f"state-metrics:{year}", read)


def filter_names():
    """What a download's or the API's filters may name, once per version: (the published
    years, the state codes, {metric key: program slug} of the published metrics)."""

    def read():
        published = set(Edition.objects.published().values_list("year", flat=True))
        codes = set(State.objects.values_list("code", flat=True))
        metrics = dict(Metric.objects.visible().values_list("key", "program__slug"))
        return published, codes, metrics

    return once_per_version("filter-names", read)
