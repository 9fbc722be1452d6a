"""A program page's one table of states: a row per state with a figure, a column per
state metric, the others folded into one line, and a sort that needs no inline script."""

import html
import re

import pytest

from tests.conftest import page_text
from tests.programs.reader_data import MISSING_WI, REPORTS_2023


def table(content):
    return re.search(
        r'<table class="data-table state-table"[^>]*>(.*?)</table>', content, re.S
    ).group(1)


def rows(content):
    """{row id: the row's HTML} of the table of states, in page order."""
    return dict(re.findall(r'<tr id="([A-Z]{2})">(.*?)</tr>', table(content), re.S))


def fold(content):
    line = re.search(r'<p class="state-table-fold">(.*?)</p>', content, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", line))


@pytest.mark.django_db
def test_the_table_has_a_row_for_every_state_with_a_figure_in_name_order(site_with_states, client):
    content = client.get("/programs/cybertipline/2023/").content.decode()

    found = rows(content)
    assert set(found) == {"MN", *REPORTS_2023}
    names = [page_text(row).split(" ")[0] for row in found.values()]
    assert list(found) == ["CA", "GU", "IA", "MN", "PR", "TX", "WI"]
    assert names[:2] == ["California", "Guam"]
    assert "8,611" in found["MN"]
    name_cell = '<th scope="row" data-sort-value="Minnesota">'
    assert f'{name_cell}<a href="/states/minnesota/2023/">Minnesota</a></th>' in found["MN"]


@pytest.mark.django_db
def test_each_row_is_linkable_by_its_postal_code(site_with_states, client):
    content = client.get("/programs/cybertipline/2023/").content.decode()

    assert content.count('id="MN"') == 1
    assert 'data-sort-value="8611' in rows(content)["MN"]


@pytest.mark.django_db
def test_states_without_a_figure_fold_into_one_line_of_links(site_with_states, client):
    content = client.get("/programs/cybertipline/2023/").content.decode()

    line = fold(content)
    assert line.startswith("No figures for 2023: Alabama, Alaska, American Samoa, Arizona,")
    assert line.count(",") == 56 - 7 - 1
    assert "Minnesota" not in line and "Wisconsin" not in line
    assert '<a href="/states/alabama/2023/">Alabama</a>' in content
    assert "state-section" not in content


@pytest.mark.django_db
def test_a_breakdown_gives_each_part_its_own_labelled_column_and_no_figure_is_written_out(
    site_with_states, client
):
    content = client.get("/programs/missing-child-case-assistance/2023/").content.decode()

    head = page_text(re.search(r"<thead>(.*?)</thead>", table(content), re.S).group(1))
    assert head == (
        "State or territory Missing child cases handled "
        "Children Missing From Social Services Facility (part of missing child cases handled) "
        "Other Missing Children Cases (part of missing child cases handled) "
        "Children Reported Missing by Office of Refugee Resettlement (HHS-ORR) "
        "(part of missing child cases handled)"
    )
    found = rows(content)
    assert list(found) == ["MN", "WI"]
    assert page_text(found["MN"]) == "Minnesota 201 135 57 9"
    assert page_text(found["WI"]) == (
        f"Wisconsin {MISSING_WI['missing-cases-handled']} No figure "
        f"{MISSING_WI['missing-cases-other']} No figure"
    )
    assert not re.search(r">\s*0\s*<", table(content))


@pytest.mark.django_db
def test_an_older_year_shows_that_years_figures(site_with_states, client):
    content = client.get("/programs/cybertipline/2022/").content.decode()

    assert list(rows(content)) == ["MN"]
    assert "7,000" in rows(content)["MN"]
    assert "8,611" not in table(content)
    assert fold(content).startswith("No figures for 2022: Alabama,")


@pytest.mark.django_db
def test_the_table_is_complete_without_javascript_and_sorts_with_a_script_file(
    site_with_states, client
):
    content = client.get("/programs/cybertipline/2023/").content.decode()

    assert re.search(r'<script src="/static/js/sort-table\.js" defer></script>', content)
    assert not re.search(r"<script(?![^>]*\bsrc=)", content)
    assert "<button" not in table(content)  # the script adds them: no dead controls
    head = re.search(r"<thead>(.*?)</thead>", table(content), re.S).group(1)
    assert 'data-sort-type="text"' in head and 'data-sort-type="number"' in head
    assert '<caption id="state-table-caption">' in table(content)
    region = '<div class="table-scroll" role="region" aria-labelledby="state-table-caption"'
    assert f'{region} tabindex="0">' in content
