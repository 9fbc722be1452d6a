from django.core.management.base import BaseCommand

from programs.models import Publication


class Command(BaseCommand):
    help = (
        "Print the publication version: it goes up with every change readers see. A cache "
        "in front (a CDN) is purged when it differs from the last one printed "
        "(docs/production.md)."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(Publication.current().version))
