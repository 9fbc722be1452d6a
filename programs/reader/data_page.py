"""What the /data/ page says of each file: every column's meaning and an example, and the
filters. The column names are the files' own (reader.downloads.COLUMNS and
reader.download_files); a test checks that each is explained here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    example: str


FIGURE_COLUMNS = [
    Column("year", "The year the figure is for.", "2023"),
    Column(
        "state_code",
        "The state's or territory's two-letter USPS code; empty for a national figure.",
        "MN",
    ),
    Column(
        "state_name", "The state's or territory's name; empty for a national figure.", "Minnesota"
    ),
    Column(
        "program",
        "The NCMEC program the figure belongs to (its address on this site).",
        "cybertipline",
    ),
    Column(
        "metric_key",
        "What is counted: a stable key, explained in metrics.csv and on the metric's page.",
        "cybertipline-reports-to-law-enforcement",
    ),
    Column(
        "metric_label", "The metric's short name.", "Reports made available to law enforcement"
    ),
    Column("unit", "count or percent.", "count"),
    Column(
        "period",
        "year (the figure is for that year alone) or to_date (a running total since the "
        "program began).",
        "year",
    ),
    Column(
        "value",
        "The figure: digits, with a point for decimals; no thousands separator.",
        "8611",
    ),
    Column(
        "qualifier",
        "Empty for an exact figure; more_than (NCMEC published “more than” the value) or "
        "rounded (a rounded figure, “about”).",
        "more_than",
    ),
    Column(
        "source", "Where NCMEC published the figure.", "NCMEC, Minnesota Data fact sheet, 2023"
    ),
    Column("note", "A note on this figure, if any.", ""),
    Column(
        "revised",
        "The date (YYYY-MM-DD) of the figure's last published revision; empty if it was "
        "never revised.",
        "2025-05-03",
    ),
]

METRIC_COLUMNS = [
    Column("key", "The metric's stable key (metric_key in figures.csv).", "missing-cases-handled"),
    Column("program", "Its program (program in figures.csv).", "missing-child-case-assistance"),
    Column("label", "Its short name.", "Missing child cases handled"),
    Column("scope", "national (one figure a year) or state (one a state a year).", "state"),
    Column("unit", "count or percent.", "count"),
    Column("period", "year or to_date, as in figures.csv.", "year"),
    Column("first_year", "The first year it is collected.", "2023"),
    Column("last_year", "The last year it was collected; empty while it still is.", ""),
    Column("definition", "What is counted.", ""),
    Column(
        "notes",
        "Its dated notes for published years in one cell, each “years: text”, joined by “ | ”.",
        "from 2023: Counts cases opened in the year.",
    ),
]

STATE_COLUMNS = [
    Column("code", "The two-letter USPS code (state_code in figures.csv).", "MN"),
    Column("fips", "The two-digit FIPS code.", "27"),
    Column("name", "The name.", "Minnesota"),
    Column("slug", "Its address on this site (/states/<slug>/).", "minnesota"),
    Column("kind", "state, district or territory.", "state"),
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
    Filter("program", "Programs by their address on this site.", "program=cybertipline"),
    Filter("metric", "Metrics by key (see metrics.csv).", "metric=missing-cases-handled"),
]

JSON_SHAPE = {
    "citation": "National Center for Missing & Exploited Children, Published figures …",
    "columns": ["year", "state_code", "…"],
    "figures": [{"year": 2023, "state_code": "MN", "value": 8611, "…": "…"}],
}
