"""What every test may use: the data, the clients, a page's text, small factories.

Data
    ``site``: the seed's demo (programs.demo), built once for a module's tests, rolled
    back after. ``demo``, ``demo_draft``: the seed built for one test (a module whose
    every test uses it overrides ``demo`` with ``site``: the same data, built once);
    ``minnesota``: the state. ``full_demo`` (``full_site`` for a test that uses the
    database): the whole demo, NCMEC's published record, built once for a module's tests.
    ``once_per_module`` makes a build function a fixture of data built once per module:
    the one way to do so (tests/committed.py commits data for tests that need a second
    connection). tests/programs/conftest.py holds the programs' larger data sets.
Clients
    ``anonymous``: a reader, with no session, who gets a server error as a 500 page
    (pytest-django's ``client`` raises it). ``staff``: a staff member with no group and
    no permission; ``editor``, ``publisher``: staff members in the Editors and
    Publishers groups the data migrations make. Each is a client of its own, with its
    member on ``client.user``; ``signed_in()`` makes more. pytest-django's
    ``admin_client`` and ``admin_user`` are there too.
A page
    ``page_text(response)``: its text as a reader reads it; ``main_of(response)``: the
    HTML of its ``<main>``; ``page_queries(n)``: the queries it makes, pinned.
Factories
    ``make_program``, ``make_metric``, ``make_edition``, ``make_figure``, ``add_draft_2024``,
    ``figures_snapshot``, ``xlsx_file``.

Every test starts with an empty cache (``forget_caches()`` empties it within a test).
"""

import html
import io
import itertools
import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from openpyxl import Workbook

from programs.demo import demo_data_load
from programs.models import (
    Edition,
    Figure,
    Metric,
    Program,
    WorkArea,
    public_change,
)
from programs.publishing import edition_publish
from states.models import State

_counter = itertools.count(1)

# The files that take longest (each crawls every public page), run first: with a worker
# per core (dev.py test, a file per worker), no worker is left running one of them at the
# end while the others wait.
SLOWEST_FIRST = ("test_editor_walk.py", "test_draft_leaks.py")


def pytest_configure(config):
    # pytest-xdist hands out the files with the most tests first unless told not to, which
    # left these two (three tests and four) to the end: it keeps the order below instead.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name not in SLOWEST_FIRST)  # stable: else as found


def forget_caches():
    """Empty the cache: its pages, and the version it knows."""
    cache.clear()


def once_per_module(build, name=None):
    """Makes ``build`` a module-scoped fixture, called ``name`` or as the function: the
    data ``build()`` makes, once for a module's tests, in a transaction rolled back after
    the last of them (and the cache emptied); its value is what ``build()`` returns.

    Each test still runs in a savepoint of its own when it asks for ``db`` (itself, or
    through a fixture), so one test's changes never reach the next. Once built, the
    data stays until the module ends, under its later tests too, asked for or not: a
    module whose tests need other data builds its own per test. Not for transactional
    tests: tests/committed.py is for those."""

    def data(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                value = build()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        try:
            yield value
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
            forget_caches()

    data.__doc__ = build.__doc__
    return pytest.fixture(scope="module", name=name or build.__name__)(data)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: each test's database is rolled back, so
    publication versions repeat from test to test and a cached PDF would outlive its data."""
    forget_caches()


# What every page the page cache does not hold queries before its own: the publication
# version, its snapshot's first statement (programs/page_cache.py).
SNAPSHOT_QUERIES = 1


@pytest.fixture
def page_queries(django_assert_num_queries):
    """``with page_queries(n):`` asserts that a request the page cache does not hold
    makes ``n`` queries of its own, besides reading the version it is built from."""

    @contextmanager
    def measure(queries):
        with django_assert_num_queries(queries + SNAPSHOT_QUERIES):
            yield

    return measure


@once_per_module
def site():
    """The demo: the seed's programs, metrics and 2023 figures (national and Minnesota),
    built once for the module's tests."""
    demo_data_load(seed_only=True)


@pytest.fixture
def demo(db):
    """The seed's programs, metrics and 2023 figures (national and Minnesota)."""
    demo_data_load(seed_only=True)


@once_per_module
def full_demo():
    """The whole demo, as a fresh quick start loads it: NCMEC's published record (26 years
    of CyberTipline reports, the 50 states' 2023 reports and populations, the report
    contents and recipients), built once for the module's tests."""
    demo_data_load()


@pytest.fixture
def full_site(full_demo, db):
    """The whole demo, for a test that uses the database (in a savepoint of its own)."""


@pytest.fixture
def demo_draft(demo):
    """The demo with its 2023 edition back to a draft: figures staff may still change."""
    Edition.objects.filter(year=2023).update(status=Edition.Status.DRAFT, published_at=None)


@pytest.fixture
def minnesota(db):
    return State.objects.get(code="MN")


@pytest.fixture
def anonymous(db):
    """A reader's client, with no session: a server error comes back as a response (the
    page a reader would see), not as an exception, for tests of what a reader gets when
    a page fails or is asked for nonsense. pytest-django's ``client`` raises it."""
    return Client(raise_request_exception=False)


@pytest.fixture
def staff(db):
    """A client signed in as a staff member ("staff") with no group and no permission."""
    return signed_in("staff")


@pytest.fixture
def editor(db):
    """A client signed in as a staff member ("editors") in the Editors group."""
    return signed_in("editors", "Editors")


@pytest.fixture
def publisher(db):
    """A client signed in as a staff member ("publishers") in the Publishers group."""
    return signed_in("publishers", "Publishers")


def signed_in(username, group=None, *, superuser=False, **client_options):
    """A new client signed in as a new staff member called ``username`` (password "x"),
    who is ``client.user``: in ``group`` ("Editors" or "Publishers"), or a superuser, or
    with no permission at all. ``client_options`` go to the Client, e.g.
    ``raise_request_exception=False`` to get a server error back as a response."""
    users = get_user_model().objects
    if superuser:
        user = users.create_superuser(username, password="x")
    else:
        user = users.create_user(username, password="x", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client(**client_options)
    client.force_login(user)
    client.user = user
    return client


def confirm_editions_action(client, data, **extra):
    """An Editions list action as staff take it: its confirmation page, then Yes, posting
    back the page's hidden fields (the years it showed, the pending changes reviewed) and
    ``extra`` (a ticked box, a summary)."""
    page = client.post("/admin/programs/edition/", data).content.decode()
    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        fields.setdefault(name, []).append(value)
    return client.post("/admin/programs/edition/", {**data, **fields, "confirmed": "yes", **extra})


def page_text(page):
    """What a reader reads of a page (a response, or a part of one as HTML): the text
    without its tags, entities unescaped, each run of white space one space, and no space
    before the punctuation a closing tag left one before."""
    markup = page if isinstance(page, str) else page.content.decode()
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
    return re.sub(r" ([.,;:)])", r"\1", text)


def main_of(response):
    """The HTML inside the page's ``<main>``: its own content, without the header and the
    footer every page has."""
    content = response.content.decode()
    return re.search(r'<main id="main-content"[^>]*>(.*)</main>', content, re.S)[1]


def make_program(**fields):
    n = next(_counter)
    defaults = {
        "name": f"Program {n}",
        "slug": f"program-{n}",
        "work_area": WorkArea.EXPLOITATION,
        "summary": f"Summary of program {n}.",
        "is_published": True,
    }
    program = Program(**{**defaults, **fields})
    program.full_clean()
    with public_change():  # set-up is the system's own doing
        program.save()
    return program


def make_metric(program=None, **fields):
    n = next(_counter)
    scope = fields.get("scope", Metric.Scope.STATE)
    defaults = {
        "program": program or make_program(),
        "key": f"metric-{n}",
        "label": f"Metric {n}",
        "scope": scope,
        "sentence": "In {year}, {value} things happened in {state}."
        if scope == Metric.Scope.STATE
        else "In {year}, {value} things happened.",
        "first_year": 2000,
    }
    metric = Metric(**{**defaults, **fields})
    metric.full_clean()
    with public_change():
        metric.save()
    return metric


def make_edition(year=2023, *, published=True):
    """The year's edition, created if need be; published unless told otherwise."""
    edition, _ = Edition.objects.get_or_create(year=year)
    if published and not edition.is_published:
        edition_publish(edition=edition)
        edition.refresh_from_db()
    return edition


def make_figure(metric=None, *, year=2023, state=None, value=1, draft=False, **fields):
    """A validated, saved figure; a state metric gets Minnesota unless told otherwise.

    Its year's edition is created if need be, published unless ``draft`` is true (an
    existing edition is left as it is). The metric's years are widened to cover the
    figure if need be, as staff would before entering an older year.
    """
    if not Edition.objects.filter(year=year).exists():
        make_edition(year, published=not draft)
    metric = metric or make_metric()
    if year < metric.first_year:
        Metric.objects.filter(pk=metric.pk).update(first_year=year)
        metric.first_year = year
    if state is None and metric.scope == Metric.Scope.STATE:
        state = State.objects.get(code="MN")
    figure = Figure(metric=metric, year=year, state=state, value=Decimal(value), **fields)
    figure.full_clean()
    with public_change():
        figure.save()
    return figure


def figures_snapshot():
    """Every figure as saved, down to when it was last updated: equal before and after
    means nothing was saved."""
    return list(
        Figure.objects.order_by("pk").values_list(
            "pk", "metric__key", "year", "state__code", "value", "qualifier", "source", "note",
            "updated",
        )
    )  # fmt: skip


def add_draft_2024(minnesota):
    """A 2024 draft edition of three figures (one national, two states): 4321, 777, 888."""
    national = make_metric(scope=Metric.Scope.NATIONAL)
    per_state = make_metric()
    make_figure(national, year=2024, value=4321, draft=True)
    make_figure(per_state, year=2024, state=minnesota, value=777, draft=True)
    make_figure(per_state, year=2024, state=State.objects.get(code="WI"), value=888, draft=True)


def xlsx_file(*rows):
    """An Excel workbook whose first sheet holds these rows, as bytes."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Helper modules whose fixtures assert: their failures show the values, as a test's do
# (before they are imported: this one below, the others by tests/programs/conftest.py).
pytest.register_assert_rewrite(
    "tests.draft_helpers", "tests.programs.revision_helpers", "tests.programs.import_helpers"
)

# The drafts the draft-leak tests read (tests/test_draft_*.py): imported last, since that
# module builds them with the factories above.
from tests.draft_helpers import drafts, site_with_drafts  # noqa: E402, F401
