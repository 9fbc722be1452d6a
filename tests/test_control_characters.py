"""A control character in a request's text (a NUL byte above all, which PostgreSQL
refuses in text) is answered with a 400 that says where it was, before any view reads
it: pages, search, the sign-in form, the admin's forms, a header, the session cookie.
Nothing is stored. A form field may hold tabs and line breaks. (The API, every address
of it: tests/test_fuzz.py.)"""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from programs.models import Program

from .conftest import signed_in


def refused(response, where):
    text = response.content.decode()
    return (
        response.status_code == 400
        and response["Content-Type"] == "text/plain; charset=utf-8"
        and f"This request cannot be read: {where} holds a control character" in text
    )


@pytest.mark.parametrize(
    "address, where",
    [
        ("/states/minnesota%00/", "the address"),
        ("/states/minnesota/2023%0a/", "the address"),
        ("/metrics/%7f/", "the address"),
        ("/search/?q=minne%00sota", "the query parameter “q”"),
        ("/search/?q=minne%09sota", "the query parameter “q”"),
        ("/compare/?states=MN%C2%85", "the query parameter “states”"),
        ("/data/figures.csv?year%00=2023", "the query parameter “year�”"),
    ],
)
def test_a_page_or_search_with_a_control_character_is_a_400_naming_where(site, db, address, where):
    assert refused(Client().get(address), where)


def test_a_sign_in_with_a_nul_in_its_username_is_refused_and_nothing_stored(site, db):
    response = Client().post("/admin/login/", {"username": "pat\x00", "password": "wrong"})

    assert refused(response, "the form field “username”")
    assert not AccessAttempt.objects.exists()


def test_a_sign_in_with_a_nul_in_its_user_agent_is_refused_and_nothing_stored(site, db):
    browser = Client(HTTP_USER_AGENT="Mozilla\x00")
    response = browser.post("/admin/login/", {"username": "pat", "password": "wrong"})

    assert refused(response, "the header “User-Agent”")
    assert not AccessAttempt.objects.exists()


def test_a_session_cookie_with_a_nul_is_refused(site, db):
    browser = Client()
    browser.cookies["sessionid"] = "abcdefgh\x00ijklmnop"

    assert refused(browser.get("/admin/"), "the session cookie")


def test_an_admin_form_with_a_control_character_saves_nothing(site, db):
    publisher = signed_in("publishers", "Publishers")
    before = Program.objects.count()

    response = publisher.post(
        "/admin/programs/program/add/", {"name": "Team\x1bHOPE", "slug": "team-hope"}
    )

    assert refused(response, "the form field “name”")
    assert Program.objects.count() == before


def test_tabs_and_line_breaks_in_a_form_field_pass(site, db):
    response = Client().post(
        "/admin/login/", {"username": "pat", "password": "wrong\thorse\r\nagain"}
    )

    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
