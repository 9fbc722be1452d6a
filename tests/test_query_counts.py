"""Each public page runs a fixed number of queries, however many states, metrics and years.

The counts are pinned on an empty-cache, anonymous request. If a change adds a query on
purpose, update the count here and say why in the commit; if a count grows with the data,
a queryset is missing a select_related or prefetch_related.
"""

from decimal import Decimal

import pytest

from programs.models import Figure, Metric, Program
from states.models import State
from tests.conftest import make_metric, make_program

# state, years (all, and the state's, in one), the year's figures (with their revision
# notes), programs, their metrics, the metrics' dated notes
FACT_SHEET = 6

PAGES = [
    # years, programs, their metrics, the metrics' notes, national figures, states
    pytest.param("/", 6, id="home"),
    # programs, their metrics
    pytest.param("/programs/", 2, id="program-list"),
    # program, its metrics, their notes, years, figures, states
    pytest.param("/programs/cybertipline/", 6, id="program"),
    pytest.param("/programs/cybertipline/2023/", 6, id="program-year"),
    # states
    pytest.param("/states/", 1, id="state-list"),
    pytest.param("/states/minnesota/", FACT_SHEET, id="fact-sheet"),
    pytest.param("/states/minnesota/2023/", FACT_SHEET, id="fact-sheet-year"),
]


def add_many_figures():
    """More of everything: metrics, states with figures, and older years.

    A new published program with a national and a state metric, a new state metric
    under the CyberTipline, and figures for every metric, every state and 2021 to 2023.
    Rows are bulk-created: the factories' full_clean would make setup slow, and this
    test is about reading them.
    """
    cybertipline = Program.objects.get(slug="cybertipline")
    make_metric(cybertipline, key="cybertipline-extra-state", position=50)
    make_metric(cybertipline, key="cybertipline-extra-national", scope=Metric.Scope.NATIONAL)
    program = make_program(name="Extra Program")
    make_metric(program, scope=Metric.Scope.NATIONAL)
    make_metric(program)
    make_metric(program, unit=Metric.Unit.PERCENT)

    existing = set(Figure.objects.values_list("metric_id", "year", "state_id"))
    states = list(State.objects.all())
    figures = []
    for metric in Metric.objects.all():
        places = [None] if metric.is_national else states
        for year in (2021, 2022, 2023):
            for state in places:
                state_id = state.pk if state else None
                if (metric.pk, year, state_id) in existing:
                    continue
                figures.append(
                    Figure(metric=metric, year=year, state=state, value=Decimal(year % 100))
                )
    Figure.objects.bulk_create(figures)


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_public_page_runs_a_fixed_number_of_queries(
    client, demo, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_public_page_queries_do_not_grow_with_states_metrics_and_years(
    client, demo, django_assert_num_queries, url, queries
):
    add_many_figures()

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    assert Figure.objects.values("year").distinct().count() == 3


@pytest.mark.parametrize("slug", ["minnesota", "wyoming", "guam"])
def test_fact_sheet_queries_are_the_same_for_every_state(
    client, demo, django_assert_num_queries, slug
):
    add_many_figures()

    with django_assert_num_queries(FACT_SHEET):
        response = client.get(f"/states/{slug}/2023/")

    assert response.status_code == 200
