from django.core.management.base import BaseCommand, CommandError

from programs.demo import DemoDataError, demo_data_load


class Command(BaseCommand):
    help = (
        "Add what is missing of the demo: NCMEC's programs, metrics, sources and published "
        "figures (the Minnesota 2023 fact sheet, CyberTipline reports 1998-2023, the 50 "
        "states in 2023 with their population). It never changes what is there, so staff "
        "edits stand."
    )

    def handle(self, *args, **options):
        try:
            done = demo_data_load()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(str(done)))
