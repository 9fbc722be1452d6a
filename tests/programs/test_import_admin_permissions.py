"""Who may import and export figures in the admin: the import and export permissions, each
on its own, give the page, the button and the action; staff without them are refused.
"""

import pytest

from tests.programs.import_helpers import (
    EXPORT_URL,
    FIGURES_URL,
    GOOD_ROW,
    IMPORT_URL,
    PROCESS_URL,
    csv_file,
    export,
    staff_with,
    upload,
)


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


# The shared fixtures (tests/programs/import_helpers.py) this module's tests use.


@pytest.fixture
def viewer(client, django_user_model, demo):
    """Staff who may view, add and change figures, but neither import nor export them."""
    return staff_with(client, django_user_model, "view_figure", "add_figure", "change_figure")


def test_staff_without_the_import_permission_is_refused_the_import_page(viewer):
    assert viewer.get(IMPORT_URL).status_code == 403
    assert upload(viewer, csv_file(GOOD_ROW)).status_code == 403


def test_staff_without_the_import_permission_cannot_confirm_an_import(viewer):
    form = {"import_file_name": "x", "original_file_name": "f.csv", "format": "0", "resource": ""}

    assert viewer.post(PROCESS_URL, form).status_code == 403


def test_staff_without_the_import_permission_sees_no_import_button(viewer):
    response = viewer.get(FIGURES_URL)

    assert response.status_code == 200
    assert IMPORT_URL.encode() not in response.content


def test_staff_with_the_import_permission_sees_the_import_button_and_page(importer):
    assert IMPORT_URL.encode() in importer.get(FIGURES_URL).content
    assert importer.get(IMPORT_URL).status_code == 200


def test_staff_without_the_export_permission_is_refused_the_export(viewer):
    assert viewer.get(EXPORT_URL).status_code == 403
    assert export(viewer).status_code == 403
    assert EXPORT_URL.encode() not in viewer.get(FIGURES_URL).content


def test_staff_with_the_export_permission_sees_the_export_button_and_may_export(exporter):
    assert EXPORT_URL.encode() in exporter.get(FIGURES_URL).content

    response = export(exporter)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_import_permission_does_not_allow_export(importer):
    assert export(importer).status_code == 403
