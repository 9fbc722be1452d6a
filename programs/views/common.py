"""What every public view shares: the reader's programs and the year asked for."""

from django.core.exceptions import BadRequest
from django.http import Http404

from ..reader import catalog
from ..years import YearError, year_in_query


def visible_programs(request, *, notes=True):
    """The reader's programs (a list) with their metrics and (unless ``notes`` is false)
    the metrics' dated notes."""
    return catalog.programs(request.preview, notes=notes)


def year_from_query(request):
    """The ?year= of a year selector or a map, or None (none, or an empty one, asked
    for); a malformed year is a 400, with the 400 page saying so (programs.years)."""
    try:
        return year_in_query(request.GET)
    except YearError as error:
        raise BadRequest(str(error)) from None


def pick_year(years, year):
    """The year asked for if it has published figures, the latest if none was asked for."""
    if year is None:
        return years[0] if years else None
    if year not in years:
        raise Http404(f"No figures are published for {year}.")
    return year
