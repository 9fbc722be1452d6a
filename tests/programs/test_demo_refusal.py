"""The demo writes nothing into a record staff have changed (issue 24): load_demo_data
refuses, saying why, unless --force; `dev.py serve` then serves the database as it is."""

import io
import os
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

import dev
from programs.demo import demo_refusal
from programs.models import Program, Publication, public_change

pytestmark = pytest.mark.django_db

REFUSED = (
    "The catalogue has been changed by staff (1 change to programs, by publishers): the "
    "demo adds nothing. Run load_demo_data with --force to add what is missing anyway."
)


def load(*args):
    out = io.StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue().strip()


def every_table():
    """Each table's row count, and the publication version: any write changes one."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts, Publication.current().token


def rename(slug, to, *, user, name=None):
    """What the admin does when a Publisher saves a program with a new slug (and name)."""
    with public_change(user=user):
        program = Program.objects.get(slug=slug)
        program.slug, program.name = to, name or program.name
        program._history_user = user  # as simple-history's middleware records the admin's
        program.save()


def test_a_publisher_renaming_team_adams_slug_makes_the_demo_write_nothing(publisher):
    load()
    rename("team-adam", "team-adam-search", name="Team Adam search", user=publisher.user)
    before = every_table()

    with pytest.raises(CommandError) as refused:
        load()

    assert str(refused.value) == REFUSED
    assert every_table() == before
    assert not Program.objects.filter(slug="team-adam").exists()


def test_told_to_the_demo_adds_what_is_missing_and_leaves_staffs_edits(publisher):
    load()
    rename("team-adam", "team-adam-search", name="Team Adam search", user=publisher.user)

    said = load("--force")

    assert said.startswith("Demo data: created 1 program; 7 programs, 55 metrics")
    assert Program.objects.get(slug="team-adam-search").name == "Team Adam search"
    assert Program.objects.get(slug="team-adam").metrics.count() == 0  # its metrics stay


def test_a_fresh_database_and_one_with_the_demo_alone_are_not_refused():
    assert demo_refusal() is None
    load()
    assert demo_refusal() is None
    assert load().startswith("Demo data: nothing to add;")


def test_an_editors_staged_change_and_a_commands_import_are_staff_changes_too(editor, tmp_path):
    load()
    figures = tmp_path / "figures-2023.csv"
    figures.write_text("year,state,metric,value\n2023,MN,cvip-submissions-reviewed,130\n")
    call_command("import_figures", str(figures), reason="Corrected", stdout=io.StringIO())
    with public_change(user=editor.user):  # a draft program, as an Editor may add one
        draft = Program(name="Missing Child Alerts", slug="alerts", work_area=1, summary="…")
        draft._history_user = editor.user
        draft.save()

    assert demo_refusal() == (
        "The catalogue has been changed by staff (1 change to programs, by editors; "
        "1 staged change): the demo adds nothing. Run load_demo_data with --force to add "
        "what is missing anyway."
    )


# `dev.py serve`, on real SQLite files: migrated here once, each test on a copy.
@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "migrated.sqlite3"
    manage("migrate", "-v", "0", env=sqlite_env(path))
    return path


@pytest.fixture
def database(migrated, tmp_path):
    path = tmp_path / "db.sqlite3"
    path.write_bytes(migrated.read_bytes())
    return path


def sqlite_env(path):
    """The environment of `dev.py serve` on the SQLite file ``path`` (DATABASE_URL is for
    PostgreSQL; the decision, demo_refusal, reads the same on both)."""
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    return {**env, "DJANGO_SETTINGS_MODULE": "ncmec_site.settings.dev",
            "DJANGO_SQLITE_PATH": str(path)}  # fmt: skip


def manage(*args, env):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR,
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done


def tables(path):
    """Each table's row count in the SQLite file."""
    with sqlite3.connect(path) as db:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def test_dev_serve_loads_the_demo_into_an_empty_database_and_again_changes_nothing(
    database, capfd
):
    env = sqlite_env(database)

    assert dev.demo_load(sys.executable, env) is True
    loaded = tables(database)
    assert dev.demo_load(sys.executable, env) is True

    assert loaded["programs_program"] == 8 and loaded["programs_figure"] == 266
    assert tables(database) == loaded
    assert "Demo data: nothing to add;" in capfd.readouterr().out


def test_dev_serve_serves_a_database_with_staff_changes_without_loading_and_says_so(
    database, tmp_path, capfd
):
    env = sqlite_env(database)
    figures = tmp_path / "figures-2024.csv"
    figures.write_text("year,state,metric,value\n2024,MN,cvip-submissions-reviewed,140\n")
    manage("load_demo_data", env=env)
    manage("import_figures", str(figures), "--reason", "NCMEC's 2024 count", env=env)
    before = tables(database)
    capfd.readouterr()

    assert dev.demo_load(sys.executable, env) is False

    assert tables(database) == before
    said = capfd.readouterr()
    assert "The catalogue has been changed by staff (2 changes to editions and figures, by a " in (
        said.err
    )
    assert "The demo was not loaded (above): serving the database as it is." in said.out
