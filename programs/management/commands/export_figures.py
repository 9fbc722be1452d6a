from django.core.management.base import BaseCommand, CommandError
from import_export.formats import base_formats

from programs.models import Figure, Program
from programs.resources import FigureResource
from programs.years import year_argument
from states.models import State
from states.naming import names_the_nation

FORMATS = {"csv": base_formats.CSV, "xlsx": base_formats.XLSX, "json": base_formats.JSON}


class Command(BaseCommand):
    help = "Export figures in the import format (CSV by default) to standard output or a file."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=year_argument, help="Only this year.")
        parser.add_argument("--state", help="Only this state (USPS code or name); US: national.")
        parser.add_argument("--program", help="Only this program (its slug).")
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
        parser.add_argument("--output", "-o", help="Write to this file instead of the screen.")

    def handle(self, *args, year, state, program, format, output, **options):
        figures = Figure.objects.all()
        if year:
            figures = figures.for_year(year)
        if state:
            if names_the_nation(state):
                figures = figures.national()
            else:
                found = State.objects.lookup(state)
                if found is None:
                    raise CommandError(f"Unknown state “{state}”: use a USPS code or a name.")
                figures = figures.for_state(found)
        if program:
            found = Program.objects.filter(slug=program).first()
            if found is None:
                slugs = ", ".join(Program.objects.values_list("slug", flat=True))
                raise CommandError(f"Unknown program “{program}”. Programs: {slugs}.")
            figures = figures.for_program(found)
        file_format = FORMATS[format]()
        if file_format.is_binary() and not output:
            raise CommandError(f"{format.upper()} is a binary format: give --output FILE.")
        dataset = FigureResource().export(figures)
        data = file_format.export_data(dataset)
        if not output:
            self.stdout.write(data, ending="")
            return
        if file_format.is_binary():
            with open(output, "wb") as file:
                file.write(data)
        else:
            with open(output, "w", newline="", encoding="utf-8") as file:
                file.write(data)
        self.stderr.write(f"Wrote {len(dataset)} figures to {output}.")
