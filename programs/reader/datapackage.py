"""The data package: ``/data/datapackage.json``, a Frictionless Data Package (v2) that
describes the three CSV downloads, their columns, types, keys and how they join, so that
a reader's tools (frictionless, R's frictionless, Data Curator…) load them typed and
checked.

The descriptor holds no figure: only what the site publishes about its files, with the
version and dates of what is published (never of a draft). Two queries.
"""

from django.urls import reverse

from states.models import State

from ..models import Figure, Metric, Publication
from .citation import LICENCE, PUBLISHER, citation, last_published
from .downloads import COLUMNS
from .published import year_publications

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"

TITLE = "NCMEC statistics by program and by US state and territory"

# Where the files are served (views on /data/, built beside this package).
# The resources' URL names (programs/urls.py data_urlpatterns).
PATHS = {
    "figures": "data:figures_csv",
    "metrics": "data:metrics_csv",
    "states": "data:states_csv",
}


def _enum(choices):
    """Only these values; an empty cell (a missing value) is the one choice that is ""."""
    values = [value for value, _label in choices]
    required = "" not in values
    return {"required": required, "enum": [value for value in values if value]}


# The figures file's columns (downloads.COLUMNS) as Table Schema fields: a type, what
# the column holds, and the values it may take.
FIGURE_FIELDS = {
    "year": {
        "type": "integer",
        "description": "The reporting year the figure covers.",
        "constraints": {"required": True},
    },
    "state_code": {
        "type": "string",
        "description": "The jurisdiction's USPS code (states.code); empty for the nation.",
    },
    "state_name": {
        "type": "string",
        "description": "The jurisdiction's name; empty for the nation.",
    },
    "program": {
        "type": "string",
        "description": "The NCMEC program that counts the figure, by its stable name.",
        "constraints": {"required": True},
    },
    "metric_key": {
        "type": "string",
        "description": "What the figure measures (metrics.key).",
        "constraints": {"required": True},
    },
    "metric_label": {"type": "string", "description": "The metric's name for readers."},
    "unit": {
        "type": "string",
        "description": "count, or percent (a value of 19 is 19%).",
        "constraints": _enum(Metric.Unit.choices),
    },
    "period": {
        "type": "string",
        "description": "year: that year alone; to_date: a running total since the program began.",
        "constraints": _enum(Metric.Period.choices),
    },
    "value": {
        "type": "number",
        "description": "The figure, without thousands separators.",
        "constraints": {"required": True},
    },
    "qualifier": {
        "type": "string",
        "description": "Empty when the value is exact; more_than: NCMEC reports “more "
        "than” the value; rounded: NCMEC reports it rounded (e.g. “36.2 million”).",
        "constraints": _enum(Figure.Qualifier.choices),
    },
    "source": {"type": "string", "description": "Where NCMEC published the figure."},
    "note": {"type": "string", "description": "A note on this figure, if any."},
    "revised": {
        "type": "date",
        "description": "The date of the figure's last published revision; empty if none.",
    },
}

METRIC_FIELDS = {
    "key": {"type": "string", "description": "The metric's stable name."},
    "program": {"type": "string", "description": "The program that counts it."},
    "label": {"type": "string", "description": "Its name for readers."},
    "scope": {
        "type": "string",
        "description": "national: figures for the nation only; state: per jurisdiction.",
        "constraints": _enum(Metric.Scope.choices),
    },
    "unit": FIGURE_FIELDS["unit"],
    "period": FIGURE_FIELDS["period"],
    "first_year": {"type": "integer", "description": "The first year it is collected."},
    "last_year": {
        "type": "integer",
        "description": "The last year it was collected; empty while it still is.",
    },
    "definition": {"type": "string", "description": "What is counted."},
    "notes": {"type": "string", "description": "Notes on the metric through the years."},
}

STATE_FIELDS = {
    "code": {
        "type": "string",
        "description": "USPS code.",
        "constraints": {"pattern": "[A-Z]{2}"},
    },
    "fips": {
        "type": "string",
        "description": "Two-digit FIPS code (kept as text: leading zeros).",
        "constraints": {"pattern": "[0-9]{2}"},
    },
    "name": {"type": "string", "description": "The jurisdiction's name."},
    "slug": {"type": "string", "description": "Its name in the site's addresses."},
    "kind": {
        "type": "string",
        "description": "state, district (the District of Columbia) or territory.",
        "constraints": _enum(State.Kind.choices),
    },
}


def _fields(fields, names):
    return [{"name": name, **fields[name]} for name in names]


def _schema(fields, names, primary_key, foreign_keys=()):
    schema = {
        "$schema": SCHEMA_PROFILE,
        "fields": _fields(fields, names),
        "missingValues": [""],
        "primaryKey": list(primary_key),
    }
    if foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [field], "reference": {"resource": resource, "fields": [to]}}
            for field, resource, to in foreign_keys
        ]
    return schema


def _resource(name, title, description, address, schema):
    return {
        "$schema": RESOURCE_PROFILE,
        "name": name,
        "title": title,
        "description": description,
        "path": address,
        "type": "table",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def descriptor(absolute, *, address, retrieved=None):
    """The package descriptor. ``absolute`` turns a site path into an absolute address
    (``request.build_absolute_uri``); ``address`` is the descriptor's own. Two queries:
    the publication version and the published years' dates."""
    version = Publication.current().version
    published = last_published(year_publications())
    package = {
        "$schema": PACKAGE_PROFILE,
        "name": "ncmec-statistics",
        "title": TITLE,
        "description": (
            "Every figure the National Center for Missing & Exploited Children publishes "
            "on this site, by program, metric, year and jurisdiction (national figures "
            "have no state), with the metrics' definitions and the jurisdictions' codes. "
            "Only published figures; a revised figure carries its revision date."
        ),
        "homepage": absolute("/"),
        "version": str(version),
        "licenses": [{**LICENCE, "path": absolute(LICENCE["path"])}],
        "contributors": [
            {"title": PUBLISHER, "path": "https://www.missingkids.org/", "roles": ["publisher"]}
        ],
        "keywords": ["missing children", "child sexual exploitation", "NCMEC", "US states"],
        "citation": citation(TITLE, address, published=published, retrieved=retrieved),
        "resources": [
            _resource(
                "figures",
                "Figures",
                "One row a published figure: a metric's value for a year, for the nation "
                "or a jurisdiction.",
                absolute(reverse(PATHS["figures"])),
                _schema(
                    FIGURE_FIELDS,
                    COLUMNS,
                    ("year", "state_code", "metric_key"),
                    (("state_code", "states", "code"), ("metric_key", "metrics", "key")),
                ),
            ),
            _resource(
                "metrics",
                "Metrics",
                "What each figure measures: one row a metric, with its definition and notes.",
                absolute(reverse(PATHS["metrics"])),
                _schema(METRIC_FIELDS, list(METRIC_FIELDS), ("key",)),
            ),
            _resource(
                "states",
                "States and territories",
                "The 56 jurisdictions, with their USPS and FIPS codes.",
                absolute(reverse(PATHS["states"])),
                _schema(STATE_FIELDS, list(STATE_FIELDS), ("code",)),
            ),
        ],
    }
    if published is not None:
        package["created"] = published.isoformat(timespec="seconds")
    return package
