"""The data package: ``/data/datapackage.json``, a Frictionless Data Package (v2) that
describes the three CSV downloads, their columns, types, keys and how they join, so that
a reader's tools (frictionless, R's frictionless, Data Curator…) load them typed and
checked.

The descriptor holds no figure: only what the site publishes about its files, with the
version and dates of what is published (never of a draft). Two queries.
"""

from django.urls import reverse

from states.models import State

from ..formatting import data_datetime
from ..models import Figure, Metric
from . import data_page
from .citation import LICENCE, PUBLISHER, citation
from .downloads import COLUMNS
from .published import last_changed

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


# The files' columns as Table Schema fields: a type and the values each may take. What a
# column holds is said once, in programs.field_meanings, and read here through the /data/
# page's columns (reader.data_page), which the API's fields read too.
FIGURE_FIELDS = {
    "year": {
        "type": "integer",
        "constraints": {"required": True},
    },
    "state_code": {
        "type": "string",
    },
    "state_name": {
        "type": "string",
    },
    "program": {
        "type": "string",  # empty for reference data (the population)
    },
    "metric_key": {
        "type": "string",
        "constraints": {"required": True},
    },
    "metric_label": {"type": "string"},
    "unit": {
        "type": "string",
        "constraints": _enum(Metric.Unit.choices),
    },
    "period": {
        "type": "string",
        "constraints": _enum(Metric.Period.choices),
    },
    "value": {
        "type": "number",
        "constraints": {"required": True},
    },
    "qualifier": {
        "type": "string",
        "constraints": _enum(Figure.Qualifier.choices),
    },
    "source": {"type": "string"},
    "note": {"type": "string"},
    "revised": {
        "type": "date",
    },
    "rate_per_100k": {
        "type": "number",
        "constraints": {"minimum": 0},
    },
}

METRIC_FIELDS = {
    "key": {"type": "string"},
    "program": {"type": "string"},
    "label": {"type": "string"},
    "scope": {
        "type": "string",
        "constraints": _enum(Metric.Scope.choices),
    },
    "unit": FIGURE_FIELDS["unit"],
    "period": FIGURE_FIELDS["period"],
    "first_year": {"type": "integer"},
    "last_year": {
        "type": "integer",
    },
    "definition": {"type": "string"},
    "notes": {"type": "string"},
}

STATE_FIELDS = {
    "code": {
        "type": "string",
        "constraints": {"pattern": "[A-Z]{2}"},
    },
    "fips": {
        "type": "string",
        "constraints": {"pattern": "[0-9]{2}"},
    },
    "name": {"type": "string"},
    "slug": {"type": "string"},
    "kind": {
        "type": "string",
        "constraints": _enum(State.Kind.choices),
    },
}


def _fields(fields, names, columns):
    """Table Schema fields for ``names``: each one's type and constraints from ``fields``,
    its description from the /data/ page's ``columns`` (reader.data_page)."""
    meanings = {column.name: column.meaning for column in columns}
    return [{"name": name, **fields[name], "description": meanings[name]} for name in names]


def _schema(fields, names, columns, primary_key, foreign_keys=()):
    schema = {
        "$schema": SCHEMA_PROFILE,
        "fields": _fields(fields, names, columns),
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


def descriptor(absolute, *, address, version, retrieved=None):
    """The package descriptor. ``absolute`` turns a site path into an absolute address
    (``ncmec_site.site_address.absolute_url``); ``address`` is the descriptor's own;
    ``version`` the publication version it describes. One query: the published years'
    dates."""
    published = last_changed()
    package = {
        "$schema": PACKAGE_PROFILE,
        "name": "ncmec-statistics",
        "title": TITLE,
        "description": (
            "Every figure the National Center for Missing & Exploited Children publishes "
            "on this site, by program, metric, year and jurisdiction (national figures "
            "have no state), with the metrics' definitions and the jurisdictions' codes, "
            "and the states' population (no program's: metric “population”) that each "
            "rate per 100,000 residents is of. Only published figures; a revised figure "
            "carries its revision date."
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
                    data_page.FIGURE_COLUMNS,
                    ("year", "state_code", "metric_key"),
                    (("state_code", "states", "code"), ("metric_key", "metrics", "key")),
                ),
            ),
            _resource(
                "metrics",
                "Metrics",
                "What each figure measures: one row a metric, with its definition and notes.",
                absolute(reverse(PATHS["metrics"])),
                _schema(METRIC_FIELDS, list(METRIC_FIELDS), data_page.METRIC_COLUMNS, ("key",)),
            ),
            _resource(
                "states",
                "States and territories",
                "The 56 jurisdictions, with their USPS and FIPS codes.",
                absolute(reverse(PATHS["states"])),
                _schema(STATE_FIELDS, list(STATE_FIELDS), data_page.STATE_COLUMNS, ("code",)),
            ),
        ],
    }
    if published is not None:
        package["created"] = data_datetime(published)
    return package
