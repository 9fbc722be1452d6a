"""Data committed for a module's tests that need a second connection (a thread, another
process, the browser suite's live server), then every table put back as the migrations
left it: the one way to commit test data. Data the test's own connection reads is
built with tests/conftest.py's ``once_per_module`` instead, and rolled back."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection


@contextmanager
def committed_data(build):
    """Run ``build()`` in autocommit, so every connection sees its rows, and give what it
    returns; afterwards empty the tables and restore the data migrations' rows (states,
    groups). Call it with the database unblocked (``django_db_blocker.unblock()``)."""
    saved = connection.creation.serialize_db_to_string()
    try:
        yield build()
    finally:
        cache.clear()
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(saved)


def committed_module_data(build, name=None):
    """A module-scoped fixture, called ``name`` or as the function: ``build()``'s data
    committed for the module's tests (``committed_data``); its value is what ``build()``
    returns. pytest-django empties the tables after each transactional test; this puts
    the migrations' rows back after the module's last."""

    def committed(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), committed_data(build) as value:
            yield value

    committed.__doc__ = build.__doc__
    return pytest.fixture(scope="module", name=name or build.__name__)(committed)
