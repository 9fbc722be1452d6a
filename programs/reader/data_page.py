"""What the /data/ page says of each file: every column's meaning (programs.field_meanings,
which the API reads too) and an example, and the filters. The column names are the
files' own (reader.downloads.COLUMNS and reader.download_files); a test checks that each
is explained here.
"""

import json
from dataclasses import dataclass

from .. import field_meanings as meanings
from .downloads import COLUMNS


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    example: str


FIGURE_COLUMNS = [
    Column("year", meanings.FIGURE["year"], "2023"),
    Column("state_code", meanings.FIGURE["state_code"], "MN"),
    Column("state_name", meanings.FIGURE["state_name"], "Minnesota"),
    Column("program", meanings.FIGURE["program"], "cybertipline"),
    Column("metric_key", meanings.FIGURE["metric_key"], "cybertipline-reports-to-law-enforcement"),
    Column(
        "metric_label",
        meanings.FIGURE["metric_label"],
        "Reports made available to law enforcement",
    ),
    Column("unit", meanings.FIGURE["unit"], "count"),
    Column("period", meanings.FIGURE["period"], "year"),
    Column("value", meanings.FIGURE["value"], "8611"),
    Column("qualifier", meanings.FIGURE["qualifier"], "more_than"),
    Column("source", meanings.FIGURE["source"], "NCMEC, Minnesota Data fact sheet, 2023"),
    Column("note", meanings.FIGURE["note"], ""),
    Column("revised", meanings.FIGURE["revised"], "2025-05-03"),
    Column("rate_per_100k", meanings.FIGURE["rate_per_100k"], "150.1"),
]

METRIC_COLUMNS = [
    Column("key", meanings.METRIC["key"], "missing-cases-handled"),
    Column("program", meanings.METRIC["program"], "missing-child-case-assistance"),
    Column("label", meanings.METRIC["label"], "Missing child cases handled"),
    Column("scope", meanings.METRIC["scope"], "state"),
    Column("unit", meanings.METRIC["unit"], "count"),
    Column("period", meanings.METRIC["period"], "year"),
    Column("first_year", meanings.METRIC["first_year"], "2023"),
    Column("last_year", meanings.METRIC["last_year"], ""),
    Column("definition", meanings.METRIC["definition"], ""),
    Column(
        "notes",
        meanings.METRIC["notes"] + " In one cell, each “years: text”, joined by “ | ”.",
        "from 2023: Counts cases opened in the year.",
    ),
]

STATE_COLUMNS = [
    Column("code", meanings.STATE["code"], "MN"),
    Column("fips", meanings.STATE["fips_code"], "27"),
    Column("name", meanings.STATE["name"], "Minnesota"),
    Column("slug", meanings.STATE["slug"], "minnesota"),
    Column("kind", meanings.STATE["kind"], "state"),
]


@dataclass(frozen=True)
class Filter:
    name: str
    meaning: str
    example: str


FILTERS = [
    Filter("year", "Years, four digits each.", "year=2022,2023"),
    Filter(
        "state", "States and territories by USPS code (national figures have none).", "state=MN,WI"
    ),
    Filter(
        "program",
        "Programs by their address on this site (the population, which no program "
        "publishes, is then left out).",
        "program=cybertipline",
    ),
    Filter(
        "metric",
        "Metrics by key (see metrics.csv); “population” is the states' population.",
        "metric=missing-cases-handled",
    ),
]

# The JSON file's example: what /data/figures.json gives for these filters (a row of
# the demo, NCMEC's Minnesota 2023 fact sheet; a test checks the two agree).
JSON_EXAMPLE_QUERY = {
    "year": "2023",
    "state": "MN",
    "metric": "cybertipline-reports-to-law-enforcement",
}
JSON_EXAMPLE_FIGURE = {
    "year": 2023,
    "state_code": "MN",
    "state_name": "Minnesota",
    "program": "cybertipline",
    "metric_key": "cybertipline-reports-to-law-enforcement",
    "metric_label": "Reports made available to law enforcement",
    "unit": "count",
    "period": "year",
    "value": 8611,
    "qualifier": "",
    "source": "NCMEC, Minnesota Data fact sheet, 2023",
    "note": "",
    "revised": "",
    "rate_per_100k": 150.1,
}


def json_example(citation):
    """The JSON file of ``JSON_EXAMPLE_QUERY``, with its ``citation``, written to be read:
    a line per field of the figure, its columns on one line, no escaped characters."""

    def text(value, **options):
        return json.dumps(value, ensure_ascii=False, **options)

    figure = text(JSON_EXAMPLE_FIGURE, indent=2).replace("\n", "\n    ")
    lines = [
        "{",
        f'  "citation": {text(citation)},',
        f'  "columns": {text(COLUMNS)},',
        '  "figures": [',
        f"    {figure}",
        "  ]",
        "}",
    ]
    return "\n".join(lines)
