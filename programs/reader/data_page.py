"""What the /data/ page says of each file: every column's meaning (programs.field_meanings,
which the API reads too) and an example, and the filters. The column names are the
files' own (reader.downloads.COLUMNS and reader.download_files); a test checks that each
is explained here.
"""

from dataclasses import dataclass

from .. import field_meanings as meanings


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

JSON_SHAPE = {
    "citation": "National Center for Missing & Exploited Children, Published figures …",
    "columns": ["year", "state_code", "…"],
    "figures": [
        {"year": 2023, "state_code": "MN", "value": 8611, "…": "…", "rate_per_100k": 150.1}
    ],
}
