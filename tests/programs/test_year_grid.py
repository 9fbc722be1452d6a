"""The year's figures at a glance (admin: an edition's "figures" page): what is there,
what is missing and what is flagged, as staff read it before publishing."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.admin import year_grid
from programs.corrections import Proposal, pending_changes_stage
from programs.figure_checks import Flag, year_flags
from programs.models import Edition, Figure, Metric
from states.models import State
from tests.conftest import (
    make_edition,
    make_figure,
    make_metric,
    make_program,
    once_per_module,
    page_text,
)

JUMP = "Reports in the state, Minnesota, 2023: 86,110 is 10.0 times 2022's 8,611"


@once_per_module
def year_data():
    """Two programs: Alpha (two state metrics, one national) and Beta (one state metric).
    2022 and 2023 published, 2024 a draft. Minnesota's reports jump from 8,611 in 2022
    to 86,110 in 2023 (a flag); Wisconsin's 500 has a pending change to 501."""
    alpha = make_program(name="Alpha", slug="alpha", position=1)
    beta = make_program(name="Beta", slug="beta", position=2)
    reports = make_metric(alpha, label="Reports in the state", position=1)
    cases = make_metric(alpha, label="Cases in the state", position=2)
    national = make_metric(alpha, label="Reports nationwide", scope=Metric.Scope.NATIONAL)
    make_metric(beta, label="Beta visits")
    mn, wi = State.objects.get(code="MN"), State.objects.get(code="WI")
    make_figure(reports, year=2022, state=mn, value=8611)
    make_figure(reports, year=2023, state=mn, value=86110)
    wisconsin = make_figure(reports, year=2023, state=wi, value=500)
    make_figure(cases, year=2023, state=mn, value=12)
    make_figure(national, year=2023, value=1000)
    make_edition(2024, published=False)
    make_figure(reports, year=2024, state=mn, value=90000)
    proposal = Proposal(reports, 2023, wi, wisconsin, value=Decimal(501))
    pending_changes_stage(proposals=[proposal], reason="A late count")


pytestmark = pytest.mark.usefixtures("year_data", "db")


def grid_url(year, **query):
    url = reverse("admin:programs_edition_grid", args=[Edition.objects.get(year=year).pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


class _Tables(HTMLParser):
    """The grid's tables (not the admin's menu), as rows of their cells' text."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.inside = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.inside = "year-grid" in (dict(attrs).get("class") or "")
            if self.inside:
                self.tables.append([])
        elif not self.inside:
            return
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def tables(response):
    assert response.status_code == 200
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def grid_rows(response):
    """{first cell: the row's other cells} of the grid of state figures."""
    return {row[0]: row[1:] for row in tables(response)[0] if row}


def test_each_state_has_a_row_and_each_state_metric_a_column_with_figures_and_dashes(
    admin_client,
):
    rows = grid_rows(admin_client.get(grid_url(2023)))

    assert rows["State or territory"] == [
        "Reports in the state", "Cases in the state", "Beta visits", "There",
    ]  # fmt: skip
    assert len([name for name in rows if State.objects.filter(name=name).exists()]) == 56
    assert rows["Minnesota"] == ["86,110 ⚑1", "12", "—", "2 of 3"]
    assert rows["Wisconsin"] == ["500 pending: 501", "—", "—", "1 of 3"]
    assert rows["Alaska"] == ["—", "—", "—", "0 of 3"]


def test_counts_say_how_many_states_have_each_metric_and_the_year_in_all(admin_client):
    response = admin_client.get(grid_url(2023))

    assert grid_rows(response)["There"] == ["2 of 56", "1 of 56", "0 of 56", "3 of 168"]
    assert "3 of 168 state figures there, 165 missing; 1 of 1 national figures there" in (
        page_text(response)
    )


def test_counts_of_a_real_years_scale_are_written_with_thousands_separators(admin_client):
    beta = Metric.objects.get(label="Beta visits").program
    for n in range(16):  # 19 state metrics: 1,064 figures of the 56 states
        make_metric(beta, label=f"Beta metric {n}")

    response = admin_client.get(grid_url(2023))

    assert "3 of 1,064 state figures there, 1,061 missing" in page_text(response)
    assert grid_rows(response)["There"][-1] == "3 of 1,064"


def test_the_programs_group_the_columns_and_the_national_figures_have_a_table(admin_client):
    found = tables(admin_client.get(grid_url(2023)))

    assert found[0][0] == ["", "Alpha", "Beta", ""]
    assert found[1] == [["Metric", "Figure"], ["Alpha"], ["Reports nationwide", "1,000"]]


def test_a_flagged_figure_is_marked_and_its_flag_read_under_the_grid_linked_both_ways(
    admin_client,
):
    response = admin_client.get(grid_url(2023))
    content = response.content.decode()

    assert JUMP in page_text(response)
    assert 'id="flag-1-in-grid" href="#flag-1"' in content
    assert '<li id="flag-1">' in content and 'href="#flag-1-in-grid">Back to its cell' in content
    assert "1 flag." in page_text(response)


def test_a_flag_of_a_metrics_states_together_is_marked_on_the_metrics_heading(
    admin_client, monkeypatch
):
    reports = Metric.objects.get(label="Reports in the state")
    message = "Reports in the state, 2023: the states' sum, 86,610, is over the national total."
    flag = Flag("states-over-national", reports.pk, 2023, None, message)
    monkeypatch.setattr(year_grid, "year_flags", lambda years: {2023: [flag]})

    response = admin_client.get(grid_url(2023))

    assert grid_rows(response)["State or territory"][0] == "Reports in the state ⚑1"
    assert message in page_text(response)


def test_a_year_without_flags_says_so(admin_client):
    text = page_text(admin_client.get(grid_url(2022)))

    assert "no flag" in text and "No figure is flagged." in text


def test_metrics_by_state_turns_the_grid_around(admin_client):
    response = admin_client.get(grid_url(2023, by="metric"))
    rows = grid_rows(response)

    header = rows["Metric"]
    assert header[:3] == ["AL", "AK", "AS"] and header[-1] == "There" and len(header) == 57
    minnesota = header.index("MN")
    assert rows["Reports in the state"][minnesota] == "86,110 ⚑1"
    assert rows["Reports in the state"][-1] == "2 of 56"
    assert rows["Beta visits"][-1] == "0 of 56"
    assert rows["There"][minnesota] == "2 of 3"
    assert rows["Alpha"] == [] and rows["Beta"] == []  # each program heads its metrics
    assert 'aria-current="page">Metrics by state' in response.content.decode()


def test_the_program_filter_shows_that_programs_metrics_and_counts_the_other_flags(
    admin_client,
):
    response = admin_client.get(grid_url(2023, program="beta"))
    text = page_text(response)

    assert grid_rows(response)["State or territory"] == ["Beta visits", "There"]
    assert "0 of 56 state figures there, 56 missing" in text
    assert "No national metric is collected in 2023 under this program." in text
    assert JUMP not in text and "no flag here, 1 in other programs." in text
    assert "1 more flag in other programs: show every program." in text


def test_the_program_filter_keeps_the_grid_turned_around(admin_client):
    response = admin_client.get(grid_url(2023, by="metric", program="alpha"))
    rows = grid_rows(response)

    assert "Beta visits" not in rows and "Reports in the state" in rows
    assert '/figures/?by=metric">Every program' in response.content.decode()


def test_an_unknown_program_says_so_and_shows_every_program(admin_client):
    response = admin_client.get(grid_url(2023, program="<nope>"))

    assert "No program “<nope>” has metrics in 2023: every program is shown." in (
        page_text(response)
    )
    assert "Beta visits" in grid_rows(response)["State or territory"]


def test_a_published_year_shows_the_published_figure_and_marks_the_pending_one(admin_client):
    text = page_text(admin_client.get(grid_url(2023)))

    assert "2023 is published: each cell is the figure readers see." in text
    assert "1 pending change here." in text


def test_a_draft_year_says_readers_see_none_of_it(admin_client):
    response = admin_client.get(grid_url(2024))

    assert "2024 is a draft: readers see none of these figures" in page_text(response)
    assert grid_rows(response)["Minnesota"][0] == "90,000"


def test_the_edition_and_the_editions_list_link_to_the_grid(admin_client):
    edition = Edition.objects.get(year=2023)
    url = grid_url(2023)

    change = admin_client.get(reverse("admin:programs_edition_change", args=[edition.pk]))
    listing = admin_client.get(reverse("admin:programs_edition_changelist"))

    assert f'<a href="{url}">The year\'s figures: what is there, missing and flagged</a>' in (
        change.content.decode().replace("&#x27;", "'")
    )
    assert f'<a href="{url}">What is missing</a>' in listing.content.decode()


def test_the_grid_leads_to_the_years_next_steps_for_whoever_may_take_them(editor, publisher):
    draft_for_editor = page_text(editor.get(grid_url(2024)))
    draft_for_publisher = page_text(publisher.get(grid_url(2024)))
    pending_for_publisher = page_text(publisher.get(grid_url(2023)))
    done_for_publisher = page_text(publisher.get(grid_url(2022)))

    assert "Import figures" in draft_for_editor and "Publish 2024…" not in draft_for_editor
    assert "Import figures" in draft_for_publisher and "Publish 2024…" in draft_for_publisher
    assert "Publish its pending changes…" in pending_for_publisher
    assert "Publish" not in done_for_publisher.replace("Publisher", "")


def test_an_import_ends_with_a_link_to_the_grid_of_each_year_it_touched(editor, tmp_path):
    csv = tmp_path / "mn-2024.csv"
    csv.write_text(
        "year,state,metric,value\n2024,WI,"
        f"{Metric.objects.get(label='Reports in the state').key},700\n"
    )
    with csv.open("rb") as upload:
        preview = editor.post(
            reverse("admin:programs_figure_import"), {"import_file": upload, "format": 0}
        )
    confirm = preview.context["confirm_form"].initial
    done = editor.post(reverse("admin:programs_figure_process_import"), confirm, follow=True)

    assert "1 new figure saved in the draft 2024 edition" in page_text(done)
    assert f'<a href="{grid_url(2024)}">See 2024: what is there, missing and flagged.</a>' in (
        done.content.decode()
    )


# Who may see it


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(grid_url(2023))

    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_staff_who_may_not_view_figures_are_refused(staff):
    assert staff.get(grid_url(2023)).status_code == 403


def test_staff_who_may_view_figures_see_it(staff):
    staff.user.user_permissions.add(Permission.objects.get(codename="view_figure"))

    assert "Reports in the state" in grid_rows(staff.get(grid_url(2023)))["State or territory"]


@pytest.mark.parametrize("role", ["editor", "publisher"])
def test_editors_and_publishers_see_it(role, request):
    assert request.getfixturevalue(role).get(grid_url(2024)).status_code == 200


def test_an_edition_that_does_not_exist_is_not_found(admin_client):
    url = reverse("admin:programs_edition_grid", args=[999_999])

    assert admin_client.get(url).status_code == 404


# Queries

# Besides the figure checks' own, for a superuser (who has every permission without
# reading any): the session, the user, the edition, the metrics, the states, the
# figures, the pending changes.
GRID_QUERIES = 7


def test_the_grid_reads_a_year_of_56_states_in_as_many_queries_as_one_of_2(admin_client):
    metric = make_metric(label="Everywhere", first_year=2019)
    states = list(State.objects.all())
    for state in states[:2]:
        make_figure(metric, year=2019, state=state, value=5)
    for state in states:
        make_figure(metric, year=2020, state=state, value=5)
        make_figure(metric, year=2021, state=state, value=50)  # 56 flags
    admin_client.get(grid_url(2019))  # warm any per-process caches before counting

    counts = {}
    for year in (2019, 2021):
        url = grid_url(year)
        with CaptureQueriesContext(connection) as checks:
            year_flags([year])
        with CaptureQueriesContext(connection) as page:
            response = admin_client.get(url)
        assert response.status_code == 200
        counts[year] = len(page) - len(checks)

    assert counts == {2019: GRID_QUERIES, 2021: GRID_QUERIES}
    assert Figure.objects.filter(year=2021).count() == 56
    assert "56 flags" in page_text(response)
