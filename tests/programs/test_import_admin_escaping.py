"""Text from an imported file in the admin is escaped wherever it is shown: a bad row, the
file's name in the preview, a note in the preview, the list and the change page (and
stored verbatim).
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from programs.models import Figure
from tests.programs.import_helpers import (
    GOOD_ROW,
    HEADER,
    REPORTS,
    SCRIPT,
    confirm,
    csv_file,
    upload,
)


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


# The shared fixtures (tests/programs/import_helpers.py) this module's tests use.


def test_markup_in_a_bad_row_is_shown_escaped(importer):
    response = upload(importer, csv_file(f"2023,{SCRIPT},{SCRIPT},5"))

    page = response.content.decode()
    assert SCRIPT not in page
    assert escape(f"unknown state “{SCRIPT}”") in page


def test_markup_in_the_file_name_is_shown_escaped_in_the_preview(importer):
    name = "<img src=x onerror=alert(1)>.csv"

    response = upload(importer, csv_file(GOOD_ROW), name)

    page = response.content.decode()
    assert "<img src=x" not in page
    assert f"Preview of {escape(name)}" in page


def test_a_note_with_markup_is_stored_verbatim_and_shown_escaped(importer):
    data = csv_file(f"{GOOD_ROW},{SCRIPT}", header=f"{HEADER},note")

    preview = upload(importer, data)
    list_page = confirm(importer, preview)

    saved = Figure.objects.get(metric__key=REPORTS, state__code="WI")
    assert saved.note == SCRIPT
    change_page = importer.get(reverse("admin:programs_figure_change", args=[saved.pk]))
    for page in (preview, list_page, change_page):
        assert SCRIPT.encode() not in page.content
    assert escape(SCRIPT).encode() in change_page.content
