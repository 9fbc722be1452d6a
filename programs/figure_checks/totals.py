"""Figures against the totals they are part of: a state's count against the nation's
(``Metric.national_total``), the states together against it, and the parts of a
breakdown against their total (``Metric.parent``)."""

from .. import formatting
from .flags import Flag


def over_national(figures, years):
    """A state figure larger than the national figure of its metric's national total."""
    for metric, year, national in _with_national(figures, years):
        total_id = metric.national_total_id
        for state_id, cell in figures.of(metric.pk, year).items():
            # A rounded figure may be a little over; "more than" is at least its value.
            if state_id is None or cell.qualifier == formatting.ROUNDED:
                continue
            if cell.value > national.value:
                flag = Flag(
                    "over-national", metric.pk, year, state_id,
                    f"{figures.name(metric.pk, year, state_id)}: "
                    f"{figures.written(metric.pk, cell)} is more than the whole "
                    f"country's {_compared(figures, total_id, year, national)}, which "
                    "a state's figure is part of: a digit typed twice, or another "
                    "metric's figure?",
                )  # fmt: skip
                yield flag, ((metric.pk, year, state_id), (total_id, year, None))


def states_over_national(figures, years):
    """The states' figures of a metric adding up to more than its national total's."""
    for metric, year, national in _with_national(figures, years):
        total_id = metric.national_total_id
        summed = {
            state_id: cell.value
            for state_id, cell in figures.of(metric.pk, year).items()
            if state_id is not None and cell.qualifier != formatting.ROUNDED
        }
        states = sum(summed.values())
        if states > national.value:
            flag = Flag(
                "states-over-national", metric.pk, year, None,
                f"{metric.label}, {year}: the {len(summed):,} state figures add up to "
                f"{formatting.format_figure(states, metric.unit)}, more than the whole "
                f"country's {_compared(figures, total_id, year, national)}, which they "
                "are part of: a figure too large, or a state counted twice?",
            )  # fmt: skip
            involved = [(metric.pk, year, state_id) for state_id in summed]
            yield flag, (*involved, (total_id, year, None))


def _with_national(figures, years):
    """(metric, year, national figure) for each metric with a national total, in each
    year whose national figure is exact (a "more than" or rounded total is no bound)."""
    for metric in list(figures.metrics.values()):
        if not metric.national_total_id:
            continue
        for year in years:
            national = figures.of(metric.national_total_id, year).get(None)
            if national is not None and national.qualifier == formatting.EXACT:
                yield metric, year, national


def _compared(figures, total_id, year, national):
    """ "910,349 (“Located in a state”, 2023)": the national figure a flag compares with."""
    return f"{figures.written(total_id, national)} (“{figures.metrics[total_id].label}”, {year})"


def breakdowns(figures, years):
    """The parts of a breakdown ("" for a total's only one) that do not add up to their
    exact total: each breakdown on its own, as parts by kind and by place each add up to
    the total. Parts not given are not counted; a part alone is checked too."""
    for total_id, groups in list(figures.parts.items()):
        for year in years:
            for state_id, total in figures.of(total_id, year).items():
                if total.qualifier != formatting.EXACT:
                    continue
                for breakdown, part_ids in sorted(groups.items()):
                    given = [
                        (part_id, cell)
                        for part_id in part_ids
                        if (cell := figures.of(part_id, year).get(state_id)) is not None
                    ]
                    if not given:
                        continue
                    flag = _breakdown_flag(figures, (total_id, year, state_id), breakdown, given)
                    if flag is not None:
                        involved = [(part_id, year, state_id) for part_id, _ in given]
                        yield flag, ((total_id, year, state_id), *involved)


def _breakdown_flag(figures, key, breakdown, given):
    """The flag of a total whose ``given`` parts [(part id, Cell)] in ``breakdown`` do
    not add up to it, or None."""
    total_id, year, state_id = key
    total = figures.of(total_id, year)[state_id]
    parts = sum(cell.value for _, cell in given)
    if parts == total.value:
        return None
    which = f" {breakdown}" if breakdown else ""
    count = f"the {len(given)} parts{which} add" if len(given) > 1 else f"the part{which} adds"
    return Flag(
        "breakdown", total_id, year, state_id,
        f"{figures.name(total_id, year, state_id)}: {count} up to "
        f"{formatting.format_figure(parts, figures.metrics[total_id].unit)}, but the total is "
        f"{figures.written(total_id, total)}; the parts of a total add up to it (is a part "
        "missing, or mistyped?).",
    )  # fmt: skip
