"""Staff preview: the public pages with draft editions, for staff only, never cached."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertRedirects

from ncmec_site.preview import PREVIEW_COOKIE, SALT, SESSION_KEY, signed_marker
from programs.models import Figure, Metric
from states.models import State
from tests.conftest import make_figure, make_metric, make_program
from tests.test_query_counts import FACT_SHEET, add_many_figures


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


BANNER = "Preview: not published"
DRAFT_PAGE = "/states/minnesota/2024/"


@pytest.fixture
def draft_2024(demo, minnesota):
    """A 2024 draft edition: 987,654 CyberTipline reports in Minnesota."""
    return make_figure(
        Metric.objects.get(key="cybertipline-reports-to-law-enforcement"),
        year=2024,
        state=minnesota,
        value=987_654,
        draft=True,
    )


def start_preview(client, next_url=DRAFT_PAGE):
    return client.post("/preview/start/", {"next": next_url})


def in_preview(session, browser):
    """The session and the marker cookie of a browser whose preview is on, as
    /preview/start/ leaves them (for a client that must not post to it first)."""
    session[SESSION_KEY] = True
    session.save()
    browser.cookies[PREVIEW_COOKIE] = signed_marker()


def form_of(page, button):
    """The action and fields of the form whose submit button says ``button``, as a browser
    would send it."""
    html = page.content.decode()
    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        if f">{button}</button>" in form:
            action = re.search(r'action="([^"]*)"', form).group(1)
            fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
            assert 'method="post"' in form
            return action, fields
    raise AssertionError(f"no form with a {button!r} button")


def test_staff_in_preview_see_the_draft_year_under_the_banner(draft_2024, staff):
    response = start_preview(staff)
    assertRedirects(response, DRAFT_PAGE)

    page = staff.get(DRAFT_PAGE)

    assert page.status_code == 200
    assert BANNER in page.content.decode()
    assert "987,654" in page.content.decode()
    assert page.context["years"] == [2024, 2023]


def test_staff_in_preview_see_the_draft_year_as_the_latest_on_the_home_page(draft_2024, staff):
    start_preview(staff, "/")

    page = staff.get("/")

    assert page.context["year"] == 2024
    assert BANNER in page.content.decode()


def test_a_preview_page_is_private_and_never_stored(draft_2024, staff):
    start_preview(staff)

    response = staff.get(DRAFT_PAGE)

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-cache", "no-store", "must-revalidate", "max-age=0"} <= cache_control
    assert "Expires" in response
    assert "Cookie" in response["Vary"]


def test_a_reader_at_the_same_time_sees_only_published_figures(draft_2024, staff):
    reader = Client()
    start_preview(staff)
    assert "987,654" in staff.get(DRAFT_PAGE).content.decode()

    not_found = reader.get(DRAFT_PAGE)
    latest = reader.get("/states/minnesota/")

    assert not_found.status_code == 404
    assert "987,654" not in not_found.content.decode()
    assert latest.context["year"] == 2023
    assert "987,654" not in latest.content.decode()
    assert BANNER not in latest.content.decode()
    assert "private" not in latest.get("Cache-Control", "")
    # and the staff member's preview carries on
    assert "987,654" in staff.get(DRAFT_PAGE).content.decode()


def test_staff_see_published_pages_only_until_they_start_a_preview(draft_2024, staff):
    assert staff.get(DRAFT_PAGE).status_code == 404
    assert BANNER not in staff.get("/states/minnesota/").content.decode()


def test_the_banner_button_leaves_the_preview(draft_2024, django_user_model):
    # A browser's client: the button's form must carry its own CSRF token.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(django_user_model.objects.create_user("s", password="x", is_staff=True))
    in_preview(browser.session, browser)
    action, fields = form_of(browser.get(DRAFT_PAGE), "Leave preview")

    response = browser.post(action, fields)

    assert (action, fields["next"]) == ("/preview/stop/", DRAFT_PAGE)
    assert response.status_code == 302
    assert response["Location"] == DRAFT_PAGE
    assert browser.get(DRAFT_PAGE).status_code == 404
    assert BANNER not in browser.get("/states/minnesota/").content.decode()


@pytest.mark.parametrize("path", ["/preview/start/", "/preview/stop/"])
def test_another_site_cannot_switch_preview(draft_2024, django_user_model, path):
    """A form on another site posts with the staff member's cookies but without the token."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(django_user_model.objects.create_user("s", password="x", is_staff=True))
    on = path.endswith("stop/")
    if on:
        in_preview(browser.session, browser)

    response = browser.post(path, {"next": "/"}, HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    assert bool(browser.session.get(SESSION_KEY)) is on
    assert (BANNER in browser.get("/states/minnesota/").content.decode()) is on


def test_an_old_start_link_offers_the_button_and_changes_nothing(draft_2024, staff):
    page = staff.get("/preview/start/", {"next": DRAFT_PAGE})

    assert page.status_code == 200
    assert SESSION_KEY not in staff.session
    assert staff.get(DRAFT_PAGE).status_code == 404
    action, fields = form_of(page, "Turn on preview")
    assertRedirects(staff.post(action, fields), DRAFT_PAGE)
    assert BANNER in staff.get(DRAFT_PAGE).content.decode()


def test_an_old_stop_link_offers_the_button_and_changes_nothing(draft_2024, staff):
    start_preview(staff)

    page = staff.get("/preview/stop/", {"next": DRAFT_PAGE})

    assert page.status_code == 200
    assert staff.session[SESSION_KEY] is True
    assert BANNER in staff.get(DRAFT_PAGE).content.decode()
    action, fields = form_of(page, "Leave preview")
    assertRedirects(staff.post(action, fields), DRAFT_PAGE, fetch_redirect_response=False)
    assert staff.get(DRAFT_PAGE).status_code == 404


OFF_SITE = [
    "//evil.example",
    "//evil.example/states/",
    "https://evil.example",
    "http://evil.example/preview/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http://testserver/states/",
]


@pytest.mark.parametrize("next_url", OFF_SITE)
@pytest.mark.parametrize("path", ["/preview/start/", "/preview/stop/"])
def test_preview_never_redirects_off_the_site(draft_2024, staff, path, next_url):
    page = staff.get(path, {"next": next_url})
    response = staff.post(path, {"next": next_url})

    button = "Turn on preview" if "start" in path else "Leave preview"
    assert form_of(page, button)[1]["next"] == "/"
    assert f'href="{next_url}"' not in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("changelist", "public_page"),
    [
        ("/admin/programs/edition/", "/"),
        ("/admin/states/state/", "/states/minnesota/"),
        ("/admin/programs/program/", "/programs/cybertipline/"),
    ],
)
def test_the_admin_lists_open_a_preview_of_their_pages(
    draft_2024, admin_client, changelist, public_page
):
    link = f"/preview/start/?next={public_page.replace('/', '%2F')}"

    response = admin_client.get(changelist)

    assert response.status_code == 200
    assert f'href="{link}"' in response.content.decode()
    action, fields = form_of(admin_client.get(link), "Turn on preview")
    assertRedirects(admin_client.post(action, fields), public_page)
    assert BANNER in admin_client.get(public_page).content.decode()


def test_the_admin_offers_a_preview_of_an_unpublished_program(draft_2024, admin_client):
    program = make_program(name="Pilot Program", slug="pilot-program", is_published=False)
    make_figure(make_metric(program), value=123_456)

    listing = admin_client.get("/admin/programs/program/").content.decode()
    admin_client.post("/preview/start/", {"next": "/programs/pilot-program/"})
    page = admin_client.get("/programs/pilot-program/")

    assert 'Not published (<a href="/preview/start/?next=%2Fprograms%2Fpilot-program%2F">' in (
        listing
    )
    assert page.status_code == 200
    assert "123,456" in page.content.decode()
    assert Client().get("/programs/pilot-program/").status_code == 404


def add_many_drafts():
    """2024 drafts for every metric and state, and an unpublished program with figures."""
    add_many_figures()
    hidden = make_program(name="Pilot Program", is_published=False)
    make_metric(hidden)
    make_metric(hidden, scope=Metric.Scope.NATIONAL)
    existing = set(Figure.objects.filter(year=2024).values_list("metric_id", "state_id"))
    states = list(State.objects.all())
    Figure.objects.bulk_create(
        Figure(metric=metric, year=2024, state=state, value=5)
        for metric in Metric.objects.all()
        for state in ([None] if metric.is_national else states)
        if (metric.pk, state.pk if state else None) not in existing
    )


def test_a_preview_page_runs_a_fixed_number_of_queries(
    draft_2024, staff, django_assert_num_queries
):
    start_preview(staff)
    with CaptureQueriesContext(connection) as few:
        assert staff.get(DRAFT_PAGE).status_code == 200
    # The anonymous page's queries, the session, the user and the pending changes (a
    # preview passes the page cache by: no version is read for it).
    assert len(few) == FACT_SHEET + 3

    add_many_drafts()

    with django_assert_num_queries(len(few)):
        response = staff.get(DRAFT_PAGE)
    assert response.status_code == 200
    assert "987,654" in response.content.decode()


def test_turning_preview_on_sets_its_marker_and_leaving_clears_it(draft_2024, staff):
    on = start_preview(staff).cookies[PREVIEW_COOKIE]
    off = staff.post("/preview/stop/", {"next": DRAFT_PAGE}).cookies[PREVIEW_COOKIE]

    # "1", signed with the site's key (and the time, so compared unsigned): no one else
    # can write it.
    signer = signing.get_cookie_signer(salt=PREVIEW_COOKIE + SALT)
    assert signer.unsign(on.value) == "1"
    assert on["httponly"] and on["samesite"] == "Lax"
    assert off.value == "" and off["max-age"] == 0
    assert staff.get(DRAFT_PAGE).status_code == 404


def test_a_staff_member_out_of_preview_is_not_looked_up(draft_2024, staff):
    staff.get("/states/minnesota/")  # built for the version

    with CaptureQueriesContext(connection) as queries:
        page = staff.get("/states/minnesota/")

    assert BANNER not in page.content.decode()
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "django_session" not in read and "auth_user" not in read
    assert "Cookie" in page["Vary"]  # a shared cache keeps it apart from a reader's page


def test_a_marker_that_outlived_its_preview_shows_no_drafts_and_is_cleared(
    draft_2024, staff, django_user_model
):
    start_preview(staff)
    Session.objects.all().delete()  # the session expired; the browser kept the marker
    staff.force_login(django_user_model.objects.get(username="staff"))  # signed in again

    response = staff.get(DRAFT_PAGE)

    assert response.status_code == 404
    assert response.cookies[PREVIEW_COOKIE]["max-age"] == 0
    assert "private" in response["Cache-Control"]
    assert BANNER not in staff.get("/states/minnesota/").content.decode()


@pytest.mark.parametrize(
    "marker", ["1", "forged", signed_marker()], ids=["plain", "forged", "signed"]
)
def test_a_marker_without_a_session_shows_no_drafts(draft_2024, marker):
    reader = Client()
    reader.cookies[PREVIEW_COOKIE] = marker

    assert reader.get(DRAFT_PAGE).status_code == 404
    assert "987,654" not in reader.get("/states/minnesota/").content.decode()


def test_a_marker_this_site_did_not_sign_is_answered_from_the_page_cache(
    draft_2024, django_assert_num_queries
):
    Client().get("/states/minnesota/")  # stored
    reader = Client()
    reader.cookies[PREVIEW_COOKIE] = "1"
    reader.cookies["sessionid"] = "made-up"

    with django_assert_num_queries(0):
        response = reader.get("/states/minnesota/")

    assert response.status_code == 200
    assert PREVIEW_COOKIE not in response.cookies
