"""The rows every download and the API share: which published figures a filter asks
for, and how a bad filter is refused, naming the filter."""

import pytest
from django.http import QueryDict

from programs.models import Metric
from programs.reader import downloads
from programs.reader.downloads import FigureFilters, FilterError
from tests.conftest import make_edition, make_figure


def filters(query):
    return FigureFilters.from_query(QueryDict(query))


def test_a_filter_takes_several_values_by_commas_or_repetition():
    found = filters("year=2022,2023&state=mn&state=WI,MN&program=cybertipline")

    assert found.years == (2022, 2023)
    assert found.states == ("MN", "WI")
    assert found.programs == ("cybertipline",)
    assert found.query == {"year": "2022,2023", "state": "MN,WI", "program": "cybertipline"}


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("year=23", "year"),
        ("year=2023,twenty", "year"),
        ("state=Minnesota", "state"),
        ("state=M1", "state"),
        ("metric=" + "x" * 101, "metric"),
        ("program=a%00b", "program"),
        (
            "state=" + ",".join(f"{a}{b}" for a in "ABCDE" for b in "ABCDEFGHIJKLMNOPQRSTU"),
            "state",
        ),  # fmt: skip
    ],
)
def test_a_malformed_filter_is_refused_by_name(query, name):
    with pytest.raises(FilterError) as refused:
        filters(query)

    assert refused.value.name == name


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("year=2031", "year"),
        ("state=ZZ", "state"),
        ("program=no-such-program", "program"),
        ("metric=no-such-metric", "metric"),
    ],
)
def test_a_filter_naming_nothing_published_is_refused_by_name(demo, query, name):
    with pytest.raises(FilterError) as refused:
        filters(query).check()

    assert refused.value.name == name
    assert "no published figures for" in refused.value.message


def test_a_draft_year_is_not_a_year_a_reader_may_ask_for(demo):
    make_edition(2024, published=False)
    with pytest.raises(FilterError):
        filters("year=2024").check()


def test_the_rows_are_the_published_figures_the_filters_ask_for(demo):
    rows = [
        downloads.row(f, downloads.populations())
        for f in downloads.figures(filters("state=MN").check())
    ]

    minnesota = {r["metric_key"]: r for r in rows}
    reports = minnesota["cybertipline-reports-to-law-enforcement"]
    assert reports == {
        "year": 2023,
        "state_code": "MN",
        "state_name": "Minnesota",
        "program": "cybertipline",
        "metric_key": "cybertipline-reports-to-law-enforcement",
        "metric_label": reports["metric_label"],
        "unit": "count",
        "period": "year",
        "value": "8611",
        "qualifier": "",
        "source": "NCMEC, Minnesota Data fact sheet, 2023",
        "note": "",
        "revised": "",
        "rate_per_100k": "",  # the seed has no population
    }
    assert list(reports) == downloads.COLUMNS
    assert {r["state_code"] for r in rows} == {"MN"}


def test_a_draft_figure_is_in_no_row(demo):
    make_edition(2024, published=False)
    draft = make_figure(
        Metric.objects.get(key="cybertipline-reports-received"), year=2024, value=1
    )

    years = {f.year for f in downloads.figures()}

    assert draft.year not in years
    assert years == {2023}
