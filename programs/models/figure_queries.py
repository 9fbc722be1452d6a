"""How figures are asked for: by place and year, as readers may see them, their years
(probed from the editions, so the cost does not grow with the figures), light series for
trends and ranks. The model is figures.py; the checks staff see before publishing
(breakdowns that do not add up among them) are programs/figure_checks/."""

from django.db import models
from django.db.models import Q

from .editions import Edition


class PlaceYearQuerySet(models.QuerySet):
    """Verbs shared by figures and the changes staged to them: both have a metric, a year
    and a place (a state, or the nation when the state is blank)."""

    def for_year(self, year):
        return self.filter(year=year)

    def for_state(self, state):
        return self.filter(state=state)

    def between_years(self, first, last):
        """The figures of ``first`` to ``last``, both included."""
        return self.filter(year__gte=first, year__lte=last)

    def for_fact_sheet(self, state):
        """A state's figures with the national ones that give them context."""
        return self.filter(Q(state=state) | Q(state__isnull=True)).select_related("state")

    def national(self):
        return self.filter(state__isnull=True)

    def for_states(self):
        return self.filter(state__isnull=False)

    def for_program(self, program):
        return self.filter(metric__program=program)


class FigureQuerySet(PlaceYearQuerySet):
    def published(self):
        """Figures the public may see: of a published program, in a published edition."""
        return self.filter(
            Q(metric__program__is_published=True) | Q(metric__program__isnull=True),
            year__in=Edition.objects.published().values("year"),
        )

    def visible(self, preview=False):
        """What a reader sees: published figures, or every figure in a staff preview."""
        return self if preview else self.published()

    def with_related(self):
        return self.select_related("metric__program", "state")

    def for_pages(self):
        """What a page shows of each figure, with its place and its revision's date, in
        no order (pages index them): no audit columns, and no ordering that joins the
        metrics and programs."""
        return (
            self.select_related("revision", "state")
            .only(
                "metric",
                "year",
                "state",
                "value",
                "qualifier",
                "source",
                "note",
                "revision__published_at",
            )  # fmt: skip
            .order_by()
        )

    def _year_probe(self, **place):
        """One of these figures in the edition's year (and ``place``), or NULL: a scalar
        subquery with LIMIT 1, which PostgreSQL runs as an index probe per edition
        (where an EXISTS may become a join over every figure). Ordered by the second
        column of the (year, state) index, so that the planner reads that index rather
        than scan the table hoping to meet the year early."""
        probe = self.filter(year=models.OuterRef("year"), **place).order_by("state_id")
        return models.Subquery(probe.values("pk")[:1])

    def years(self):
        """The years that have figures, newest first, as a list of ints: read from the
        editions, each probed for a figure, so the cost does not grow with the figures
        (a figure always has its year's edition)."""
        return list(
            Edition.objects.annotate(probe=self._year_probe())
            .filter(probe__isnull=False)
            .order_by("-year")
            .values_list("year", flat=True)
        )

    def years_with_place(self, state):
        """(every year with figures, the years with a figure for ``state``), newest
        first: one query over the editions, two index probes each."""
        return self._years_and_years_with(state=state)

    def years_with_state_figures(self):
        """(every year with figures, the years with a figure of a program's metric for
        some state: the years a map can show), newest first, as ``years_with_place``."""
        return self._years_and_years_with(state__isnull=False, metric__program__isnull=False)

    def _years_and_years_with(self, **place):
        rows = (
            Edition.objects.annotate(probe=self._year_probe(), here=self._year_probe(**place))
            .filter(probe__isnull=False)
            .order_by("-year")
            .values_list("year", "here")
        )
        rows = list(rows)
        return [year for year, _ in rows], [year for year, here in rows if here is not None]

    def series_for(self, metrics):
        """Every year of these metrics' figures, light: (metric id, state id, year, value,
        qualifier, source) tuples. Chain a place first (``for_fact_sheet``, ``national``)."""
        return (
            self.filter(metric__in=metrics)
            .order_by()
            .values_list("metric_id", "state_id", "year", "value", "qualifier", "source")
        )

    def state_values_for(self, metrics, year):
        """The year's state figures of these metrics, as (metric id, state id, value)
        tuples: what ranking the states needs and nothing more."""
        return (
            self.for_year(year)
            .for_states()
            .filter(metric__in=metrics)
            .order_by()
            .values_list("metric_id", "state_id", "value")
        )
