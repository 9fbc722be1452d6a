from django.core.management.base import BaseCommand, CommandError

from programs.demo import DemoDataError, DemoRefused, demo_data_load


class Command(BaseCommand):
    help = (
        "Add what is missing of the demo: NCMEC's programs, metrics, sources and published "
        "figures (the Minnesota 2023 fact sheet, CyberTipline reports 1998-2023, the 50 "
        "states in 2023 with their population). It never changes what is there, and adds "
        "nothing at all once staff have changed the catalogue or figures, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add what is missing even though staff have changed the catalogue or "
            "figures (what is there is still left as it is).",
        )

    def handle(self, *args, force=False, **options):
        try:
            done = demo_data_load(force=force)
        except (DemoDataError, DemoRefused) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(str(done)))
