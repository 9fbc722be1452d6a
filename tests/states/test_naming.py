"""A state is named one way everywhere (states.naming): a list of USPS codes gets the same
codes or the same refusal on the compare page, the downloads, the API and the PDF
command; a name, code or slug finds the same state on every path that takes one."""

from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from states.models import State
from states.naming import (
    StateCodeError,
    StateIndex,
    find_state,
    names_the_nation,
    parse_state_codes,
)

MALFORMED_LISTS = ("MN;WI", "MNN", "M1", "Minnesota", "MN,W", "ＭＮ", "MN,\x00")


@pytest.mark.parametrize(
    ("values", "codes"),
    [
        ("MN", ["MN"]),
        ("mn,WI", ["MN", "WI"]),
        (" MN , wi ,", ["MN", "WI"]),
        (["MN", "WI,mn", ""], ["MN", "WI"]),  # repeated, with an empty picker
        (["", ","], []),
        ("", []),
        ([], []),
    ],
)
def test_a_list_of_codes_is_read_by_commas_and_repetition_upper_cased_each_once(values, codes):
    assert parse_state_codes(values) == codes


@pytest.mark.parametrize("values", MALFORMED_LISTS)
def test_a_list_item_that_is_not_two_letters_is_refused_in_words(values):
    with pytest.raises(StateCodeError) as refused:
        parse_state_codes(values)

    assert isinstance(refused.value, ValueError)
    assert "is not a state code: write its two letters, like MN or WI." in str(refused.value)
    assert "\x00" not in str(refused.value)


def test_a_long_item_is_shown_cut_short():
    with pytest.raises(StateCodeError, match="“x{20}…” is not a state code"):
        parse_state_codes("x" * 5000)


# Every path that takes a list


# A control character never reaches the web's paths: a 400 of its own before any view
# (tests/test_control_characters.py).
@pytest.mark.parametrize("values", [values for values in MALFORMED_LISTS if values.isprintable()])
def test_a_malformed_list_is_refused_the_same_on_every_path(client, demo, tmp_path, values):
    expected = str(pytest.raises(StateCodeError, parse_state_codes, values).value)

    compare = client.get("/compare/", {"states": values})
    csv = client.get("/data/figures.csv", {"state": values})
    api = client.get("/api/v1/figures/", {"state": values})

    assert (compare.status_code, compare.context["error"]) == (400, expected)
    assert (csv.status_code, csv.content.decode()) == (400, f"Bad filter “state”: {expected}\n")
    assert (api.status_code, api.json()["error"]["message"]) == (400, expected)
    with pytest.raises(CommandError) as refused:
        call_command("write_fact_sheet_pdfs", "2023", "--states", values, "--to", str(tmp_path))
    assert str(refused.value) == expected


def test_a_good_list_asks_for_the_same_states_on_every_path(client, demo):
    compare = client.get("/compare/", {"states": " mn,WI ,mn"})
    csv = client.get("/data/figures.csv", {"state": " mn,WI ,mn"})
    api = client.get("/api/v1/figures/", {"state": [" mn", "WI ,mn"], "page_size": 1000})

    assert [state.code for state in compare.context["chosen"]] == ["MN", "WI"]
    assert csv["Content-Disposition"] == 'attachment; filename="ncmec-figures-MN_WI.csv"'
    rows = csv.getvalue().decode().splitlines()[1:]
    assert api.json()["count"] == len(rows) > 0
    assert {figure["state_code"] for figure in api.json()["results"]} <= {"MN", "WI"}


# One state by name, code or slug


def state(code, name, slug):
    return SimpleNamespace(code=code, name=name, slug=slug)


STATES = [
    state("MN", "Minnesota", "minnesota"),
    state("DC", "District of Columbia", "district-of-columbia"),
]


@pytest.mark.parametrize(
    "text",
    ["DC", "dc", " dc ", "District of Columbia", "DISTRICT OF COLUMBIA", "district-of-columbia"],
)
def test_a_state_is_found_by_code_name_or_slug_in_any_case(text):
    assert find_state(text, STATES).code == "DC"
    assert StateIndex(STATES).find(text).code == "DC"


@pytest.mark.parametrize(
    "text", ["", "  ", None, "XX", "Minesota", "Minnesota\x00", "minnesota" + " " * 200 + "x"]
)
def test_a_text_that_names_no_state_finds_none(text):
    assert find_state(text, STATES) is None
    assert StateIndex(STATES).find(text) is None


@pytest.mark.parametrize("text", ["US", "usa", "United States", " national "])
def test_the_nation_is_named_the_same_by_the_import_and_the_export(text):
    assert names_the_nation(text)


@pytest.mark.parametrize("text", ["", "MN", "America"])
def test_nothing_else_names_the_nation(text):
    assert not names_the_nation(text)


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["MN", "mn", "Minnesota", "minnesota", " MINNESOTA "])
def test_every_path_finds_the_same_state_for_the_same_text(client, demo, text):
    """The queryset's lookup (the picker, the PDF, the API), the index (the import) and
    a page's address (among the states it has read) find the same state."""
    everyone = list(State.objects.all())
    assert State.objects.lookup(text).code == "MN"
    assert StateIndex(everyone).find(text).code == "MN"
    assert find_state(text, everyone).code == "MN"
    assert client.get("/states/", {"state": text})["Location"] == "/states/minnesota/"
    assert client.get(f"/api/v1/states/{text.strip()}/").json()["code"] == "MN"
