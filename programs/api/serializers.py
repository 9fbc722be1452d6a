"""API objects as dicts, with the keys fields.py documents. Pure functions over objects
already fetched (each view fetches what they need in a fixed number of queries).

``absolute`` turns a site path into an address ("http://host/api/v1/..."), so that the
same functions write the real responses and the /api/ page's examples.
"""

from django.urls import reverse
from django.utils.http import urlencode

from ..models import WorkArea
from ..reader import downloads


def _figures_url(absolute, name, value):
    return absolute(f"{reverse('api:figures')}?{urlencode({name: value})}")


def program(item, absolute, metric_keys):
    """``metric_keys``: the keys of its metrics with published figures."""
    return {
        "slug": item.slug,
        "name": item.name,
        "work_area": item.work_area,
        "work_area_name": WorkArea(item.work_area).label,
        "summary": item.summary,
        "body": item.body,
        "metrics": list(metric_keys),
        "url": absolute(item.get_absolute_url()),
        "api_url": absolute(reverse("api:program", args=[item.slug])),
        "figures_url": _figures_url(absolute, "program", item.slug),
    }


def state(item, absolute):
    return {
        "code": item.code,
        "name": item.name,
        "slug": item.slug,
        "fips_code": item.fips_code,
        "kind": item.kind,
        "url": absolute(item.get_absolute_url()),
        "api_url": absolute(reverse("api:state", args=[item.code])),
        "figures_url": _figures_url(absolute, "state", item.code),
    }


def note(item):
    return {"first_year": item.first_year, "last_year": item.last_year, "text": item.text}


def metric(item, absolute, years, notes):
    """``years``: its published years; ``notes``: its notes (those of a year not
    published say nothing yet and are left out). Reference data (the population) has
    no program and no page: null."""
    years = sorted(years)
    return {
        "key": item.key,
        "label": item.label,
        "program": item.program.slug if item.program else None,
        "scope": item.scope,
        "unit": item.unit,
        "period": item.period,
        "first_year": item.first_year,
        "last_year": item.last_year,
        "parent": item.parent.key if item.parent_id else None,
        "definition": item.definition,
        "notes": [note(n) for n in notes if any(n.applies_to(year) for year in years)],
        "years": years,
        "url": None if item.program is None else absolute(item.get_absolute_url()),
        "api_url": absolute(reverse("api:metric", args=[item.key])),
        "figures_url": _figures_url(absolute, "metric", item.key),
    }


def figure(item, populations):
    """The download's row (the same names as its columns), typed for JSON: the value and
    the rate numbers, and null for the state of a national figure, the program of
    reference data, a revision date or a rate it lacks. ``populations``: those of its
    year, {year: {state id: population}} (reader.rates.populations_by_year)."""
    row = downloads.typed_row(item, populations)
    for name in ("state_code", "state_name", "program", "revised"):
        row[name] = row[name] or None
    return row
