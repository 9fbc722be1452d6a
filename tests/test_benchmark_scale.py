"""The benchmarks' scale data (benchmarks/scale.py) is what readers would see: every
synthetic figure published, one per metric, place and year, shown on the public pages."""

import pytest

from benchmarks.scale import fill, scratch_url
from programs.formatting import format_figure
from programs.models import Edition, Figure, Metric
from states.models import State

pytestmark = pytest.mark.django_db

YEARS = 2
METRICS = 27  # the seed's 21, the 2 reference metrics (population) and 4 synthetic ones


@pytest.fixture
def scale(db):
    return fill(years=YEARS, metrics=METRICS)


def test_fill_makes_a_published_figure_per_metric_place_and_year(scale):
    state_metrics = Metric.objects.filter(scope=Metric.Scope.STATE).count()
    national_metrics = Metric.objects.filter(scope=Metric.Scope.NATIONAL).count()

    assert Metric.objects.count() == METRICS
    assert list(Edition.objects.published().values_list("year", flat=True)) == [2024, 2023]
    for year in (2023, 2024):
        assert Figure.objects.published().for_year(year).count() == (
            state_metrics * State.objects.count() + national_metrics
        )
    assert scale["figures"] == Figure.objects.published().count()


def test_a_synthetic_figure_reads_on_the_fact_sheet_and_the_metric_page(client, scale):
    metric = Metric.objects.filter(key__startswith="synthetic-", scope="state").first()
    figure = Figure.objects.get(metric=metric, year=2024, state__code="WI")
    shown = format_figure(figure.value)

    fact_sheet = client.get("/states/wisconsin/2024/").content.decode()
    assert f"In 2024, {shown} synthetic cases were counted in Wisconsin." in fact_sheet
    metric_page = client.get(metric.get_absolute_url())
    assert metric_page.status_code == 200
    assert shown in metric_page.content.decode()


def test_fill_twice_adds_nothing(scale):
    again = fill(years=YEARS, metrics=METRICS)

    assert again["figures_added"] == 0
    assert again["metrics_added"] == 0
    assert again["figures"] == scale["figures"]


def test_the_scale_database_must_be_a_bench_database():
    assert scratch_url("postgres://u@h:5432/postgres", "bench_x").endswith("/bench_x")
    with pytest.raises(SystemExit, match="bench"):
        scratch_url("postgres://u@h:5432/postgres", "ncmec")


def test_the_page_benchmark_reads_each_gunicorn_set_up_it_is_given():
    from benchmarks.serving import ServerConfig

    assert ServerConfig.parse("sync:2:1").env() == {
        "DJANGO_DB_POOL": "0",
        "GUNICORN_WORKER_CLASS": "sync",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "1",
    }
    assert ServerConfig.parse("gthread:2:4:pool").pool
    assert ServerConfig.parse("default", pool=True).env() == {"DJANGO_DB_POOL": "1"}
    with pytest.raises(ValueError, match="class:workers:threads"):
        ServerConfig.parse("gthread:2")
