"""Reference data (the population, a metric with no program) has no page of its own, in a
staff preview too, and the admin never offers one; its figures are staged like any."""

import pytest

from programs.models import POPULATION_KEY, Metric
from tests.conftest import make_figure
from tests.programs.test_preview import start_preview


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


pytestmark = pytest.mark.django_db


@pytest.fixture
def population(demo, minnesota):
    metric = Metric.objects.get(key=POPULATION_KEY)
    make_figure(metric, state=minnesota, value=5_737_915)
    return metric


def test_a_population_has_no_page_for_readers_or_staff_in_preview(population, client, staff):
    assert client.get(f"/metrics/{POPULATION_KEY}/").status_code == 404
    start_preview(staff, "/")

    assert staff.get(f"/metrics/{POPULATION_KEY}/").status_code == 404
    assert staff.get("/metrics/population-united-states/").status_code == 404
    assert "Resident population" not in staff.get("/search/?q=population").content.decode()


def test_the_admin_offers_no_view_on_site_for_a_population(population, admin_client):
    page = admin_client.get(f"/admin/programs/metric/{population.pk}/change/")
    other = Metric.objects.get(key="cybertipline-reports-received")

    assert page.status_code == 200
    assert "View on site" not in page.content.decode()
    assert (
        "View on site"
        in admin_client.get(f"/admin/programs/metric/{other.pk}/change/").content.decode()
    )


def test_a_new_population_in_a_published_year_is_sent_to_be_staged_naming_it(
    population, admin_client
):
    response = admin_client.post(
        "/admin/programs/figure/add/",
        {"metric": population.pk, "year": 2023, "state": "", "value": "700000"},
    )

    (error,) = response.context["adminform"].form.non_field_errors()
    assert error.startswith("The 2023 edition is published and readers see “Resident population”")
