"""A year is read one way everywhere (programs.years): the same text gets the same answer
on every page, download and API address, in an import file and on a command line."""

import argparse
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.http import QueryDict
from django.urls import resolve
from django.urls.exceptions import Resolver404

from programs.years import YearError, parse_year, year_argument, year_in_query
from tests.conftest import page_text

MALFORMED = (
    "0123",
    "02023",
    "２０２３",  # full-width digits
    "٢٠٢٣",  # Arabic-Indic digits: str.isdigit() says yes
    "²⁰²³",
    "2023.0",
    "+2023",
    "-2023",
    "0000",
    "23",
    "20233",
    "2023x",
    "abc",
    "20 23",
    "\x00",
)
# Every address that takes ?year=, the year added last.
QUERIES = (
    "/?year=",  # the home page's map
    "/programs/cybertipline/?year=",
    "/metrics/cybertipline-reports-to-law-enforcement/?year=",
    "/states/minnesota/?year=",  # the fact sheet's year selector
    "/states/?state=MN&year=",  # the state picker
    "/compare/?states=MN,WI&year=",
    "/data/figures.csv?year=",
    "/data/figures.json?year=",
    "/data/figures.xlsx?year=",
    "/api/v1/figures/?year=",
)


@pytest.mark.parametrize("text", ["2023", "1984", "9999", " 2023", "2023 ", "\t2023\n"])
def test_a_year_is_four_digits_with_whitespace_around_them_let_through(text):
    assert parse_year(text) == int(text.strip())


@pytest.mark.parametrize("text", [*MALFORMED, "", "   ", None, 2023])
def test_anything_else_is_not_a_year_and_says_how_to_write_one(text):
    with pytest.raises(YearError) as refused:
        parse_year(text)

    assert isinstance(refused.value, ValueError)
    assert str(refused.value) == "The year must be written as four digits, like 2023."
    assert refused.value.text == text


@pytest.mark.parametrize(
    ("query", "year"),
    [
        ("", None),
        ("year=", None),  # a form's "latest": as if no year were asked for
        ("year=%20", None),
        ("year=2023", 2023),
        ("year=%202023", 2023),
        ("year=2022&year=2023", 2023),  # the last, as QueryDict.get reads it
        ("year=2023&year=", 2023),
        ("other=x", None),
    ],
)
def test_the_year_a_query_asks_for(query, year):
    assert year_in_query(QueryDict(query)) == year


@pytest.mark.parametrize("query", ["year=0123", "year=2023&year=abc", "year=abc&year=2023"])
def test_a_malformed_year_in_a_query_is_refused_even_beside_a_good_one(query):
    with pytest.raises(YearError):
        year_in_query(QueryDict(query))


def test_a_command_line_year_is_read_the_same_and_refused_in_words():
    assert year_argument("2023") == 2023
    with pytest.raises(argparse.ArgumentTypeError) as refused:
        year_argument("0123")
    assert str(refused.value) == "“0123”: The year must be written as four digits, like 2023."


@pytest.mark.parametrize(
    "command",
    [
        ["publish_edition", "0123"],
        ["write_fact_sheet_pdfs", "２０２３"],
        ["export_figures", "--year", "2023.0"],
    ],
)
def test_a_command_refuses_a_malformed_year_before_it_reads_anything(command):
    with pytest.raises(CommandError, match="The year must be written as four digits"):
        call_command(*command)


@pytest.mark.parametrize("segment", ["0123", "02023", "2023.0", "%202023", "%EF%BC%92023"])
def test_a_year_address_takes_only_a_year(segment):
    with pytest.raises(Resolver404):
        resolve(f"/states/minnesota/{segment}/")


def test_a_year_address_gives_the_view_an_int():
    assert resolve("/states/minnesota/2023/").kwargs["year"] == 2023


# Every address


@pytest.mark.parametrize("year", MALFORMED)
def test_a_malformed_year_is_a_400_on_every_address_that_takes_one(
    site_with_history, db, client, year
):
    statuses = {query: client.get(query + quote(year)).status_code for query in QUERIES}

    assert statuses == dict.fromkeys(QUERIES, 400)


@pytest.mark.parametrize("query", QUERIES)
def test_the_400_says_what_is_wrong_with_the_year(site_with_history, db, client, query):
    response = client.get(query + "02023")

    assert response.status_code == 400
    if response["Content-Type"].startswith("text/html"):
        assert "The year must be written as four digits, like 2023." in page_text(response)
    else:
        assert "The year must be written as four digits, like 2023." in response.content.decode()


@pytest.mark.parametrize("written", ["%202023", "2023%20", "%20%202023%20"])
def test_a_year_with_whitespace_around_it_is_that_year_everywhere(
    site_with_history, db, client, written
):
    for query in QUERIES:
        plain, spaced = client.get(query + "2023"), client.get(query + written)
        assert (spaced.status_code, spaced.get("Location")) == (
            plain.status_code,
            plain.get("Location"),
        ), query


def test_an_empty_year_is_as_if_none_were_asked_for_everywhere(site_with_history, db, client):
    for query in QUERIES:
        without = query.removesuffix("year=").rstrip("?&")
        empty, none = client.get(query), client.get(without)
        assert (empty.status_code, empty.get("Location")) == (
            none.status_code,
            none.get("Location"),
        ), query


def test_a_year_with_no_published_figures_is_a_404_on_the_pages(site_with_history, db, client):
    for query in QUERIES[:6]:
        assert client.get(query + "1999", follow=True).status_code == 404, query
