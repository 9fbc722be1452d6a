"""A public page reads its years and its figures in one snapshot: while a year is
unpublished and published again, over and over, a fact sheet never lists a year it then
shows no figures for (programs/page_cache.py's ``snapshot``).

PostgreSQL only: it takes two connections, the reader's and the publisher's, and SQLite
has one writer and no snapshot to choose. The data is committed once for the module (the
publisher's thread sees only committed rows) and the tables are put back as the
migrations left them afterwards.
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from programs.demo import demo_data_load
from programs.models import Edition, Figure
from programs.publishing import edition_publish, edition_unpublish
from states.models import State
from tests.committed import committed_module_data
from tests.conftest import forget_caches, make_figure

# Without the snapshot, about 1 read in 7 listed a year with no figures (31 of 200).
READS = 100
TOGGLED = 2023
PAGE = "/states/minnesota/"

needs_two_connections = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections at once: run with DATABASE_URL=postgres://… to check it",
)


@pytest.fixture
def transactional_db(committed_site):
    """Stands in for pytest-django's: the test reads the module's committed data (with no
    transaction of the test's own around it, as a server would)."""


def build():
    """The demo (2023), and Minnesota's figures again for 2022: the page falls back to
    2022 while 2023 is unpublished."""
    demo_data_load(seed_only=True)
    minnesota = State.objects.get(code="MN")
    for figure in Figure.objects.filter(year=TOGGLED, state=minnesota).select_related("metric"):
        make_figure(figure.metric, year=TOGGLED - 1, state=minnesota, value=figure.value)


committed_site = committed_module_data(build, name="committed_site")


def toggle_until(stop: threading.Event, toggles: list):
    """Unpublish the year and publish it again through the one publishing function,
    until told to stop; it ends published."""
    try:
        edition = Edition.objects.get(year=TOGGLED)
        while not stop.is_set():
            edition_unpublish(edition=edition)
            time.sleep(0.002)
            edition_publish(edition=edition)
            toggles.append(1)
            time.sleep(0.002)
    finally:
        edition_publish(edition=edition)
        connections.close_all()


@needs_two_connections
# The mark makes pytest-django create the test database; its transactional_db is
# replaced above, so that the tables are emptied once, by committed_data.
@pytest.mark.django_db(transaction=True)
def test_a_fact_sheet_never_lists_a_year_it_shows_no_figures_for(
    committed_site, django_db_blocker, monkeypatch
):
    reader = Client()
    with django_db_blocker.unblock():
        forget_caches()
        stop, toggles = threading.Event(), []
        publisher = threading.Thread(target=toggle_until, args=(stop, toggles))
        publisher.start()
        inconsistent = []
        try:
            for n in range(READS):
                # A query string of its own: each read is built, none is the cache's.
                response = reader.get(PAGE, {"read": n})
                assert response.status_code == 200
                if "No figures are published for Minnesota" in response.content.decode():
                    inconsistent.append(n)
        finally:
            stop.set()
            publisher.join()

    assert len(toggles) > 10, "the year was hardly toggled: the test proves nothing"
    assert inconsistent == [], (
        f"{len(inconsistent)} of {READS} reads listed a year with no figures"
    )
