"""The figures a reader may see, fetched in a fixed number of queries.

Every public page, download and PDF reads its figures through these functions, so
what is public is decided in one place (``Figure.objects.visible``).
"""

from ..models import Figure, PendingChange


def reader_figures(preview, *, year, program=None, metric=None, state=None, national=False):
    """The figures a reader sees for a year: two queries at most, whatever the data.

    Published figures, each with its last revision; in a staff preview, drafts too, and
    every pending change in place of the figure it changes, marked (``figure.pending``).
    ``state`` gives a fact sheet's figures (the state's and the national ones);
    ``national`` the national ones only; ``program`` one program's, every place;
    ``metric`` one metric's.
    """
    figures = Figure.objects.visible(preview).for_year(year).for_pages()
    pending = PendingChange.objects.for_year(year).select_related("state")
    if program is not None:
        figures, pending = figures.for_program(program), pending.for_program(program)
    if metric is not None:
        figures, pending = figures.filter(metric=metric), pending.filter(metric=metric)
    if national:
        figures, pending = figures.national(), pending.national()
    elif state is not None:
        figures, pending = figures.for_fact_sheet(state), pending.for_fact_sheet(state)
    figures = list(figures)
    return with_pending(figures, list(pending)) if preview else figures


def reader_series(preview, metrics, *, state=None, national=False, every_state=False, years=None):
    """Every year the reader may see of these metrics' figures (or the years ``years``,
    a (first, last) pair, give), as light tuples for ``reader.trends.series_index``: one
    query. ``state`` gives a fact sheet's places (the state and the nation),
    ``national`` the nation only, ``every_state`` every state. In a staff preview the
    draft years are in the series (pending corrections are not)."""
    figures = Figure.objects.visible(preview)
    if years is not None:
        figures = figures.between_years(*years)
    if national:
        figures = figures.national()
    elif state is not None:
        figures = figures.for_fact_sheet(state)
    elif every_state:
        figures = figures.for_states()
    return list(figures.series_for(metrics))


def reader_state_values(preview, metrics, year):
    """The year's state figures of these metrics as (metric id, state id, value), for
    ranking the states: one query, values only."""
    return list(Figure.objects.visible(preview).state_values_for(metrics, year))


def reader_reported_before(preview, metrics, *, state, year):
    """The ids of those of ``metrics`` the reader may see a figure of for ``state`` in a
    year before ``year``: one query (through the state's index), a row per metric at
    most, whatever the number of years."""
    figures = Figure.objects.visible(preview).for_state(state).filter(year__lt=year)
    rows = figures.filter(metric__in=metrics).order_by().values_list("metric_id", flat=True)
    return set(rows.distinct())


def with_pending(figures, pending):
    """Put each pending change in place of its figure, marked, as staff preview shows it.

    Matched by place, as publishing matches them: a staged new figure that someone added
    meanwhile previews as the change it will be, not as a second figure.
    """
    by_key = {(f.metric_id, f.state_id): f for f in figures}
    for change in pending:
        key = (change.metric_id, change.state_id)
        figure, new = by_key.get(key), change.new_fields()
        if new is None and figure is None:
            continue  # withdrawing a figure already gone: nothing to show
        if figure is None:
            figure = Figure(metric_id=change.metric_id, year=change.year, state=change.state)
            figures.append(figure)
            by_key[key] = figure
        for name, value in (new or {}).items():
            setattr(figure, name, value)
        figure.pending = change  # a withdrawal keeps the published values, struck through
    return figures


def attach(figures, metrics):
    """Index figures by (metric id, state id), pointing each at its already-loaded metric."""
    by_id = {metric.pk: metric for metric in metrics}
    index = {}
    for figure in figures:
        metric = by_id.get(figure.metric_id)
        if metric is not None:
            figure.metric = metric
            index[(figure.metric_id, figure.state_id)] = figure
    return index
