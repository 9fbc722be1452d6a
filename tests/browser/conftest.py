"""The browser suite: Debian's Chromium driven by Playwright over pytest-django's live server.

The browser starts once per session. Each module loads its data once and commits it (the
live server runs in another thread, and on PostgreSQL on another connection, so it sees
only committed rows), then puts the database back as it found it: the data migrations'
rows (the 56 states, the Editor and Publisher groups) and nothing else.

pytest-django's ``live_server`` asks for ``transactional_db``, which would empty every
table after each test: the module's data after the first test, and the data migrations'
rows for every test after the browser suite. Here ``transactional_db`` only opens the
database to the module's committed data; ``committed_module_data`` restores the tables.
"""

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from playwright.sync_api import sync_playwright

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.models import Figure, Metric, Program
from states.models import State
from tests.committed import committed_data
from tests.conftest import make_figure

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; dev.py test installs it as root
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "build" / "screenshots"
WIDTHS = (1280, 320)
STAFF = "browser-staff"
STAFF_PERMISSIONS = ("import_figure", "view_figure", "add_figure", "change_figure")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing. "
            "Run `python3 dev.py test` as root (it installs it with apt-get), or install it "
            "yourself: sudo apt-get install chromium fonts-dejavu-core",
            pytrace=False,
        )
    # Playwright's sync API keeps an event loop in this thread, so Django would refuse the
    # ORM to every test that runs while the browser is open.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            yield browser
            browser.close()
            # Inside sync_playwright() this thread runs in another context, so Django gave
            # it database connections of its own: close them, or PostgreSQL refuses to
            # drop the test database ("being accessed by other users").
            connections.close_all()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def transactional_db(committed_module_data):
    """Stands in for pytest-django's, which ``live_server`` requests: the test reads the
    module's committed data, and the tables are emptied once, by that fixture."""


@pytest.fixture(scope="module")
def committed_module_data(django_db_setup, django_db_blocker):
    """The pages' data, loaded and committed once per module for the live server (the
    session cookie of a signed-in staff member); afterwards every table is put back as it
    was, so no other test sees any of it."""
    with django_db_blocker.unblock():
        assert State.objects.exists() and not Program.objects.exists(), (
            "The browser tests start from the database as the migrations leave it (the "
            "states, no programs), but a test before them changed it."
        )
        with committed_data(build_data) as session:
            yield session


def build_data():
    """The whole demo as `manage.py load_demo_data` loads it (NCMEC's figures, 1998 to
    2023, the 50 states in 2023); Minnesota in 2022, so that its year selector shows;
    Wisconsin and Iowa in 2023; a published correction, for the revisions page; a staff
    member who may import figures, signed in. Returns the session cookie's value."""
    User = get_user_model()
    call_command("load_demo_data", verbosity=0)
    minnesota = State.objects.get(code="MN")
    to_police = Metric.objects.get(key="cybertipline-reports-to-law-enforcement")
    make_figure(to_police, year=2022, state=minnesota, value=7_000)
    # Two more states in 2023 (test figures, never demo data): a map with shades and a
    # table of states with rows to sort.
    make_figure(to_police, year=2023, state=State.objects.get(code="WI"), value=9_100)
    make_figure(to_police, year=2023, state=State.objects.get(code="IA"), value=2_000)
    publisher = User.objects.create_superuser("browser-publisher", password="x")
    figure = Figure.objects.get(metric=to_police, year=2023, state=minnesota)
    correction = Proposal(
        to_police, 2023, minnesota, figure, value=Decimal(8612), source=figure.source
    )
    pending_changes_stage(proposals=[correction], user=publisher, reason="A late report")
    pending_changes_publish(year=2023, user=publisher, summary="One report came in late.")

    staff = User.objects.create_user(STAFF, password="x", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=STAFF_PERMISSIONS))
    client = Client()
    client.force_login(staff)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def live_site(live_server, browser, committed_module_data):
    # The live server's requests close their database connection as they end: one kept
    # open lingers in a keep-alive thread, and PostgreSQL then refuses to drop the test
    # database at the end of the session ("being accessed by other users").
    database = connection.settings_dict
    kept = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    yield Site(url=live_server.url, browser=browser, session=committed_module_data)
    database["CONN_MAX_AGE"] = kept


@dataclass(frozen=True)
class Site:
    url: str  # the live server's
    browser: object
    session: str  # the signed-in staff member's session cookie


@pytest.fixture
def open_page(live_site):
    """Opens a page of the site at a width, in a browser context of its own (a new
    window with no cookies, unless ``signed_in`` as the staff member); each is closed
    after the test."""
    contexts = []

    def open_page(path, *, width=1280, signed_in=False):
        context = live_site.browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        if signed_in:
            cookie = {
                "name": settings.SESSION_COOKIE_NAME,
                "value": live_site.session,
                "url": live_site.url,
            }
            context.add_cookies([cookie])
        page = context.new_page()
        response = page.goto(live_site.url + path)
        assert response.ok, f"{path} answered {response.status}"
        return page

    yield open_page
    for context in contexts:
        context.close()
