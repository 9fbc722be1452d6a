from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.backups import BackupFailed, database_backup, database_name


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database to a file: on PostgreSQL pg_dump's custom "
        "format, on SQLite a copy made with its online backup API. It holds everything: "
        "figures and their history, editions, revision notes, pending changes, held "
        "uploads, users and groups (docs/operations.md). restore_database brings it back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", type=Path, help="The file to write, e.g. ncmec-2026-12-07.dump."
        )
        parser.add_argument(
            "--force", action="store_true", help="Replace the file if it exists already."
        )

    def handle(self, *args, path, force, **options):
        if path.exists() and not force:
            raise CommandError(f"{path} exists already: name another file, or pass --force.")
        try:
            size = database_backup(to=path)
        except BackupFailed as failure:
            raise CommandError(str(failure)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the database “{database_name()}” to {path} ({size:,} bytes)."
            )
        )
