"""What a public page's snapshot (ncmec_site/read_snapshot.py) leaves of the connection,
whatever the page did in it: the next request, the admin's say, writes as before.

PostgreSQL only (on SQLite no snapshot is opened), outside a test transaction, as a
server runs; the views are tests/snapshot_urls.py's.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

pytestmark = [
    pytest.mark.urls("tests.snapshot_urls"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's snapshot"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


def test_a_page_whose_query_fails_leaves_the_connection_writable(reader):
    assert reader.get("/fails/").status_code == 500

    Group.objects.create(name="after a failed page")  # the admin's next save, say

    driver = connection.connection
    assert (driver.isolation_level, driver.read_only) == (None, None)
    assert not connection.in_atomic_block


def test_a_page_with_a_block_of_its_own_around_its_first_query_carries_on(reader):
    response = reader.get("/tries-in-a-block/")

    assert response.status_code == 200
    assert response.content.decode().endswith("groups")


def test_a_page_that_tries_to_write_is_refused_and_nothing_is_written(reader):
    count = Group.objects.count()

    assert reader.get("/writes/").status_code == 500
    assert Group.objects.count() == count
