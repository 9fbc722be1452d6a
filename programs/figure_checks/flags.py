"""What a check says (a Flag) and what it is told of a figure about to be saved (a
Candidate): the shapes the import preview, the figure form, the Publisher's confirmation
and the year's grid share."""

from dataclasses import dataclass

from .. import formatting


@dataclass(frozen=True)
class Flag:
    kind: str  # "jump", "over-national", "states-over-national", "rate", "breakdown", "no-source"
    metric_id: int
    year: int
    state_id: int | None  # None: a national figure, or the states of a metric together
    message: str  # a whole sentence: the figure, what it was compared with, and why

    @property
    def key(self):
        """(metric id, year, state id): the figure's place in the year's grid."""
        return (self.metric_id, self.year, self.state_id)

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class Candidate:
    """A figure about to be saved: what the checks need of it."""

    metric: object  # a Metric
    year: int
    state: object  # a State, or None for a national figure
    value: object  # a Decimal
    qualifier: str = formatting.EXACT
    source: str = ""
