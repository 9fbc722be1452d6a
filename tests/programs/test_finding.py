"""Finding a state: the state picker (a form, no script) and addresses by USPS code."""

import re

import pytest

from states.models import State
from tests.conftest import page_text

# The state picker


@pytest.mark.parametrize(
    ("url", "form_id"),
    [
        ("/", "home-state"),
        ("/states/", "state-list-state"),
        ("/states/minnesota/2023/", "fact-sheet-state"),
    ],
)
def test_state_picker_is_a_labelled_list_of_every_state_and_territory(
    site_with_history, db, client, url, form_id
):
    content = client.get(url).content.decode()

    picker = r'<form class="state-picker" method="get" action="/states/">(.*?)</form>'
    form = re.search(picker, content, re.S)
    assert form, f"{url} has no state picker"
    assert f'<label for="{form_id}">State or territory</label>' in form[1]
    codes = re.findall(r'<option value="([A-Z]{2})"', form[1])
    assert len(codes) == 56
    assert set(codes) == set(State.objects.values_list("code", flat=True))
    assert '<button type="submit">' in form[1]


def test_state_picker_sends_the_reader_to_the_state_fact_sheet(site_with_history, db, client):
    response = client.get("/states/", {"state": "MN"})

    assert response.status_code == 302
    assert response["Location"] == "/states/minnesota/"
    assert "8,611" in client.get("/states/?state=MN", follow=True).content.decode()


def test_state_picker_on_a_fact_sheet_keeps_its_year_and_selects_its_state(
    site_with_history, db, client
):
    content = client.get("/states/wisconsin/2022/").content.decode()

    assert '<option value="WI" selected>Wisconsin</option>' in content
    assert '<input type="hidden" name="year" value="2022">' in content
    response = client.get("/states/", {"state": "MN", "year": "2022"})
    assert response.status_code == 302
    assert response["Location"] == "/states/minnesota/2022/"


@pytest.mark.parametrize(
    "query",
    [{"state": "ZZ"}, {"state": "Minesota"}, {"state": "x" * 5000}],
)
def test_state_picker_with_an_unknown_state_is_not_found_and_says_why(
    site_with_history, db, client, query
):
    response = client.get("/states/", query)

    assert response.status_code == 404
    assert "There is no state or territory by that name or code." in page_text(response)


def test_state_picker_with_a_bad_year_is_a_bad_request_and_says_why(site_with_history, db, client):
    response = client.get("/states/", {"state": "MN", "year": "20x3"})

    assert response.status_code == 400
    assert "The year must be written as four digits, like 2023." in page_text(response)


def test_state_picker_with_nothing_chosen_shows_the_list_of_states(site_with_history, db, client):
    response = client.get("/states/", {"state": ""})

    assert response.status_code == 200
    assert "Wyoming" in page_text(response)


# Addresses by USPS code


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/states/mn/", "/states/minnesota/"),
        ("/states/MN/", "/states/minnesota/"),
        ("/states/Mn/", "/states/minnesota/"),
        ("/states/mn/2023/", "/states/minnesota/2023/"),
        ("/states/MN/2022/", "/states/minnesota/2022/"),
        ("/states/Minnesota/", "/states/minnesota/"),
        ("/states/dc/", "/states/district-of-columbia/"),
        ("/states/mn/?year=2022", "/states/minnesota/?year=2022"),
    ],
)
def test_a_usps_code_address_moves_permanently_to_the_state_address(
    site_with_history, db, client, url, target
):
    response = client.get(url)

    assert response.status_code == 301
    assert response["Location"] == target


@pytest.mark.parametrize("url", ["/states/zz/", "/states/ZZ/2023/", "/states/minn/"])
def test_an_unknown_code_or_name_is_not_found_and_says_why(site_with_history, db, client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "There is no state or territory at this address." in page_text(response)
