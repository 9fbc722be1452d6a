"""A year that passes every check (tests/programs/test_figure_checks*.py), so that a test
changes one figure and reads the one flag it causes.

Twelve states report 1,000 to 1,110 reports in 2023 (1,000 each in 2022), each among
1,000,000 residents (rates of 100 to 111 per 100,000; 2023 only); the national total
these reports are part of is 20,000 both years; Minnesota's 10 cases are 6 + 4. Every
figure has a source, and every edition is a draft.
"""

from types import SimpleNamespace

from django.db.models import F

from programs.models import POPULATION_KEY, Figure, Metric, public_change
from states.models import State
from tests.conftest import make_figure, make_metric, make_program

SOURCE = "Test source"
STATE_CODES = ("AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DE", "FL", "GA", "MN", "WI")


def build_checked_year():
    program = make_program(name="Checked program", slug="checked-program")
    national = make_metric(program, scope=Metric.Scope.NATIONAL, label="Reports nationwide")
    reports = make_metric(program, label="Reports in the state", national_total=national)
    cases = make_metric(program, label="Cases")
    parts = [make_metric(program, label=f"Cases {n}", parent=cases) for n in ("found", "other")]
    population = Metric(
        key=POPULATION_KEY, label="Residents", scope=Metric.Scope.STATE, first_year=2000
    )
    with public_change():
        population.save()
    states = {s.code: s for s in State.objects.filter(code__in=STATE_CODES)}

    def add(metric, year, state, value):
        make_figure(metric, year=year, state=state, value=value, draft=True, source=SOURCE)

    for year in (2022, 2023):
        add(national, year, None, 20_000)
    for i, code in enumerate(STATE_CODES):
        add(reports, 2022, states[code], 1_000)
        add(reports, 2023, states[code], 1_000 + 10 * i)
        add(population, 2023, states[code], 1_000_000)
    minnesota = states["MN"]
    add(cases, 2023, minnesota, 10)
    for part, value in zip(parts, (6, 4), strict=True):
        add(part, 2023, minnesota, value)
    return SimpleNamespace(
        national=national, reports=reports, population=population, cases=cases, parts=parts,
        states=states, minnesota=minnesota,
    )  # fmt: skip


def set_value(metric, state, value, year=2023, **fields):
    """Change a saved figure's value (and other fields) without its form's checks."""
    Figure.objects.filter(metric=metric, state=state, year=year).update(value=value, **fields)


def scale_values(metric, factor, year=2023):
    Figure.objects.filter(metric=metric, year=year).update(value=F("value") * factor)
