"""A page that began on an older version than its snapshot's is made again on the
snapshot's (ncmec_site/read_snapshot.py): a publish in another process, not yet known to
this one, never yields a page built of two versions' parts.

PostgreSQL only (SQLite has no snapshot to begin lazily), with the data committed for
the module, as tests/test_read_snapshot.py, in a module of its own for the same reason
as tests/test_read_snapshot_processes.py.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from programs.models import Edition, Publication
from programs.publishing import edition_publish, edition_unpublish
from tests.committed import committed_module_data
from tests.conftest import forget_caches
from tests.test_read_snapshot import TOGGLED, build, needs_two_connections


@pytest.fixture
def transactional_db(site):
    """Stands in for pytest-django's: the test reads the module's committed data."""


site = committed_module_data(build)


@needs_two_connections
@pytest.mark.django_db(transaction=True)
def test_a_page_begun_on_a_version_another_process_replaced_is_made_on_the_new_one(
    site, django_db_blocker
):
    staff = Client()
    staff.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"  # not the page cache
    with django_db_blocker.unblock():
        forget_caches()
        old = Publication.current()
        # Its years (2023 among them) are built for the old version.
        assert staff.get(f"/states/minnesota/{TOGGLED - 1}/").status_code == 200
        edition = Edition.objects.get(year=TOGGLED)
        edition_unpublish(edition=edition)
        new = Publication.current()
        # Another process published: this one still knows the old version.
        Publication.remember(old, seen=Publication.seen())
        try:
            response = staff.get(f"/states/minnesota/{TOGGLED}/")
            known = Publication.known_recent()
            # A process still on the old version makes the page of what is kept under
            # it, with no query: none of it may have been built from the new data.
            Publication.forget_recent()
            Publication.remember(old, seen=Publication.seen())
            with CaptureQueriesContext(connection) as queries:
                on_the_old_version = Client().get(f"/states/minnesota/{TOGGLED}/")
        finally:
            # A write on the same connection: the snapshot left it read-write again.
            edition_publish(edition=edition)

    # Made on the old version's years and the new data, it listed 2023 with no figures.
    assert "No figures are published for Minnesota" not in response.content.decode()
    assert response.status_code == 404
    assert known.token == new.token != old.token  # and the process knows it now
    # The old version's page whole, or (its 2023 body never built) the new one's: a 404.
    assert on_the_old_version.status_code == 404 and len(queries) > 0
    assert "No figures are published for Minnesota" not in on_the_old_version.content.decode()
