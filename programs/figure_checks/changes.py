"""A figure against the same metric and place the year before."""

from django.conf import settings

from .flags import Flag


def jumps(figures, years):
    """A figure more than JUMP times, or less than 1/JUMP of, the year before's."""
    factor = settings.FIGURE_CHECK_JUMP
    for (metric_id, year), cells in figures.cells.items():
        before_cells = figures.of(metric_id, year - 1)
        if year not in years or not before_cells:
            continue
        for state_id, cell in cells.items():
            before = before_cells.get(state_id)
            if before is None or not before.value or not cell.value:
                continue
            ratio = cell.value / before.value
            if ratio <= factor and ratio >= 1 / factor:
                continue
            now, then = figures.written(metric_id, cell), figures.written(metric_id, before)
            times = f"{ratio:,.1f} times" if ratio > 1 else f"1/{1 / ratio:,.1f} of"
            flag = Flag(
                "jump", metric_id, year, state_id,
                f"{figures.name(metric_id, year, state_id)}: {now} is {times} {year - 1}'s "
                f"{then} (more than {factor} times, or less than 1/{factor} of, the year "
                "before: a digit typed twice or dropped?).",
            )  # fmt: skip
            yield flag, ((metric_id, year, state_id), (metric_id, year - 1, state_id))
