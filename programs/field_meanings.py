"""What each published field means, said once for readers: a sentence per field of the
figures, the metrics and the states, as the downloads and the API both publish them.
The /data/ page (reader.data_page) and through it the data package (reader.datapackage)
describe the files' columns with them, the API (api.fields) its objects' fields, and the
models' help text in the admin starts with them (a staff instruction may follow).

A value a field lacks is "none": an empty cell in a CSV file, null in the API. Fields
only the API has (its addresses, a metric's parent and years) are described in
api/fields.py, the one place that writes them.
"""

from states.field_meanings import STATE

PERIOD = (
    "“year”: the year's own count or percent; “to_date”: a running total since the "
    "program began, not comparable year to year."
)
UNIT = "“count”, or “percent” (0 to 100)."

# The columns of figures.csv/.json/.xlsx and the fields of the API's figures.
FIGURE = {
    "year": "The reporting year the figure is for.",
    "state_code": "The state's or territory's two-letter USPS code; none for a national figure.",
    "state_name": "The state's or territory's name; none for a national figure.",
    "program": "The program the figure belongs to, by its slug (its address on this "
    "site); none for reference data no program publishes: the states' population "
    "(metric “population”), which rates are of.",
    "metric_key": "What is counted: the metric's stable key, explained with the metrics "
    "and on the metric's page.",
    "metric_label": "The metric's short name.",
    "unit": UNIT,
    "period": PERIOD,
    "value": "The figure, a whole number for a count: digits, with a point for decimals, "
    "no thousands separator. Read it with its qualifier.",
    "qualifier": "Empty for an exact figure; “more_than” when NCMEC published “more than” "
    "the value; “rounded” when the value is rounded (“36.2 million”).",
    "source": "Where NCMEC published the figure; may be empty.",
    "note": "What readers should know about this figure; may be empty.",
    "revised": "The date (YYYY-MM-DD) of the figure's last published revision, in New York "
    "(the site's time zone, as on its pages); none if it was never revised.",
    "rate_per_100k": "The figure per 100,000 residents of its state in its year (the "
    "state's population, metric “population”, as published for that year), to one "
    "decimal; none for national figures, percents, running totals, the population "
    "itself, figures not exact (“more_than”, “rounded”), or where no population is "
    "published for that state and year.",
}

# The columns of metrics.csv and the fields of the API's metrics.
METRIC = {
    "key": "The metric's stable key: the metric filter, and metric_key in the figures.",
    "program": "The slug of its program (program in the figures); none for reference "
    "data (“population”), which no program publishes.",
    "label": "Its short name, as tables give it.",
    "scope": "“national” (one figure a year) or “state” (one a state a year).",
    "unit": UNIT,
    "period": PERIOD,
    "first_year": "The first year it is collected.",
    "last_year": "The last year it was collected; none while it still is.",
    "definition": "What is counted; may be empty.",
    "notes": "Its dated notes on how the counting changed, for the published years.",
}

# STATE, the columns of states.csv and the fields of the API's states, is the states
# app's own (states/field_meanings.py).
__all__ = ["FIGURE", "METRIC", "PERIOD", "STATE", "UNIT"]
