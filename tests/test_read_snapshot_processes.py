"""A public page is never built of two versions' data while another process publishes
(programs/page_cache.py's ``snapshot``), and the page cache never serves one built of
them.

PostgreSQL only, with the data committed for the module, as tests/test_read_snapshot.py
(a module of its own: pytest-django empties the tables after each transactional test,
and the module's data is put back only after its last).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from tests.committed import committed_module_data
from tests.conftest import forget_caches
from tests.test_read_snapshot import TOGGLED, build, needs_two_connections


@pytest.fixture
def transactional_db(committed_site):
    """Stands in for pytest-django's: the test reads the module's committed data."""


committed_site = committed_module_data(build, name="committed_site")


# Another process toggling the year for ``seconds``: it prints how many times.
TOGGLER = """
import sys, time
import django
django.setup()
from programs.models import Edition
from programs.publishing import edition_publish, edition_unpublish
edition, toggles = Edition.objects.get(year=int(sys.argv[1])), 0
end = time.monotonic() + float(sys.argv[2])
try:
    while time.monotonic() < end:
        edition_unpublish(edition=edition)
        time.sleep(0.002)
        edition_publish(edition=edition)
        time.sleep(0.002)
        toggles += 1
finally:
    edition_publish(edition=edition)
print(toggles)
"""


@needs_two_connections
@pytest.mark.django_db(transaction=True)
def test_a_fact_sheet_is_never_mixed_while_another_process_publishes(
    committed_site, django_db_blocker
):
    # As between app processes: this one is not told of the other's versions (its cache
    # is its own memory), and half its reads are built, half are the cache's.
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ncmec_site.settings.test"}
    reader = Client()
    with django_db_blocker.unblock():
        forget_caches()
        toggler = subprocess.Popen(
            [sys.executable, "-c", TOGGLER, str(TOGGLED), "4"],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        inconsistent, reads = [], 0
        try:
            time.sleep(1)  # the other process starts Django
            while toggler.poll() is None and reads < 600:
                year = (TOGGLED - 1, TOGGLED)[reads % 2]
                query = {"read": reads} if reads % 4 < 2 else {}  # a query string: built
                response = reader.get(f"/states/minnesota/{year}/", query)
                reads += 1
                assert response.status_code in (200, 404)  # 2023 between its publishes
                if "No figures are published for Minnesota" in response.content.decode():
                    inconsistent.append(reads)
        finally:
            toggles = int(toggler.communicate(timeout=30)[0].strip() or 0)

    assert toggles > 10 and reads > 20, "hardly toggled or read: the test proves nothing"
    assert inconsistent == [], (
        f"{len(inconsistent)} of {reads} reads listed a year with no figures"
    )
