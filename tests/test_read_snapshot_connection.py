"""What a public page's snapshot (programs/page_cache.py) leaves of the connection,
whatever the page did in it: the next request, the admin's say, writes as before.

PostgreSQL only (on SQLite no snapshot is opened), outside a test transaction, as a
server runs, with the tables put back as the migrations left them afterwards
(tests/committed.py); the views are tests/snapshot_urls.py's.
"""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils.timezone import now

from tests.committed import committed_module_data

pytestmark = [
    pytest.mark.urls("tests.snapshot_urls"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's snapshot"),
    pytest.mark.django_db(transaction=True),
]


tables = committed_module_data(lambda: None, name="tables")


def test_a_page_whose_query_fails_leaves_the_connection_writable(tables, anonymous):
    assert anonymous.get("/fails/").status_code == 500

    Session.objects.create(session_key="after-a-failed-page", session_data="", expire_date=now())

    driver = connection.connection
    assert (driver.isolation_level, driver.read_only) == (None, None)
    assert not connection.in_atomic_block


def test_a_page_with_a_block_of_its_own_around_its_first_query_carries_on(tables, anonymous):
    response = anonymous.get("/tries-in-a-block/")

    assert response.status_code == 200
    assert response.content.decode().endswith("sessions")


def test_a_page_that_tries_to_write_is_refused_and_nothing_is_written(tables, anonymous):
    assert anonymous.get("/writes/").status_code == 500
    assert not Session.objects.filter(pk="written-by-a-get").exists()


def test_a_page_is_built_in_its_snapshot(tables, anonymous):
    assert anonymous.get("/isolation/").content == b"repeatable read, read only on"
