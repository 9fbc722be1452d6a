"""Data committed for a module's tests that need a second connection (a thread), then
every table put back as the migrations left it."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection


@contextmanager
def committed_data(build):
    """Run ``build()`` in autocommit, so every connection sees its rows; afterwards
    empty the tables and restore the data migrations' rows (states, groups). Call it
    with the database unblocked (``django_db_blocker.unblock()``)."""
    saved = connection.creation.serialize_db_to_string()
    try:
        build()
        yield
    finally:
        cache.clear()
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(saved)


def committed_module_data(build, name="site"):
    """A module-scoped fixture called ``name``: ``build()``'s data committed for the
    module's tests (``committed_data``). pytest-django empties the tables after each
    transactional test; this puts the migrations' rows back after the module's last."""

    @pytest.fixture(scope="module", name=name)
    def committed(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), committed_data(build):
            yield

    return committed
