import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ncmec_site.site_address import absolute_url
from programs.models import Figure
from programs.reader import catalog, pdf
from programs.reader.fact_sheet import fact_sheet_build, fact_sheet_years
from programs.years import year_argument
from states.naming import StateCodeError, parse_state_codes

BAR_WIDTH = 20


def progress_bar(done, total, label):
    """Like "[#####.....] 28/56 Minnesota"."""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {label}"


class Command(BaseCommand):
    help = (
        "Write the fact sheet PDF of every state and territory (or of --states) for a "
        "published year, as /states/<slug>/<year>/fact-sheet.pdf serves them: published "
        "figures only."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=year_argument, help="A published year, e.g. 2023.")
        parser.add_argument(
            "--to",
            default=None,
            help="The folder to write to, created if need be (default: fact-sheets-YEAR).",
        )
        parser.add_argument(
            "--states",
            default="",
            help="Postal codes, comma-separated (e.g. MN,WI); every state and territory "
            "when left out.",
        )
        parser.add_argument(
            "--site-url",
            default=absolute_url(),
            help="The site's address, which the PDFs' links and printed line name "
            f"(default: DJANGO_SITE_URL, now {absolute_url()}).",
        )

    def handle(self, *args, year, to, states, site_url, **options):
        started = time.perf_counter()
        published = Figure.objects.published().years()
        if year not in published:
            listed = ", ".join(str(y) for y in published) or "none yet"
            raise CommandError(f"No figures are published for {year}. Published years: {listed}.")
        everyone = catalog.states()
        chosen = self.chosen_states(states, everyone)
        folder = self.writable_folder(Path(to or f"fact-sheets-{year}"))
        site_url = site_url if site_url.endswith("/") else site_url + "/"

        programs = catalog.programs(False)  # fetched once for every state
        font_config = pdf.font_configuration()  # fonts loaded once for every PDF
        show_bar = self.stderr.isatty()
        self.stderr.style_func = None  # a progress bar, not an error: no red
        pages = 0
        for done, state in enumerate(chosen, start=1):
            years, state_years = fact_sheet_years(state, False)
            sheet = fact_sheet_build(
                state,
                year,
                preview=False,
                years=years,
                state_years=state_years,
                states=everyone,
                programs=programs,
            )
            document = pdf.fact_sheet_pdf(sheet, site_url, font_config=font_config)
            target = folder / pdf.filename(state.slug, year)
            try:
                target.write_bytes(document.content)
            except OSError as error:
                raise CommandError(f"Cannot write {target}: {error.strerror}.") from None
            pages += document.pages
            if show_bar:
                line = progress_bar(done, len(chosen), state.name)
                self.stderr.write(f"\r{line:<{BAR_WIDTH + 40}}", ending="")
        if show_bar:
            self.stderr.write("")
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(chosen)} fact sheet PDFs for {year} ({pages} pages) to "
                f"{folder} in {seconds:.1f} s."
            )
        )

    def chosen_states(self, states, everyone):
        try:
            codes = parse_state_codes(states)
        except StateCodeError as error:
            raise CommandError(str(error)) from None
        if not codes:
            return everyone
        by_code = {state.code: state for state in everyone}
        unknown = [code for code in codes if code not in by_code]
        if unknown:
            raise CommandError(
                f"Unknown state code{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
                "Use postal codes, like MN,WI."
            )
        return [by_code[code] for code in codes]

    def writable_folder(self, folder):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise CommandError(
                f"Cannot write PDFs to {folder}: {error.strerror or error}."
            ) from None
        return folder.resolve()
