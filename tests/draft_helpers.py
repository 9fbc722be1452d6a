"""What the tests of draft leaks share (tests/test_draft_*.py): the site they read, the
values no reader may see on it, and a response's text as a reader reads it.

The site: the demo's published 2023 edition, a published 2022 figure (so that pages offer a
year selector), a 2024 draft edition (half imported from a file, half entered one by one),
an unpublished program, and corrections staged for the published 2023 edition (a changed
value, a new figure, a changed source) after one published correction.

Its fixtures reach the tests through tests/conftest.py: ``site_with_drafts``, the site built
once per module (``drafts``).
"""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.demo import demo_data_load
from programs.figure_files import read_table
from programs.importing import figures_import
from programs.models import Edition, Figure, Metric
from states.models import State
from tests.conftest import make_figure, make_metric, make_program, once_per_module

DRAFT_YEAR = 2024
# Values no published figure has: each is looked for as "987,654" and as "987654".
IMPORTED = {
    ("US", "cybertipline-reports-received"): 987_654,
    ("MN", "cybertipline-reports-to-law-enforcement"): 876_543,
    ("WI", "cybertipline-reports-to-law-enforcement"): 765_432,
    ("GU", "missing-cases-handled"): 654_321,
}
ENTERED = {
    (None, "team-adam-incidents"): 543_219,
    ("MN", "connect-new-professionals"): 432_198,
    ("TX", "trafficking-agency-engagements"): 321_987,
}
# Corrections to the published 2023 edition, staged and not yet published: a changed
# value, a new figure, and a changed source; and one published correction before them.
STAGED = {
    ("MN", "cybertipline-reports-to-law-enforcement"): 187_654,
    ("WY", "cybertipline-reports-to-law-enforcement"): 176_543,
}
STAGED_SOURCE = "A staged source nobody may read yet"
# An unpublished program's figures, in the published 2023 edition.
HIDDEN_PROGRAM = "Pilot Outreach Program"
HIDDEN_SLUG = "pilot-outreach-program"
HIDDEN = {"national": 219_876, "state": 198_765}
SECRET_VALUES = [*IMPORTED.values(), *ENTERED.values(), *HIDDEN.values(), *STAGED.values()]
SECRET_TEXTS = [
    *(text for value in SECRET_VALUES for text in (f"{value:,}", str(value))),
    HIDDEN_PROGRAM,
    STAGED_SOURCE,
]


def draft_csv():
    lines = ["year,state,metric,value"]
    lines += [f"{DRAFT_YEAR},{code},{key},{value}" for (code, key), value in IMPORTED.items()]
    return ("\n".join(lines) + "\n").encode()


def build_site_with_drafts():
    """The demo, a published 2022 figure, a 2024 draft edition and an unpublished program."""
    demo_data_load(seed_only=True)
    make_figure(
        Metric.objects.get(key="cybertipline-reports-received"),
        year=2022,
        value=32_000_000,
        qualifier=Figure.Qualifier.ROUNDED,
    )
    published = {str(value) for value in Figure.objects.values_list("value", flat=True)}
    assert not published & {f"{value}.00" for value in SECRET_VALUES}

    # The real import path creates the draft edition.
    report = figures_import(
        table=read_table(draft_csv(), file_name="draft-2024.csv"), file_name="draft-2024.csv"
    )
    assert report.ok, report.errors
    assert report.new_editions == [DRAFT_YEAR]
    for (code, key), value in ENTERED.items():
        make_figure(
            Metric.objects.get(key=key),
            year=DRAFT_YEAR,
            state=State.objects.get(code=code) if code else None,
            value=value,
        )
    assert not Edition.objects.get(year=DRAFT_YEAR).is_published
    assert Figure.objects.filter(year=DRAFT_YEAR).count() == len(IMPORTED) + len(ENTERED)

    hidden = make_program(name=HIDDEN_PROGRAM, slug=HIDDEN_SLUG, is_published=False)
    hidden_national = make_metric(
        hidden, key=f"{HIDDEN_SLUG}-national", scope=Metric.Scope.NATIONAL
    )
    make_figure(hidden_national, year=2023, value=HIDDEN["national"])
    make_figure(make_metric(hidden, key=f"{HIDDEN_SLUG}-state"), year=2023, value=HIDDEN["state"])

    # A published correction (so the revision pages are crawled), then staged ones.
    cvip = Figure.objects.get(metric__key="cvip-submissions-reviewed", year=2023)
    proposal = Proposal(cvip.metric, 2023, cvip.state, cvip, value=Decimal(130), qualifier="")
    pending_changes_stage(proposals=[proposal], reason="Published correction")
    pending_changes_publish(year=2023)
    proposals = []
    for (code, key), value in STAGED.items():
        metric, state = Metric.objects.get(key=key), State.objects.get(code=code)
        figure = Figure.objects.filter(metric=metric, year=2023, state=state).first()
        proposals.append(Proposal(metric, 2023, state, figure, value=Decimal(value)))
    team_hope = Figure.objects.get(metric__key="team-hope-survivors-families", year=2023)
    proposals.append(
        Proposal(
            team_hope.metric,
            2023,
            team_hope.state,
            team_hope,
            value=team_hope.value,
            qualifier=team_hope.qualifier,
            source=STAGED_SOURCE,
        )  # fmt: skip
    )
    pending_changes_stage(proposals=proposals, reason="Staged, not published")


drafts = once_per_module(build_site_with_drafts, name="drafts")


@pytest.fixture
def site_with_drafts(drafts, db):
    """The demo, a published 2022 figure, a 2024 draft edition and an unpublished program,
    built once for the module's tests (each test in a savepoint of its own)."""


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable(response):
    """What a reader gets to read: a page's or a download's text (a streamed file read to
    its end; an Excel workbook opened, every cell of every sheet)."""
    if response.get("Content-Type", "").startswith(XLSX):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            "\t".join("" if cell is None else str(cell) for cell in row)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
        )
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def secrets_in(content):
    return [text for text in SECRET_TEXTS if text in content]
