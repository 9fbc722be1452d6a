"""The compare page: up to six states side by side with the nation, for a year.

``/compare/?states=MN,WI,IA&year=2023``. The form on the page sends ``states`` once per
picker (``?states=MN&states=WI``); both spellings are read. Bad input is answered on the
page itself, with the form to mend it: a malformed list, too many states or a year not
written as four digits is a 400; an unknown state or a year without published figures
a 404.
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from states.naming import StateCodeError, parse_state_codes

from ..formatting import word_list
from ..reader import catalog, published, rates
from ..reader.compare import MAX_STATES, compare_figures, comparison
from ..reader.sources import figure_titles, page_sources, population_titles
from ..years import YearError, year_in_query
from .common import visible_programs


class BadQuery(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


def codes_from_query(request):
    """The USPS codes asked for, upper-cased, in order, each once."""
    try:
        codes = parse_state_codes(request.GET.getlist("states"))
    except StateCodeError as error:
        raise BadQuery(400, str(error)) from None
    if len(codes) > MAX_STATES:
        raise BadQuery(400, f"Compare at most {MAX_STATES} states at a time ({len(codes)} asked).")
    return codes


def year_from_query(request):
    try:
        return year_in_query(request.GET)
    except YearError as error:
        raise BadQuery(400, str(error)) from None


def address(codes, year):
    query = {"states": ",".join(codes)} if codes else {}
    if year:
        query["year"] = year
    url = reverse("compare")
    return f"{url}?{urlencode(query, safe=',')}" if query else url


def compare(request):
    states = catalog.states()
    years = catalog.years(request.preview)
    context = {"all_states": states, "years": years, "max_states": MAX_STATES}
    try:
        codes = codes_from_query(request)
        by_code = {state.code: state for state in states}
        unknown = [code for code in codes if code not in by_code]
        if unknown:
            raise BadQuery(
                404, f"There is no state or territory with the code {word_list(unknown)}."
            )
        chosen = [by_code[code] for code in codes]
        year = year_from_query(request)
        if year is None and years:
            year = years[0]
        if year is not None and year not in years:
            raise BadQuery(404, f"No figures are published for {year}.")
    except BadQuery as error:
        context.update(
            error=error.message, title="Compare states", chosen=[], pickers=[None] * MAX_STATES
        )
        return render(request, "programs/compare.html", context, status=error.status)
    figures = compare_figures(request.preview, year=year, states=chosen) if year else []
    # The rates of the chosen states' counts: a query, when there are states to compare.
    populations = rates.reader_populations(request.preview, year) if year and chosen else {}
    programs = visible_programs(request, notes=False)
    groups = comparison(programs, figures, chosen, year, populations) if year else []
    names = word_list([state.name for state in chosen]) if chosen else "states"
    context.update(
        year=year,
        chosen=chosen,
        pickers=chosen + [None] * (MAX_STATES - len(chosen)),
        removals=[
            (state, address([s.code for s in chosen if s != state], year)) for state in chosen
        ],
        groups=groups,
        title=f"Compare {names}" + (f", {year}" if year else ""),
        description=f"NCMEC's figures for {names} side by side with the nation"
        + (f", {year}." if year else "."),
        canonical=address(codes, year),
        # Of the rows shown (not other figures fetched with them), and the populations
        # of the rates they give.
        sources=page_sources(
            figure_titles(
                figure for group in groups for row in group.rows for figure in row.figures
            )
            + population_titles(
                populations,
                {s for group in groups for row in group.rows for s in row.rated_states},
            )
        ),
        publication=published.publication(year, published.on_compare_page(chosen, year)),
    )
    return render(request, "programs/compare.html", context)
