"""Hostile figure files (issue 11, §3): each refused with a sentence, nothing saved,
nothing held, from the command line and from the admin alike. How fast and in how much
memory: benchmarks/hostile_files.py (not timed here)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from benchmarks import hostile_files
from programs.checks import held_upload_check
from programs.models import HeldUpload
from tests.conftest import figures_snapshot
from tests.programs.import_helpers import GOOD_ROW, IMPORT_URL, confirm, csv_file, upload


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


FORMAT_INDEX = {"csv": 0, "xlsx": 1, "json": 2}


@pytest.fixture(scope="module")
def files():
    return {
        "xlsx-declaring-10m-rows": (hostile_files.xlsx_declaring_rows(), "xlsx", "declares"),
        "xlsx-with-1m-rows": (hostile_files.xlsx_with_rows(1_000_000), "xlsx", "200,000"),
        "xlsx-one-wide-row": (hostile_files.xlsx_one_wide_row(), "xlsx", "1 MB of XML"),
        "xlsx-malformed": (hostile_files.xlsx_malformed(), "xlsx", "not a readable Excel"),
        "json-million-keys": (hostile_files.json_million_keys(), "json", "1,000,000 keys"),
        "json-million-objects": (hostile_files.json_million_objects(), "json", "200,000"),
        "json-deeply-nested": (hostile_files.json_deeply_nested(), "json", "too deeply"),
        "json-long-number": (hostile_files.json_long_number(), "json", "5,001 characters"),
        "csv-blank-lines": (hostile_files.csv_blank_lines(), "csv", "200,000"),
        "csv-wide-row": (hostile_files.csv_wide_row(), "csv", "1,000,000 cells"),
        # PostgreSQL refuses a NUL in text: the confirmation was a 500 (SQLite stored it).
        "json-nul-in-a-note": (
            b'[{"year": "2023", "state": "WI", "metric": "%s", "value": "1200", '
            b'"note": "a\\u0000b"}]' % GOOD_ROW.split(",")[2].encode(),
            "json",
            "Cell 5 of row 1 holds a control character",
        ),
        "csv-bell-in-a-note": (
            csv_file(
                GOOD_ROW + ",,,a\x07b", header="year,state,metric,value,qualifier,source,note"
            ),
            "csv",
            "Cell 7 of row 2 holds a control character",
        ),
    }


NAMES = [
    "xlsx-declaring-10m-rows", "xlsx-with-1m-rows", "xlsx-one-wide-row", "xlsx-malformed",
    "json-million-keys", "json-million-objects", "json-deeply-nested", "json-long-number",
    "csv-blank-lines", "csv-wide-row", "json-nul-in-a-note", "csv-bell-in-a-note",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_a_hostile_file_is_refused_by_the_command_with_a_sentence(
    name, files, tmp_path, demo_draft
):
    data, file_format, words = files[name]
    path = tmp_path / f"hostile.{file_format}"
    path.write_bytes(data)
    before = figures_snapshot()
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import_figures", str(path), stdout=out, stderr=err)

    message = str(refused.value)
    assert words in message
    assert message.endswith("Nothing was saved.")
    assert "Traceback" not in message + out.getvalue() + err.getvalue()
    assert figures_snapshot() == before


@pytest.mark.parametrize("name", NAMES)
def test_a_hostile_file_is_refused_in_the_admin_and_kept_nowhere(name, files, importer):
    data, file_format, words = files[name]
    before = figures_snapshot()

    response = upload(importer, data, f"hostile.{file_format}", FORMAT_INDEX[file_format])

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert any(words in error for error in response.context["form"].errors["import_file"])
    assert figures_snapshot() == before
    assert not HeldUpload.objects.exists()


def test_an_upload_declared_over_the_limit_is_refused_unread_with_the_limit(importer, settings):
    settings.FIGURE_IMPORT_MAX_BYTES = 1_000_000
    before = figures_snapshot()
    data = csv_file(GOOD_ROW) + b"\n" * 3_000_000

    response = upload(importer, data)

    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    assert any("the limit is 1 MB" in error for error in errors)
    assert figures_snapshot() == before
    assert not HeldUpload.objects.exists()


def test_a_50_mb_upload_is_refused_with_a_sentence_not_a_500(importer):
    response = importer.post(
        IMPORT_URL,
        {"format": "0", "import_file": SimpleUploadedFile("big.csv", b"x" * 50_000_000)},
    )

    assert response.status_code == 200
    assert "the limit is 10 MB" in response.content.decode()
    assert not HeldUpload.objects.exists()


def test_a_previewed_upload_is_held_in_the_database_and_removed_on_confirm(importer):
    preview = upload(importer, csv_file(GOOD_ROW))
    assert HeldUpload.objects.count() == 1

    confirm(importer, preview)

    assert not HeldUpload.objects.exists()


def test_an_upload_refused_at_preview_is_not_held(importer):
    upload(importer, csv_file("2023,Atlantis,nothing,5"))

    assert not HeldUpload.objects.exists()


def test_the_deployment_check_warns_when_uploads_are_held_per_process(settings):
    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert [warning.id for warning in held_upload_check()] == ["programs.W002"]


def test_the_deployment_check_is_quiet_with_uploads_held_in_the_database(settings):
    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = "programs.uploads.DatabaseStorage"

    assert held_upload_check() == []
