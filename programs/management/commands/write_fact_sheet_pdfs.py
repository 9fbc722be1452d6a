import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ncmec_site.site_address import absolute_url
from programs.models import Figure
from programs.reader import catalog, pdf
from programs.reader.fact_sheet import fact_sheet_build, fact_sheet_years
from programs.years import year_argument
from states.naming import StateCodeError, parse_state_codes


def pages_word(count):
    return f"{count} page" if count == 1 else f"{count} pages"


class Command(BaseCommand):
    help = (
        "Write the fact sheet PDF of every state and territory (or of --states) for a "
        "published year, as /states/<slug>/<year>/fact-sheet.pdf serves them: published "
        f"figures only. Prints each one's page count, and fails when one runs over "
        f"{pdf.MAX_PAGES} pages."
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
            "--paper",
            choices=sorted(pdf.PAPERS),
            default=pdf.LETTER,
            help="The paper to lay them out for (default: letter).",
        )
        parser.add_argument(
            "--site-url",
            default=absolute_url(),
            help="The site's address, which the PDFs' links and citations name "
            f"(default: DJANGO_SITE_URL, now {absolute_url()}).",
        )

    def handle(self, *args, year, to, states, paper, site_url, **options):
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
        counts = {}
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
            document = pdf.fact_sheet_pdf(sheet, site_url, paper=paper, font_config=font_config)
            target = folder / pdf.filename(state.slug, year, paper)
            try:
                target.write_bytes(document.content)
            except OSError as error:
                raise CommandError(f"Cannot write {target}: {error.strerror}.") from None
            counts[state.name] = document.pages
            self.stdout.write(f"{done}/{len(chosen)} {target.name}: {pages_word(document.pages)}")
        seconds = time.perf_counter() - started
        self.stdout.write(self.summary(counts, year, paper, folder, seconds))
        over = [f"{name} ({count})" for name, count in counts.items() if count > pdf.MAX_PAGES]
        if over:
            raise CommandError(
                f"{len(over)} of the PDFs run over {pdf.MAX_PAGES} pages: {', '.join(over)}. "
                "A fact sheet is one or two pages: shorten what they print (their programs' "
                "summaries, their metrics' definitions) or the print styles "
                "(static/css/print.css)."
            )

    def summary(self, counts, year, paper, folder, seconds):
        """ "Wrote 56 fact sheet PDFs for 2023 on Letter paper (30 of 1 page, 26 of 2 pages)
        to … in 16.0 s, 0.29 s each." """
        by_pages = {}
        for count in counts.values():
            by_pages[count] = by_pages.get(count, 0) + 1
        spread = ", ".join(f"{n} of {pages_word(p)}" for p, n in sorted(by_pages.items()))
        each = seconds / len(counts) if counts else 0
        line = (
            f"Wrote {len(counts)} fact sheet PDFs for {year} on {pdf.PAPERS[paper]} paper "
            f"({spread}) to {folder} in {seconds:.1f} s, {each:.2f} s each."
        )
        over = any(count > pdf.MAX_PAGES for count in counts.values())
        return self.style.WARNING(line) if over else self.style.SUCCESS(line)

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
