"""The compare page: up to six states side by side with the nation, a row per metric
grouped by program; bad input answered on the page with a 400 or a 404."""

import re

import pytest

from programs.models import Metric
from states.models import State
from tests.conftest import make_figure, page_text
from tests.programs.reader_data import REPORTS


def table_rows(content):
    """{row heading: [the cells' text]} of the comparison table."""
    table = re.search(r'<table class="data-table compare-table[^"]*">(.*?)</table>', content, re.S)
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S):
        heading = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if heading:
            found[page_text(heading.group(1))] = [
                page_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            ]
    return found


@pytest.mark.django_db
def test_on_a_phone_each_figure_is_named_with_its_place(site_with_states, client):
    # The table stacks below 40rem (site.css .stacks): each cell's data-label is written
    # before it, so a figure never stands without its place.
    content = client.get("/compare/", {"states": "MN,WI", "year": "2023"}).content.decode()

    row = re.search(
        r'<th scope="row">Reports made available to law enforcement</th>(.*?)</tr>', content, re.S
    ).group(1)
    labels = re.findall(r'<td[^>]*data-label="([^"]+)"[^>]*>(.*?)</td>', row, re.S)
    assert [(place, page_text(cell)) for place, cell in labels] == [
        ("United States", "Counted by state only"),
        ("Minnesota", "8,611"),
        ("Wisconsin", "9,250"),
    ]


@pytest.mark.django_db
def test_states_stand_side_by_side_with_the_nation(site_with_states, client):
    response = client.get("/compare/", {"states": "MN,WI,IA", "year": "2023"})
    content = response.content.decode()

    assert response.status_code == 200
    head = re.search(r"<thead>(.*?)</thead>", content, re.S).group(1)
    assert page_text(head) == "Figure United States Minnesota Wisconsin Iowa"
    rows = table_rows(content)
    assert rows["Reports made available to law enforcement"] == [
        "Counted by state only",
        "8,611",
        "9,250",
        "3,120",
    ]
    assert rows["Reports received"] == ["36,210,368", "Counted nationally only"]
    assert rows["Submissions reviewed"] == [
        "Counted by state only",
        "128",
        "No figure",
        "No figure",
    ]
    assert "Compare Minnesota, Wisconsin and Iowa with the nation, 2023" in page_text(content)


@pytest.mark.django_db
def test_rows_are_grouped_by_program_with_parts_after_their_total(site_with_states, client):
    content = client.get("/compare/", {"states": "WI"}).content.decode()

    groups = [page_text(g) for g in re.findall(r'<th scope="rowgroup"[^>]*>(.*?)</th>', content)]
    assert groups[:3] == [
        "CyberTipline",
        "Child Victim Identification Program",
        "Missing Child Case Assistance",
    ]
    headings = list(table_rows(content))
    handled = headings.index("Missing child cases handled")
    assert headings[handled + 1] == "Of which: Children Missing From Social Services Facility"
    assert table_rows(content)["Of which: Other Missing Children Cases"] == [
        "Counted by state only",
        "100",
    ]


@pytest.mark.django_db
def test_the_year_defaults_to_the_latest_and_an_older_year_shows_its_figures(
    site_with_states, client
):
    latest = client.get("/compare/", {"states": "MN"})
    older = client.get("/compare/", {"states": "MN", "year": "2022"}).content.decode()

    assert latest.context["year"] == 2023
    assert table_rows(older)["Reports made available to law enforcement"] == [
        "Counted by state only",
        "7,000",
    ]
    assert "8,611" not in older


@pytest.mark.django_db
def test_the_form_adds_and_removes_states_without_javascript(site_with_states, client):
    content = client.get("/compare/", {"states": "MN,WI", "year": "2023"}).content.decode()

    form = re.search(
        r'<form class="compare-form" method="get" action="/compare/">(.*?)</form>', content, re.S
    )
    pickers = re.findall(
        r'<select id="compare-state-\d" name="states">(.*?)</select>', form.group(1), re.S
    )
    assert len(pickers) == 6
    assert '<option value="MN" selected>' in pickers[0]
    assert '<option value="WI" selected>' in pickers[1]
    assert " selected" not in pickers[2]
    assert '<select id="compare-year" name="year">' in form.group(1)
    assert 'href="/compare/?states=WI&amp;year=2023">Remove Minnesota' in content
    # What the form sends: each picker, blank ones included.
    sent = client.get("/compare/?states=MN&states=&states=ia&year=2023")
    assert sent.status_code == 200
    assert [state.code for state in sent.context["chosen"]] == ["MN", "IA"]


@pytest.mark.django_db
def test_every_fact_sheet_links_to_a_comparison_of_its_state(site_with_states, client):
    content = client.get("/states/minnesota/2023/").content.decode()

    assert (
        '<a href="/compare/?states=MN&amp;year=2023">Compare Minnesota with other states</a>'
        in content
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("states=MN;WI", 400, "“MN;WI” is not a state code"),
        ("states=MNN", 400, "“MNN” is not a state code"),
        ("states=M1", 400, "“M1” is not a state code"),
        ("states=AL,AK,AZ,AR,CA,CO,CT", 400, "Compare at most 6 states at a time (7 asked)."),
        ("states=MN&year=23", 400, "The year must be written as four digits"),
        ("states=MN&year=２０２３", 400, "The year must be written as four digits"),
        ("states=MN&year=2023x", 400, "The year must be written as four digits"),
        ("states=MN,ZZ", 404, "There is no state or territory with the code ZZ."),
        ("states=MN&year=1999", 404, "No figures are published for 1999."),
    ],
    ids=[
        "malformed-list", "three-letters", "digit", "seven-states", "short-year",
        "wide-digits", "year-and-text", "unknown-state", "year-without-figures",
    ],
)  # fmt: skip
def test_bad_input_is_answered_on_a_normal_page_never_a_500(
    site_with_states, anonymous, query, status, message
):
    response = anonymous.get(f"/compare/?{query}")

    assert response.status_code == status
    text = page_text(response.content.decode())
    assert message in text
    assert "We could not show that comparison" in text
    assert '<form class="compare-form"' in response.content.decode()


@pytest.mark.django_db
def test_what_a_reader_typed_is_escaped_in_the_message(site_with_states, anonymous):
    response = anonymous.get("/compare/", {"states": "<b>x</b>"})

    assert response.status_code == 400
    assert "<b>x</b>" not in response.content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in response.content.decode()


@pytest.mark.django_db
def test_the_page_shows_only_published_figures(site_with_states, client):
    reports = Metric.objects.get(key=REPORTS)
    make_figure(reports, year=2024, state=State.objects.get(code="MN"), value=777_001, draft=True)

    latest = client.get("/compare/", {"states": "MN"})
    draft = client.get("/compare/", {"states": "MN", "year": "2024"})

    assert latest.context["year"] == 2023
    assert "777,001" not in latest.content.decode()
    assert "2024" not in latest.content.decode()
    assert draft.status_code == 404
    assert "777,001" not in draft.content.decode()


@pytest.mark.django_db
def test_no_states_asked_shows_the_nation_and_the_form(site_with_states, client):
    response = client.get("/compare/")

    assert response.status_code == 200
    assert table_rows(response.content.decode())["Reports received"] == ["36,210,368"]
