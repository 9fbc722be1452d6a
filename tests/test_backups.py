"""A backup restores into a new database with every public answer byte for byte as it
was, the history, revision notes, users and publication version with it; a restore
over data refuses; and no page from before a restore is served as current after it
(programs/backups.py, docs/operations.md).

The round trip is PostgreSQL's (pg_dump and pg_restore need the data committed, and a
second database): the module's data is committed (tests/committed.py), as in
tests/test_read_snapshot_processes.py. SQLite's round trip goes back into the test's
own database.
"""

import io
import zipfile
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from programs.backups import POSTGRESQL_MAGIC, SQLITE_MAGIC
from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.models import Figure, Metric, Program, Publication, Revision, public_change
from states.models import State
from tests.committed import committed_module_data
from tests.conftest import forget_caches, make_figure, make_metric, make_program

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore: PostgreSQL's backup"
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's online backup API"
)
SLUG, NATIONAL, PER_STATE = "backed-up", "backed-up-reports", "backed-up-cases"


def build():
    """Two published years (2022, 2023) of a program's national and state metrics, a
    published correction of 2023 (its revision note), a correction of 2022 staged and
    not published, and a Publisher."""
    minnesota, wisconsin = State.objects.get(code="MN"), State.objects.get(code="WI")
    program = make_program(slug=SLUG, name="Backed-up program")
    national = make_metric(program, key=NATIONAL, scope=Metric.Scope.NATIONAL)
    per_state = make_metric(program, key=PER_STATE)
    for year in (2022, 2023):
        make_figure(national, year=year, value=1000 + year, source="NCMEC")
        for state in (minnesota, wisconsin):
            make_figure(per_state, year=year, state=state, value=year - 1900, source="NCMEC")
    publisher = get_user_model().objects.create_user("pat", password="not-used-here")
    corrected = Figure.objects.get(metric=per_state, year=2023, state=minnesota)
    pending_changes_stage(
        proposals=[Proposal(per_state, 2023, minnesota, corrected, value=Decimal(150))],
        reason="NCMEC corrected the count",
    )
    pending_changes_publish(year=2023, summary="Minnesota's 2023 count corrected.")
    staged = Figure.objects.get(metric=national, year=2022)
    pending_changes_stage(
        proposals=[Proposal(national, 2022, None, staged, value=Decimal(5), source="NCMEC")],
        user=publisher,
        reason="Staged, not published",
    )
    return Revision.objects.get()


committed_backup_site = committed_module_data(build, name="committed_backup_site")


@pytest.fixture
def transactional_db(committed_backup_site):
    """Stands in for pytest-django's: the test reads the module's committed data (the
    one test of the module that runs on each engine: pytest-django empties the tables
    after it, and the module's data puts them back as the migrations left them)."""


def addresses(revision):
    """Every kind of public page, download and API answer of the data."""
    metric = f"/metrics/{PER_STATE}"
    return [
        "/",
        "/programs/",
        f"/programs/{SLUG}/",
        f"/programs/{SLUG}/2022/",
        "/states/",
        "/states/minnesota/",
        "/states/minnesota/2022/",
        "/states/wisconsin/2023/",
        f"{metric}/",
        f"/metrics/{NATIONAL}/",
        f"{metric}/chart.svg",
        f"{metric}/chart.csv",
        f"{metric}/map.svg?year=2023&measure=count",
        f"/embed{metric}/chart/",
        "/compare/?states=MN,WI&year=2023",
        "/revisions/",
        "/revisions/feed/",
        revision.get_absolute_url(),
        "/search/?q=Minnesota",
        "/sitemap.xml",
        "/data/",
        "/data/figures.csv",
        "/data/figures.json",
        "/data/figures.xlsx",
        "/data/metrics.csv",
        "/data/states.csv",
        "/data/datapackage.json",
        "/api/",
        "/api/v1/openapi.json",
        "/api/v1/programs/",
        f"/api/v1/programs/{SLUG}/",
        "/api/v1/states/",
        "/api/v1/states/MN/",
        "/api/v1/metrics/",
        f"/api/v1/metrics/{PER_STATE}/",
        "/api/v1/figures/",
        "/api/v1/figures/?year=2022",
    ]


def answers(urls):
    """{address: (status, content type, ETag, body)}, every page built afresh."""
    forget_caches()
    reader = Client()
    found = {}
    for url in urls:
        response = reader.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith(".xlsx"):
            body = workbook_parts(body)
        found[url] = (response.status_code, response["Content-Type"], response.get("ETag"), body)
    return found


def workbook_parts(body):
    """An Excel download's files but the one openpyxl writes the time it was made into
    (docProps/core.xml), the zip's own dates aside: a workbook built twice differs in
    those alone."""
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def every_row():
    """{table: its rows in order}: every table of the database, history included."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            rows[table] = cursor.fetchall()
    return rows


@contextmanager
def connected_to(name):
    """Django's connection on another database of the same server, for the block."""
    saved = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved


@contextmanager
def new_database():
    """An empty database beside the test's, dropped after the block; its name."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_answering_every_address_byte_for_byte(
    committed_backup_site, tmp_path
):
    revision = committed_backup_site
    urls = addresses(revision)
    before, rows, version = answers(urls), every_row(), Publication.current()
    assert all(status == 200 for status, *_ in before.values()), {
        url: answer[0] for url, answer in before.items() if answer[0] != 200
    }
    backup = tmp_path / "ncmec.dump"
    call_command("backup_database", backup)
    # After the backup, a publish: readers' pages are cached under the new version.
    with public_change():
        Program.objects.filter(slug=SLUG).update(summary="Written after the backup.")
        Publication.bump()
    assert "Written after the backup." in Client().get(f"/programs/{SLUG}/").text

    with new_database() as name, connected_to(name):
        call_command("restore_database", backup)

        # The page of the later version is in the cache, and is not served as current.
        assert "Written after the backup." not in Client().get(f"/programs/{SLUG}/").text
        restored = Publication.current()
        assert (restored.version, restored.changed_at) == (version.version, version.changed_at)
        assert every_row() == rows  # figures, their history, notes, users, held uploads
        after = answers(urls)
        assert Revision.objects.get().summary == "Minnesota's 2023 count corrected."

        # Over what it holds, with --force: a backup cut short changes nothing, a whole
        # one replaces it.
        cut = tmp_path / "cut.dump"
        cut.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
        with pytest.raises(CommandError, match="^pg_restore failed on the database"):
            call_command("restore_database", cut, force=True)
        assert every_row() == rows
        call_command("restore_database", backup, force=True)
        assert every_row() == rows

    changed = [url for url in urls if after[url] != before[url]]
    assert not changed, f"Answers that differ after the restore: {changed}"


def test_a_restore_over_a_database_with_data_refuses_and_says_what_it_holds(db, tmp_path):
    build()
    backup = tmp_path / "ncmec.backup"  # what it holds is refused before it is read
    magic = POSTGRESQL_MAGIC if connection.vendor == "postgresql" else SQLITE_MAGIC
    backup.write_bytes(magic + bytes(100))

    with pytest.raises(CommandError) as refused:
        call_command("restore_database", backup)

    assert str(refused.value) == (
        f"The database “{connection.settings_dict['NAME']}” holds 2 editions, 1 program, "
        "6 figures, 1 pending change, 1 revision note and 1 user: restoring would replace "
        "it. Restore into an empty database, or pass --force to replace what it holds."
    )


@postgresql_only
def test_a_backup_without_pg_dump_says_so(db, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(CommandError, match="^pg_dump is not installed: install PostgreSQL"):
        call_command("backup_database", tmp_path / "ncmec.dump")

    assert list(tmp_path.iterdir()) == []


@postgresql_only
def test_a_backup_the_database_refuses_says_why_and_leaves_no_file(db, tmp_path, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "ncmec_backup_no_such_database")

    with pytest.raises(CommandError) as refused:
        call_command("backup_database", tmp_path / "ncmec.dump")

    assert str(refused.value).startswith(
        "pg_dump failed on the database “ncmec_backup_no_such_database”: pg_dump: error: "
    )
    assert 'database "ncmec_backup_no_such_database" does not exist' in str(refused.value)
    assert list(tmp_path.iterdir()) == []


@postgresql_only
def test_a_sqlite_backup_is_refused_by_a_postgresql_site(db, tmp_path):
    backup = tmp_path / "ncmec.sqlite3"
    backup.write_bytes(SQLITE_MAGIC + bytes(100))

    with pytest.raises(CommandError) as refused:
        call_command("restore_database", backup, force=True)

    assert str(refused.value) == (
        f"{backup} is a SQLite backup, and this site's database is PostgreSQL: restore it "
        "into a SQLite database."
    )


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_what_was_changed_since(committed_backup_site, tmp_path):
    rows, version = every_row(), Publication.current()
    backup = tmp_path / "ncmec.sqlite3"
    call_command("backup_database", backup)
    with public_change():
        Figure.objects.filter(year=2022).delete()
        Publication.bump()

    with pytest.raises(CommandError, match="holds 2 editions, 1 program, 3 figures"):
        call_command("restore_database", backup)
    call_command("restore_database", backup, force=True)

    assert every_row() == rows
    restored = Publication.current()
    assert (restored.version, restored.changed_at) == (version.version, version.changed_at)
    assert backup.read_bytes().startswith(SQLITE_MAGIC)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_to_where_no_file_can_be_written_says_so_without_a_traceback(tmp_path):
    # /proc takes no new file, even from root; a folder is not a file to replace.
    with pytest.raises(CommandError, match="^SQLite could not copy the database: unable to"):
        call_command("backup_database", "/proc/ncmec.sqlite3")
    folder = tmp_path / "a-folder"
    folder.mkdir()

    with pytest.raises(CommandError) as refused:
        call_command("backup_database", folder, force=True)

    assert str(refused.value) == (f"The backup could not be written to {folder}: Is a directory.")
    assert [path.name for path in tmp_path.iterdir()] == ["a-folder"]
