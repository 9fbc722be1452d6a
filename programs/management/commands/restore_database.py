from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.backups import (
    BackupFailed,
    database_contents,
    database_name,
    database_restore,
    unapplied_migrations,
)
from programs.publishing import plural


class Command(BaseCommand):
    help = (
        "Restore a backup that backup_database wrote into this site's database, which must "
        "be empty (or only migrated) unless --force. The publication version is the "
        "backup's, and the cache is told so: no page from before the restore is served as "
        "current (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database holds (its figures, history, notes and users).",
        )

    def handle(self, *args, path, force, **options):
        try:
            publication = database_restore(source=path, force=force)
        except BackupFailed as failure:
            raise CommandError(str(failure)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path} into the database “{database_name()}”: "
                f"{database_contents() or 'nothing'}, publication version {publication.version}."
            )
        )
        missing = unapplied_migrations()
        if missing:
            self.stdout.write(
                f"The backup predates {plural(missing, 'migration')} of this release: run "
                "manage.py migrate."
            )
