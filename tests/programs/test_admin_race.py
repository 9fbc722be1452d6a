"""A real race on PostgreSQL: while staff add a figure in the admin, an import on
another connection commits the same figure between the form's checks and its save.
Staff get the form back with a sentence, never a 500; the import's figure stands.

PostgreSQL only: two connections at once. The data is committed once for the module
and the tables are put back as the migrations left them afterwards.
"""

import threading
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models.signals import pre_save
from django.test import Client

from programs.demo import demo_data_load
from programs.figure_files import Table
from programs.importing import figures_import
from programs.models import Figure, Metric
from states.models import State
from tests.committed import committed_module_data
from tests.conftest import make_edition, make_metric

KEY = "race-cases-handled"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two connections at once: run with DATABASE_URL=postgres://… to check it",
    ),
    pytest.mark.django_db(transaction=True),
]


def build():
    demo_data_load(seed_only=True)
    make_edition(2024, published=False)
    make_metric(key=KEY, label="Cases handled")
    get_user_model().objects.create_superuser("race-admin", password="x")


committed_site = committed_module_data(build, name="committed_site")


@pytest.fixture
def transactional_db(committed_site):
    """Stands in for pytest-django's: the test reads the module's committed data, with
    no transaction of its own around the request, as a server would."""


@contextmanager
def import_commits_before_the_next_figure_save(row):
    """The next figure the admin saves waits, just before its INSERT, for an import of
    ``row`` on another connection to commit."""
    done = []

    def run_import():
        try:
            table = Table(columns=("year", "state", "metric", "value"), rows=[row], first_row=2)
            done.append(figures_import(table=table).ok)
        finally:
            connections.close_all()

    def import_first(sender, instance, **kwargs):
        if not done:
            other = threading.Thread(target=run_import)
            other.start()
            other.join()

    pre_save.connect(import_first, sender=Figure)
    try:
        yield done
    finally:
        pre_save.disconnect(import_first, sender=Figure)


def test_a_figure_an_import_committed_during_the_save_gives_the_form_back(
    committed_site, django_db_blocker
):
    with django_db_blocker.unblock():
        client = Client()
        client.force_login(get_user_model().objects.get(username="race-admin"))
        metric = Metric.objects.get(key=KEY)
        minnesota = State.objects.get(code="MN")
        data = {"metric": metric.pk, "year": 2024, "state": minnesota.pk, "value": "42",
                "qualifier": "", "source": "", "note": ""}  # fmt: skip

        with import_commits_before_the_next_figure_save(("2024", "MN", KEY, "7")) as done:
            response = client.post("/admin/programs/figure/add/", data)

        assert done == [True]
        assert response.status_code == 200
        sentence = (
            "A figure for Minnesota, Cases handled, 2024 was saved by someone else a moment "
            "ago: reload to edit it."
        )
        assert sentence in response.context["adminform"].form.non_field_errors()
        assert sentence in response.content.decode()
        # The import's figure stands; the admin saved nothing.
        assert Figure.objects.get(metric=metric, year=2024, state=minnesota).value == 7
