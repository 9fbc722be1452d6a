"""Backups of the whole database, and restoring one into an empty database
(docs/operations.md).

PostgreSQL: ``pg_dump``'s custom format, restored by ``pg_restore`` and ``psql`` in one
transaction (all or nothing). SQLite: its online backup API, a consistent copy taken
while the site runs. A backup holds every table: the figures and their history, the
editions, revision notes, pending changes, held uploads, users, groups and the
publication version.

After a restore the publication version is the backup's, and the cache is told so
(``Publication.announce``): pages stored under any other version, those of the database
the restore replaced among them, are never served as current again.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
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
            _postgresql_backup(partial)
        else:
            if not Path(database_name()).is_file() and not connection.is_in_memory_db():
                raise BackupFailed(f"There is no database at {database_name()} to back up.")
            _sqlite_copy(_sqlite_connection(), partial)
        partial.replace(to)
    except OSError as error:  # a folder not writable, a directory under that name
        raise BackupFailed(f"The backup could not be written to {to}: {error.strerror}.") from None
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
        _postgresql_restore(source)
    else:
        with closing(sqlite3.connect(source)) as backup:
            _sqlite_copy(backup, _sqlite_connection())
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


def _postgresql_restore(source: Path):
    """Drop the tables there, then make and fill the backup's, in one transaction: psql
    runs the script pg_restore writes, and is told to commit only once pg_restore has
    written all of it without an error. A restore that fails leaves the database as it
    was, even with --force."""
    tables = connection.introspection.table_names()
    quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
    connection.close()  # no session of ours holds the tables
    where, dbname, env = _client_settings()
    script = _client(
        "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--file=-", source
    )
    psql = _client("psql", *where, "--dbname", dbname, "--quiet", "--no-psqlrc")
    psql += ["--set=ON_ERROR_STOP=1", "--output=/dev/null"]
    pipe, quiet = subprocess.PIPE, subprocess.DEVNULL
    with (
        subprocess.Popen(script, stdout=pipe, stderr=pipe) as writer,
        subprocess.Popen(
            psql, stdin=pipe, stdout=quiet, stderr=pipe, env=env, bufsize=0
        ) as reader,
    ):
        try:
            reader.stdin.write(b"BEGIN;\n")
            if tables:
                reader.stdin.write(f"DROP TABLE IF EXISTS {quoted} CASCADE;\n".encode())
            shutil.copyfileobj(writer.stdout, reader.stdin)
            if writer.wait() == 0:
                reader.stdin.write(b"COMMIT;\n")
            reader.stdin.close()
        except BrokenPipeError:  # psql stopped at an error, which it says below
            writer.kill()
        written, read = writer.stderr.read(), reader.stderr.read()
    if writer.returncode != 0 and written:
        _failed("pg_restore", dbname, written.decode(errors="replace"), writer.returncode)
    if reader.returncode != 0 or writer.returncode != 0:
        _failed("pg_restore", dbname, read.decode(errors="replace"), reader.returncode)


def _client_settings():
    """Where the database is for libpq (-U, -h, -p as set), its name, and the environment
    (the password, SSL): Django's own translation of its settings, as dbshell uses."""
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    *where, dbname = args[1:]  # args: psql, the options, the database
    return where, dbname, {**os.environ, **(env or {})}


def _client(program: str, *arguments) -> list[str]:
    """A PostgreSQL client tool's command line, or BackupFailed when it is not installed."""
    if shutil.which(program) is None:
        raise BackupFailed(
            f"{program} is not installed: install PostgreSQL's client tools "
            "(on Debian, apt install postgresql-client), of the server's version or newer."
        )
    return [program, *map(str, arguments)]


def _postgresql_backup(to: Path):
    where, dbname, env = _client_settings()
    command = _client("pg_dump", *where, "--format=custom", f"--file={to}", dbname)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        _failed("pg_dump", dbname, done.stderr, done.returncode)


def _failed(program, dbname, stderr, returncode):
    said = [line for line in stderr.strip().splitlines() if line.strip()]
    detail = said[0] if said else f"it stopped with status {returncode}"
    raise BackupFailed(f"{program} failed on the database “{dbname}”: {detail}")


def _sqlite_connection():
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise BackupFailed(refusal(error)) from None
    return connection.connection


def _sqlite_copy(source, target):
    """Copy a whole SQLite database with its online backup API: a consistent copy even
    while others write (it starts over when they do)."""
    opened = None
    try:
        if not isinstance(target, sqlite3.Connection):
            opened = sqlite3.connect(target)  # a file it cannot open is refused here
        source.backup(opened or target)
    except sqlite3.Error as error:
        raise BackupFailed(f"SQLite could not copy the database: {error}") from None
    finally:
        if opened is not None:
            opened.close()
