"""A state is named one way everywhere (states.naming): a list of USPS codes gets the same
codes or the same refusal on the compare page, the downloads, the API and the PDF
command."""

import pytest
from django.core.management import CommandError, call_command

from states.naming import StateCodeError, parse_state_codes

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


@pytest.mark.parametrize("values", MALFORMED_LISTS)
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
    rows = b"".join(csv.streaming_content).decode().splitlines()[1:]
    assert api.json()["count"] == len(rows) > 0
    assert {figure["state_code"] for figure in api.json()["results"]} <= {"MN", "WI"}
