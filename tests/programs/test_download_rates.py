"""Rates per 100,000 residents in the files of /data/ and in the API (``rate_per_100k``):
a state count of the year beside its state's population of the same year, as
published; none for a national figure, a percent, a running total, a figure not exact,
the population itself, or where no population is published. The population is in the
files too, as reference data with no program."""

import csv
import html
import io
import json
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from programs.corrections import Proposal, pending_changes_stage
from programs.models import POPULATION_KEY, Figure, Metric, public_change, public_write
from programs.reader import rates
from programs.reader.downloads import COLUMNS
from states.models import State
from tests.conftest import make_figure, make_metric

BY_STATE = "cybertipline-reports-by-state"  # 10,407 in Minnesota in 2023
TO_LAW_ENFORCEMENT = "cybertipline-reports-to-law-enforcement"  # 8,611
RECEIVED = "cybertipline-reports-received"  # national: 36,210,368
PERCENT = "missing-runaways-likely-trafficking-percent"  # national, 19%
MINNESOTA_2023 = {"year": "2023", "state": "MN"}


@pytest.fixture
def reader(full_demo, anonymous):
    return anonymous


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(reader, query):
    response = reader.get("/data/figures.csv", query)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


def json_rows(reader, query):
    response = reader.get("/data/figures.json", query)
    assert response.status_code == 200
    return json.loads(body(response))["figures"]


def xlsx_rows(reader, query):
    response = reader.get("/data/figures.xlsx", query)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(body(response)))  # not read-only: blank cells kept
    header, *rows = book["Figures"].values
    assert list(header) == COLUMNS
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def api_rows(reader, query):
    response = reader.get("/api/v1/figures/", {**query, "page_size": 1000})
    assert response.status_code == 200
    return json.loads(response.content)["results"]


def row_none(read):
    """What ``read``'s rows hold for no rate: an empty cell in a CSV file, else null."""
    return "" if read is csv_rows else None


def rates_of(rows, place="MN"):
    """{metric key: rate_per_100k} of the rows of ``place`` ("US": the national ones)."""
    return {
        row["metric_key"]: row["rate_per_100k"]
        for row in rows
        if (row["state_code"] or "US") == place
    }


# Each way out, and what it writes for a rate and for none.
OUTPUTS = [
    pytest.param(csv_rows, "181.4", "150.1", "", id="csv"),
    pytest.param(json_rows, 181.4, 150.1, None, id="json"),
    pytest.param(xlsx_rows, 181.4, 150.1, None, id="xlsx"),
    pytest.param(api_rows, 181.4, 150.1, None, id="api"),
]


@pytest.mark.parametrize(("read", "by_state", "to_law_enforcement", "none"), OUTPUTS)
def test_minnesotas_2023_counts_come_with_their_rate_per_100000_residents(
    reader, read, by_state, to_law_enforcement, none
):
    minnesota = rates_of(read(reader, MINNESOTA_2023))

    # 10,407 and 8,611 reports among 5,737,915 residents
    assert minnesota[BY_STATE] == by_state
    assert minnesota[TO_LAW_ENFORCEMENT] == to_law_enforcement
    assert minnesota[POPULATION_KEY] == none  # the population is what rates are of


@pytest.mark.parametrize(("read", "by_state", "to_law_enforcement", "none"), OUTPUTS)
def test_national_figures_and_percents_have_no_rate(
    reader, read, by_state, to_law_enforcement, none
):
    nation = rates_of(read(reader, {"year": "2023"}), "US")

    assert nation[RECEIVED] == none
    assert nation[PERCENT] == none
    assert set(nation.values()) == {none}


@pytest.mark.parametrize(("read", "by_state", "to_law_enforcement", "none"), OUTPUTS)
def test_a_state_percent_a_running_total_and_a_figure_not_exact_have_no_rate(
    reader, read, by_state, to_law_enforcement, none
):
    cybertipline = Metric.objects.get(key=BY_STATE).program
    percent = make_metric(cybertipline, key="rate-check-percent", unit=Metric.Unit.PERCENT)
    to_date = make_metric(cybertipline, key="rate-check-to-date", period=Metric.Period.TO_DATE)
    more_than = make_metric(cybertipline, key="rate-check-more-than")
    make_figure(percent, value=40)
    make_figure(to_date, value=5000)
    make_figure(more_than, value=5000, qualifier=Figure.Qualifier.MORE_THAN)
    counted = make_metric(cybertipline, key="rate-check-count")
    make_figure(counted, value=5000)

    minnesota = rates_of(read(reader, MINNESOTA_2023))

    assert minnesota["rate-check-percent"] == none
    assert minnesota["rate-check-to-date"] == none
    assert minnesota["rate-check-more-than"] == none
    assert str(minnesota["rate-check-count"]) == "87.1"  # 5,000 exact, of the same year


@pytest.mark.parametrize(("read", "by_state", "to_law_enforcement", "none"), OUTPUTS)
def test_a_count_of_a_year_without_a_published_population_has_no_rate(
    reader, read, by_state, to_law_enforcement, none
):
    """Never the population of another year: 2022 has none published."""
    make_figure(Metric.objects.get(key=BY_STATE), year=2022, value=9_000)

    rows = read(reader, {"year": "2022,2023", "state": "MN", "metric": BY_STATE})

    assert {str(row["year"]): row["rate_per_100k"] for row in rows} == {
        "2022": none,
        "2023": by_state,
    }


def public_update(figures, **fields):
    """Change published figures in place, as a publication would (tests' set-up)."""
    with public_change():
        public_write("the figures")
        if fields:
            figures.update(**fields)
        else:
            figures.delete()


def test_a_state_without_its_population_has_no_rate(reader):
    public_update(Figure.objects.filter(metric__key=POPULATION_KEY, state__code="WI"))

    rows = api_rows(reader, {"year": "2023", "metric": BY_STATE})

    assert rates_of(rows, "WI") == {BY_STATE: None}
    assert rates_of(rows)[BY_STATE] == 181.4
    assert sum(row["rate_per_100k"] is not None for row in rows) == 49


def test_a_population_not_exact_is_no_population(reader):
    public_update(
        Figure.objects.filter(metric__key=POPULATION_KEY, state__code="MN"),
        qualifier=Figure.Qualifier.ROUNDED,
    )

    assert rates_of(csv_rows(reader, MINNESOTA_2023))[BY_STATE] == ""


def test_a_population_not_yet_published_never_reaches_a_published_rate(reader):
    """A correction staged for the 2023 population, and a 2024 edition in draft with
    Minnesota's population and count: readers' rates stay those of 2023 as published."""
    minnesota = State.objects.get(code="MN")
    population = Metric.objects.get(key=POPULATION_KEY)
    published = Figure.objects.get(metric=population, state=minnesota, year=2023)
    proposal = Proposal(population, 2023, minnesota, published, value=Decimal(1_000_000))
    pending_changes_stage(proposals=[proposal], reason="A newer estimate")
    make_figure(population, year=2024, state=minnesota, value=1_000_000, draft=True)
    make_figure(Metric.objects.get(key=BY_STATE), year=2024, value=10_407, draft=True)

    for read in (csv_rows, json_rows, api_rows):
        rows = read(reader, {"state": "MN", "metric": f"{BY_STATE},{POPULATION_KEY}"})
        assert {
            (str(row["year"]), row["metric_key"], str(row["value"]), str(row["rate_per_100k"]))
            for row in rows
        } == {
            ("2023", BY_STATE, "10407", "181.4"),
            ("2023", POPULATION_KEY, "5737915", str(row_none(read))),
        }, read.__name__


def test_the_population_is_published_as_reference_data_with_no_program(reader):
    csv_population = csv_rows(reader, {"metric": POPULATION_KEY})
    api_population = api_rows(reader, {"metric": POPULATION_KEY})
    minnesota = next(row for row in csv_population if row["state_code"] == "MN")

    assert len(csv_population) == len(api_population) == 50
    assert minnesota["program"] == ""
    assert minnesota["value"] == "5737915"
    assert minnesota["source"].startswith("U.S. Census Bureau, Vintage 2023")
    assert {row["program"] for row in api_population} == {None}


def test_a_program_filter_leaves_the_population_out(reader):
    rows = csv_rows(reader, {"year": "2023", "program": "cybertipline"})

    assert POPULATION_KEY not in {row["metric_key"] for row in rows}
    assert {row["program"] for row in rows} == {"cybertipline"}


def test_the_population_follows_the_programs_figures_of_its_year(reader):
    rows = csv_rows(reader, {"year": "2023"})
    programs = [row["program"] for row in rows]

    assert "" in programs
    assert programs[programs.index("") :] == [""] * programs.count("")


def test_the_metrics_file_and_the_api_describe_the_population(reader):
    metrics = list(csv.DictReader(io.StringIO(body(reader.get("/data/metrics.csv")).decode())))
    listed = json.loads(reader.get("/api/v1/metrics/", {"page_size": 1000}).content)["results"]
    response = reader.get(f"/api/v1/metrics/{POPULATION_KEY}/")
    detail = json.loads(response.content)

    population = next(row for row in metrics if row["key"] == POPULATION_KEY)
    assert population["program"] == ""
    assert population["definition"].startswith("The state's resident population")
    assert metrics[-1]["program"] == "" and metrics[0]["program"] != ""
    assert POPULATION_KEY in {metric["key"] for metric in listed}
    assert response.status_code == 200
    assert (detail["program"], detail["url"]) == (None, None)  # it has no page
    assert detail["years"] == [2023]
    assert detail["figures_url"] == f"http://testserver/api/v1/figures/?metric={POPULATION_KEY}"


def test_the_populations_of_several_years_are_read_in_one_query(
    full_demo, db, django_assert_num_queries
):
    make_figure(Metric.objects.get(key=POPULATION_KEY), year=2022, value=5_700_000)
    minnesota = State.objects.get(code="MN")

    with django_assert_num_queries(1):
        populations = rates.populations_by_year(False, [2022, 2023])
    with django_assert_num_queries(0):
        assert rates.populations_by_year(False, []) == {}

    assert populations[2022] == {minnesota.pk: 5_700_000}
    assert len(populations[2023]) == 50
    assert populations[2023][minnesota.pk] == 5_737_915
    assert rates.populations_by_year(False)[2023] == populations[2023]


def test_the_data_package_holds_with_the_population_and_the_rates(reader, client, tmp_path):
    import frictionless

    from tests.programs.test_datapackage import errors, local_package

    report = frictionless.validate(str(local_package(client, tmp_path)))
    package = client.get("/data/datapackage.json").json()
    fields = {field["name"]: field for field in package["resources"][0]["schema"]["fields"]}

    assert report.valid, errors(report)  # an empty program, an empty rate: both allowed
    assert fields["rate_per_100k"]["type"] == "number"
    assert "population" in fields["rate_per_100k"]["description"]


def test_the_data_pages_example_of_the_json_file_is_the_file_itself_readable(reader):
    page = reader.get("/data/").content.decode()
    shown = html.unescape(
        re.search(r'<pre class="json-example"><code>(.*?)</code>', page, re.S)[1]
    )
    address = html.unescape(re.search(r'href="(/data/figures\.json\?[^"]+)"', page)[1])

    assert "\\u" not in shown  # "…" not "\u2026", nor any other escape
    assert json.loads(shown) == json.loads(body(reader.get(address)))
    assert address == f"/data/figures.json?year=2023&state=MN&metric={TO_LAW_ENFORCEMENT}"
    assert '"value": 8611,' in shown and '"rate_per_100k": 150.1' in shown
