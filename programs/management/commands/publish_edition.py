from django.core.management.base import BaseCommand, CommandError

from programs.corrections import pending_changes_publish
from programs.models import Edition
from programs.publishing import PublishingRefused, edition_publish, plural
from programs.years import year_argument


class Command(BaseCommand):
    help = (
        "Publish a reporting year: a draft edition becomes public, or a published edition's "
        "pending changes become public with a revision note. What the admin's Publish "
        "action does, from the command line."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=year_argument, help="The edition's year, e.g. 2024.")
        parser.add_argument(
            "--reason",
            default="",
            help="Kept in the edition's history; for pending changes, shown to readers at "
            "the top of the revision note.",
        )

    def handle(self, *args, year, reason, **options):
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            years = ", ".join(str(y) for y in Edition.objects.values_list("year", flat=True))
            raise CommandError(f"There is no {year} edition. Editions: {years or 'none yet'}.")
        if not edition.is_published:
            if edition_publish(edition=edition, reason=reason.strip() or "Published"):
                self.stdout.write(self.style.SUCCESS(f"Published the {year} edition."))
            else:  # published by someone else since it was read
                self.stdout.write(f"The {year} edition was already published.")
            return
        try:
            revision = pending_changes_publish(year=year, summary=reason)
        except PublishingRefused as refusal:
            raise CommandError(str(refusal)) from None
        if revision is None:
            self.stdout.write(
                f"The {year} edition is already published and has no pending changes: "
                "nothing to publish."
            )
            return
        changed = plural(revision.figures.count(), "figure")
        self.stdout.write(
            self.style.SUCCESS(
                f"Published the pending changes of {year}: {changed} revised, with the "
                f"revision note at {revision.get_absolute_url()}."
            )
        )
