"""What the public pages share: the programs with their metrics, the years with figures,
the states and territories, and the names a download's filters may use (when each year
was published: reader.published). Each is a fixed number of queries, read as the page is
built (in the page cache's snapshot: programs/page_cache.py); a preview reads drafts
too. Each returns plain values (lists, sets, dicts): callers filter in memory.
"""

from django.db.models import Count, Prefetch

from states.models import State

from ..models import Edition, Figure, Metric, Program


def programs(preview, *, notes=True):
    """The reader's programs with their metrics and (unless ``notes`` is false) the
    metrics' dated notes, as a list: three queries at most, whatever their number."""
    metrics = Metric.objects.order_by("position", "key")
    if notes:
        metrics = metrics.prefetch_related("notes")
    visible = Program.objects.visible(preview).defer("created", "updated", "updated_by")
    return list(visible.prefetch_related(Prefetch("metrics", queryset=metrics)))


def years(preview, program=None):
    """The years with figures the reader may see (of ``program`` when given), newest
    first: one query."""
    figures = Figure.objects.visible(preview)
    if program is not None:
        figures = figures.for_program(program)
    return figures.years()


def states():
    """Every state and territory, in name order: one query."""
    return list(State.objects.all())


def years_and_map_years(preview):
    """(the years with figures the reader may see, those of them with a state figure of a
    program's metric: the years a map can show), newest first: one query."""
    return Figure.objects.visible(preview).years_with_state_figures()


def state_figure_counts(preview, year):
    """{metric id: how many states have a figure} of the metrics with a figure for some
    state in ``year`` (reference data too: callers pick their metrics): one query."""
    figures = Figure.objects.visible(preview).for_year(year).for_states().order_by()
    return dict(figures.values("metric_id").annotate(n=Count("pk")).values_list("metric_id", "n"))


def filter_names():
    """What a download's or the API's filters may name: (the published years, the state
    codes, {metric key: program slug} of the metrics with published figures, the slug
    None for reference data such as the population), three queries."""
    published = set(Edition.objects.published().values_list("year", flat=True))
    codes = set(State.objects.values_list("code", flat=True))
    metrics = dict(Metric.objects.in_data().values_list("key", "program__slug"))
    return published, codes, metrics
