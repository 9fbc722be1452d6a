import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs.figure_files import ImportFileError, read_table, too_large
from programs.importing import figures_import


class Command(BaseCommand):
    help = (
        "Import annual figures from a CSV, XLSX or JSON file (columns: year, state, metric, "
        "value, and optionally qualifier, source, note). The whole file is saved, or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import; its extension gives its format.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; save nothing."
        )
        parser.add_argument(
            "--format", choices=["csv", "xlsx", "json"], help="Override the file's extension."
        )
        parser.add_argument(
            "--reason",
            default="",
            help="Why figures of a published edition change (required if any do); kept in "
            "their history.",
        )

    def handle(self, *args, file, dry_run, format, reason, **options):
        path = Path(file)
        try:
            size = path.stat().st_size
            if size > settings.FIGURE_IMPORT_MAX_BYTES:  # refused unread
                raise CommandError(f"{path.name}: {too_large(size)} Nothing was saved.")
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            table = read_table(data, file_name=path.name, file_format=format)
        except ImportFileError as error:
            raise CommandError(f"{path.name}: {error} Nothing was saved.") from None
        report = figures_import(
            table=table,
            dry_run=dry_run,
            file_name=path.name,
            reason=reason,
            progress=self.progress,
            checks=True,  # printed below, in a real run too
        )
        for error in report.errors:
            self.stderr.write(f"{path.name}: {error}")
        if not report.ok:
            raise CommandError(report.summary())
        prefix = "Dry run: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{path.name}: {report.summary()}"))
        for flag in report.flags:  # worth a second look; the import stands
            self.stdout.write(self.style.WARNING(f"Check: {flag}"))  # "Check: Row 2: …"

    def progress(self, stage, done, total):
        """A progress line on a terminal; nothing when output goes to a file or a pipe."""
        if not sys.stderr.isatty() or not total:
            return
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(
            f"\r{stage:>8} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
        )
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
