"""Backups of the whole database, and restoring one into an empty database
(docs/operations.md).

PostgreSQL: ``pg_dump``'s custom format, restored by ``pg_restore`` in one transaction
(all or nothing). SQLite: its online backup API, a consistent copy taken while the site
runs. A backup holds every table: the figures and their history, the editions, revision
notes, pending changes, held uploads, users, groups and the publication version.

After a restore the publication version is the backup's, and the cache is told so
(``Publication.announce``): pages stored under any other version, those of the database
the restore replaced among them, are never served as current again.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from . import formatting
from .models import Edition, Figure, HeldUpload, PendingChange, Program, Publication, Revision

POSTGRESQL_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
# What a restore would replace, in the words of the sentence that refuses it.
HELD = (
    (Edition, "edition", "editions"),
    (Program, "program", "programs"),
    (Figure, "figure", "figures"),
    (PendingChange, "pending change", "pending changes"),
    (Revision, "revision note", "revision notes"),
    (HeldUpload, "held upload", "held uploads"),
)


class BackupFailed(Exception):
    """A backup or a restore that could not be done, with a sentence saying why."""


def database_name() -> str:
    return str(connection.settings_dict["NAME"])


def database_backup(*, to: Path) -> int:
    """Write a backup of the whole database to ``to`` (written beside it, then renamed:
    never a partial file under that name); its size in bytes."""
    to = Path(to)
    if not to.parent.is_dir():
        raise BackupFailed(f"There is no folder {to.parent} to write the backup in.")
    partial = to.with_name(f".{to.name}.partial")
    try:
        if connection.vendor == "postgresql":
            _run_client("pg_dump", ["--format=custom", f"--file={partial}"], dbname_flag=None)
        else:
            _sqlite_copy(_sqlite_connection(), partial)
        partial.replace(to)
    finally:
        partial.unlink(missing_ok=True)
    return to.stat().st_size


def database_restore(*, source: Path, force: bool = False) -> Publication:
    """Restore the backup ``source`` into this site's database, which must hold nothing
    (tables freshly migrated are fine) unless ``force``; the publication version restored,
    announced to the cache."""
    source = Path(source)
    _check_backup(source)
    held = database_contents()
    if held and not force:
        raise BackupFailed(
            f"The database “{database_name()}” holds {held}: restoring would replace it. "
            "Restore into an empty database, or pass --force to replace what it holds."
        )
    if connection.vendor == "postgresql":
        _drop_tables()
        connection.close()  # pg_restore needs no session of ours holding the tables
        _run_client(
            "pg_restore",
            ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
            + [str(source)],
            dbname_flag="--dbname",
        )
    else:
        _sqlite_copy(sqlite3.connect(source), _sqlite_connection())
    connection.close()  # forget anything read before the restore
    publication = Publication.current()
    Publication.announce()
    return publication


def database_contents() -> str:
    """What the database holds that a restore would replace, as a phrase ("2 editions, 90
    figures and 3 users"); "" when it holds nothing (no tables, or only the rows the
    migrations make)."""
    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError as error:
        raise BackupFailed(refusal(error)) from None
    if not tables:
        return ""
    models = [*HELD, (get_user_model(), "user", "users")]
    if not {model._meta.db_table for model, *_ in models} & tables:
        others = sorted(tables)
        return f"{len(others)} tables of another application ({', '.join(others[:5])})"
    parts = []
    with connection.cursor() as cursor:
        for model, one, many in models:
            if model._meta.db_table in tables:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                count = cursor.fetchone()[0]
                if count:
                    noun = one if count == 1 else many
                    parts.append(f"{formatting.format_figure(count)} {noun}")
    return formatting.word_list(parts) if parts else ""


def unapplied_migrations() -> int:
    """How many of this release's migrations the restored database lacks (a backup of an
    older release: ``manage.py migrate`` brings it up to date)."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def refusal(error: Exception) -> str:
    """A database error as one sentence: its first line."""
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"The database “{database_name()}” refused: {first}"


def _check_backup(source: Path):
    if not source.is_file():
        raise BackupFailed(f"There is no backup at {source}.")
    with source.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    kinds = {"postgresql": POSTGRESQL_MAGIC, "sqlite": SQLITE_MAGIC}
    kind = next((name for name, magic in kinds.items() if start.startswith(magic)), None)
    names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
    if kind is None:
        raise BackupFailed(
            f"{source} is not a backup this command wrote (neither pg_dump's custom format "
            "nor a SQLite database)."
        )
    if kind != connection.vendor:
        raise BackupFailed(
            f"{source} is a {names[kind]} backup, and this site's database is "
            f"{names.get(connection.vendor, connection.vendor)}: restore it into a "
            f"{names[kind]} database."
        )


def _drop_tables():
    """Empty a PostgreSQL database of its tables, for pg_restore to create them."""
    tables = connection.introspection.table_names()
    if tables:
        names = ", ".join(connection.ops.quote_name(table) for table in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {names} CASCADE")


def _run_client(program: str, options: list[str], *, dbname_flag: str | None):
    """Run pg_dump or pg_restore against this site's database; refusals as BackupFailed."""
    if shutil.which(program) is None:
        raise BackupFailed(
            f"{program} is not installed: install PostgreSQL's client tools "
            "(on Debian, apt install postgresql-client), of the server's version or newer."
        )
    # Django's own translation of the database settings into libpq's (host, port, user,
    # and the password and SSL settings in the environment), as dbshell uses.
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    *where, dbname = args[1:]  # args: psql, then -U, -h, -p as set, then the database
    if dbname_flag is None:  # pg_dump: the database last
        command = [program, *where, *options, dbname]
    else:  # pg_restore: the backup file last
        command = [program, *where, dbname_flag, dbname, *options]
    done = subprocess.run(
        command, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        said = [line for line in done.stderr.strip().splitlines() if line.strip()]
        detail = said[0] if said else f"it stopped with status {done.returncode}"
        raise BackupFailed(f"{program} failed on the database “{dbname}”: {detail}")


def _sqlite_connection():
    connection.ensure_connection()
    return connection.connection


def _sqlite_copy(source, target):
    """Copy a whole SQLite database with its online backup API: a consistent copy even
    while others write (it starts over when they do)."""
    if not isinstance(target, sqlite3.Connection):
        target = sqlite3.connect(target)
    try:
        source.backup(target)
    except sqlite3.Error as error:
        raise BackupFailed(f"SQLite could not copy the database: {error}") from None
