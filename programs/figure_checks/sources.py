"""A figure without a source among figures of its metric that give one."""

from collections import Counter

from .flags import Flag


def no_source(figures, years):
    """A figure whose source is empty when other figures of its metric, of any year,
    give one: readers see where each figure comes from."""
    sourced = Counter({metric_id: count for metric_id, (count, _) in figures.sourced.items()})
    examples = {metric_id: example for metric_id, (_, example) in figures.sourced.items()}
    for (metric_id, year), cells in figures.cells.items():
        for cell in cells.values():
            if cell.source:
                sourced[metric_id] += 1
                if year in years or metric_id not in examples:  # one of its year, if any
                    examples[metric_id] = cell.source
    for (metric_id, year), cells in list(figures.cells.items()):
        if year not in years or not sourced[metric_id]:
            continue
        for state_id, cell in cells.items():
            if cell.source:
                continue
            others = sourced[metric_id]
            flag = Flag(
                "no-source", metric_id, year, state_id,
                f"{figures.name(metric_id, year, state_id)}: no source is given, while "
                f"{others:,} other figure{'s' if others > 1 else ''} of this metric "
                f"give{'' if others > 1 else 's'} one (such as “{examples[metric_id]}”); "
                "readers see where each figure comes from.",
            )  # fmt: skip
            yield flag, ((metric_id, year, state_id),)
