"""What a reader takes away: published figures as rows, filtered by year, state, program
and metric. The CSV, JSON and XLSX downloads and the API's figures all read them here.

A filter takes several values, comma-separated or repeated (``?year=2022,2023&state=MN``
or ``?state=MN&state=WI``). ``FigureFilters.from_query`` reads them (a malformed value is
a ``FilterError`` naming its filter); ``check`` looks the values up in three queries,
whatever they are (an unknown one is a ``FilterError`` too); ``figures`` is then the one
query of the rows, which a download streams with ``.iterator()``. A row's rate per
100,000 residents is of its state's population of its year (reader.rates), read in one
more query whatever the number of rows (``populations``).

Reference data is published as figures too: the states' population (metric
``population``), which no program publishes, is in the rows with an empty program
(sorted after the programs' figures of its year), so that a rate can be checked
against the population it is of.
"""

from dataclasses import dataclass

from django.db.models import F, Q

from states.naming import StateCodeError, parse_state_codes

from ..formatting import data_date, data_number, plain_number
from ..models import Figure
from ..years import YearError, parse_year
from . import catalog, rates

# The columns of every figures download, in order: stable names, documented on /data/.
COLUMNS = [
    "year",
    "state_code",
    "state_name",
    "program",
    "metric_key",
    "metric_label",
    "unit",
    "period",
    "value",
    "qualifier",
    "source",
    "note",
    "revised",
    "rate_per_100k",  # last, so that the earlier columns keep their places
]

MAX_VALUES = 100  # values in one filter: more than there are states, programs or years
MAX_LENGTH = 100  # characters in one value


class FilterError(ValueError):
    """A filter the reader gave cannot be used: ``name`` is the filter, ``message`` says
    what is wrong with it, in words for the reader."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def _given(query, name):
    """What the query string gives for ``name``: a list of texts, each perhaps a list."""
    raw = query.getlist(name) if hasattr(query, "getlist") else query.get(name, [])
    return [raw] if isinstance(raw, str) else raw


def _at_most(name, values):
    if len(values) > MAX_VALUES:
        raise FilterError(name, f"at most {MAX_VALUES} values can be asked for at once.")
    return values


def _values(query, name):
    """The values of filter ``name``: repeated parameters and commas both separate them;
    blanks are dropped; duplicates kept once, in the order given."""
    values = []
    for part in ",".join(_given(query, name)).split(","):
        value = part.strip()
        if not value:
            continue
        if len(value) > MAX_LENGTH or not value.isprintable():
            raise FilterError(name, f"“{value[:20]}…” is not a {name} this site knows.")
        if value not in values:
            values.append(value)
    return _at_most(name, values)


@dataclass(frozen=True)
class FigureFilters:
    years: tuple = ()  # ints
    states: tuple = ()  # USPS codes, upper case
    programs: tuple = ()  # program slugs
    metrics: tuple = ()  # metric keys

    @classmethod
    def from_query(cls, query):
        """The filters of a request's query string (a QueryDict, or a dict of lists)."""
        years = []
        for value in _values(query, "year"):
            try:
                years.append(parse_year(value))
            except YearError as error:
                raise FilterError("year", f"“{value}” is not a year. {error}") from None
        try:
            states = _at_most("state", parse_state_codes(_given(query, "state")))
        except StateCodeError as error:
            raise FilterError("state", str(error)) from None
        return cls(
            years=tuple(years),
            states=tuple(states),
            programs=tuple(_values(query, "program")),
            metrics=tuple(_values(query, "metric")),
        )

    def check(self):
        """Each value names something published: three queries, whatever the values."""
        published_years, codes, metrics = catalog.filter_names()
        programs = set(metrics.values())
        for name, given, known in (
            ("year", self.years, published_years),
            ("state", self.states, codes),
            ("program", self.programs, programs),
            ("metric", self.metrics, metrics),
        ):
            unknown = [str(value) for value in given if value not in known]
            if unknown:
                raise FilterError(name, f"no published figures for {', '.join(unknown)}.")
        return self

    def revised_figures(self):
        """The figures these filters select but for the years, as revision notes name them
        (reader.published.last_changed): a download's citation is dated by the last
        revision of its own figures."""
        shown = Q()
        if self.states:
            shown &= Q(state__code__in=self.states)
        if self.programs:
            shown &= Q(metric__program__slug__in=self.programs)
        if self.metrics:
            shown &= Q(metric__key__in=self.metrics)
        return shown

    @property
    def query(self):
        """The filters as a query string's parameters (for links and pagination)."""
        pairs = {
            "year": ",".join(str(year) for year in self.years),
            "state": ",".join(self.states),
            "program": ",".join(self.programs),
            "metric": ",".join(self.metrics),
        }
        return {name: value for name, value in pairs.items() if value}


# What row() reads, and nothing more (no audit columns, no program or metric text).
ROW_FIELDS = (
    "year", "value", "qualifier", "source", "note",
    "metric__key", "metric__label", "metric__scope", "metric__unit", "metric__period",
    "metric__program__slug", "state__code", "state__name", "revision__published_at",
)  # fmt: skip


def figures(filters=FigureFilters()):
    """The published figures the filters ask for, with what their rows need: one query,
    in a stable order (year, program, metric, then the nation before the states; the
    reference data, which has no program, after the programs' figures)."""
    rows = (
        Figure.objects.published()
        .select_related("metric__program", "state", "revision")
        .only(*ROW_FIELDS)
    )
    if filters.years:
        rows = rows.filter(year__in=filters.years)
    if filters.states:
        rows = rows.filter(state__code__in=filters.states)
    if filters.programs:
        rows = rows.filter(metric__program__slug__in=filters.programs)
    if filters.metrics:
        rows = rows.filter(metric__key__in=filters.metrics)
    return rows.order_by(
        "year",
        F("metric__program__position").asc(nulls_last=True),
        F("metric__program__slug").asc(nulls_last=True),
        "metric__position",
        "metric__key",
        "state__name",
    )


def populations(filters=FigureFilters()):
    """The populations the rows' rates are of, {year: {state id: population}}: those of
    the filters' years (of every year without one), published: one query."""
    return rates.populations_by_year(False, filters.years or None)


def row(figure, populations):
    """A figure as the download's row: a dict of ``COLUMNS``, each value as text. A
    national figure has an empty state, reference data an empty program; ``revised``
    is the date of its last published revision (the site's own date, as on the pages:
    "2026-12-06" for a correction published at 23:30 in New York), or empty;
    ``rate_per_100k`` the figure per 100,000 residents ("181.4", ``rates.figure_rate``
    of ``populations``), or empty."""
    metric, state = figure.metric, figure.state
    rate = rates.figure_rate(metric, figure, populations.get(figure.year, {}))
    return {
        "year": figure.year,
        "state_code": state.code if state else "",
        "state_name": state.name if state else "",
        "program": metric.program.slug if metric.program else "",
        "metric_key": metric.key,
        "metric_label": metric.label,
        "unit": metric.unit,
        "period": metric.period,
        "value": plain_number(figure.value),
        "qualifier": figure.qualifier,
        "source": figure.source,
        "note": figure.note,
        "revised": data_date(figure.revision.published_at) if figure.revision else "",
        "rate_per_100k": "" if rate is None else str(rate),
    }


def typed_row(figure, populations):
    """``row`` with its numbers as numbers, for JSON and a spreadsheet: the value (8611,
    91.5), and the rate (181.4, or None where it has none)."""
    values = row(figure, populations)
    values["value"] = data_number(figure.value)
    rate = values["rate_per_100k"]
    values["rate_per_100k"] = float(rate) if rate else None
    return values
