from django.core.management.base import BaseCommand

from programs.publishing import editions_publish_due


class Command(BaseCommand):
    help = (
        "Publish every draft edition whose scheduled time has come. Meant for cron, e.g. "
        "every five minutes; running it when nothing is due does nothing."
    )

    def handle(self, *args, **options):
        years = editions_publish_due()
        if years:
            self.stdout.write(
                self.style.SUCCESS(f"Published: {', '.join(str(y) for y in years)}.")
            )
        elif options["verbosity"] > 1:
            self.stdout.write("Nothing is due.")
