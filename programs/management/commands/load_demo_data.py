from django.core.management.base import BaseCommand

from programs.demo import demo_data_load


class Command(BaseCommand):
    help = (
        "Load NCMEC's programs, metrics and the figures of the Minnesota 2023 fact sheet. "
        "Safe to run again: it changes nothing the second time."
    )

    def handle(self, *args, **options):
        counts = demo_data_load()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded: {programs} programs, {metrics} metrics, "
                "{figures} figures.".format(**counts)
            )
        )
