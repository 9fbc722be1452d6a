"""What every public view shares: the reader's programs and the year asked for."""

from django.http import Http404

from ..reader import catalog


def visible_programs(request, *, notes=True):
    """The reader's programs (a list) with their metrics and (unless ``notes`` is false)
    the metrics' dated notes."""
    return catalog.programs(request.preview, notes=notes)


def year_from_query(request):
    """The ?year= of a year selector, or None; anything but a plain year (four digits, no
    leading zero: the year addresses take no other) is a 404."""
    raw = request.GET.get("year")
    if raw is None:
        return None
    if not (len(raw) == 4 and raw.isascii() and raw.isdigit() and raw[0] != "0"):
        raise Http404("The year must be written as four digits, like 2023.")
    return int(raw)


def pick_year(years, year):
    """The year asked for if it has published figures, the latest if none was asked for."""
    if year is None:
        return years[0] if years else None
    if year not in years:
        raise Http404(f"No figures are published for {year}.")
    return year
