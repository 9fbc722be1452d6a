"""A figure without a source among figures of its metric that give one."""

from .flags import Flag


def no_source(figures, years):
    """A figure whose source is empty when other figures of its metric, of any year,
    give one: readers see where each figure comes from."""
    unsourced = [
        (metric_id, year, state_id)
        for (metric_id, year), cells in figures.cells.items()
        if year in years
        for state_id, cell in cells.items()
        if not cell.source
    ]
    if not unsourced:  # the usual case: nothing more to count
        return
    metric_ids = {metric_id for metric_id, _, _ in unsourced}
    sourced = {m: count for m, (count, _) in figures.sourced.items() if m in metric_ids}
    examples = {m: example for m, (_, example) in figures.sourced.items() if m in metric_ids}
    for (metric_id, year), cells in figures.cells.items():
        if metric_id not in metric_ids:
            continue
        given = [cell.source for cell in cells.values() if cell.source]
        sourced[metric_id] = sourced.get(metric_id, 0) + len(given)
        if given and (year in years or metric_id not in examples):  # one of its year, if any
            examples[metric_id] = given[0]
    for metric_id, year, state_id in unsourced:
        others = sourced.get(metric_id, 0)
        if not others:
            continue
        flag = Flag(
            "no-source", metric_id, year, state_id,
            f"{figures.name(metric_id, year, state_id)}: no source is given, while "
            f"{others:,} other figure{'s' if others > 1 else ''} of this metric "
            f"give{'' if others > 1 else 's'} one (such as “{examples[metric_id]}”); "
            "readers see where each figure comes from.",
        )  # fmt: skip
        yield flag, ((metric_id, year, state_id),)
