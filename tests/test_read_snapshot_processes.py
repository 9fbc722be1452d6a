"""A public page is never built of parts of two versions while another process
publishes (ncmec_site/read_snapshot.py): what a page builds once per version is built
from a snapshot of that version, never under the name of the one this process read a
moment before.

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
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.committed import committed_module_data
from tests.conftest import forget_caches
from tests.test_read_snapshot import TOGGLED, build, needs_two_connections


@pytest.fixture
def transactional_db(site):
    """Stands in for pytest-django's: the test reads the module's committed data."""


site = committed_module_data(build)


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
    site, django_db_blocker, monkeypatch
):
    # As between app processes: this one is not told of the other's versions and reads
    # the version at most every PUBLICATION_VERSION_SECONDS (here often, for many
    # versions in a few seconds), so a request starts with a version older than its
    # snapshot's data. The 2022 sheet keeps the years, the 2023 sheet builds its body.
    monkeypatch.setattr(settings, "PUBLICATION_VERSION_SECONDS", 0.05)
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ncmec_site.settings.test"}
    reader = Client()
    reader.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"  # not the page cache
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
                response = reader.get(f"/states/minnesota/{year}/")
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
