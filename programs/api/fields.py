"""Every field of every API object, named and documented once: the serializers write
these keys, and /api/ and /api/v1/openapi.json describe them from here."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a JSON Schema type: "string", "integer", "number", "array", "object"
    description: str
    nullable: bool = False
    items: str = ""  # for arrays: the type of the items, or an object's schema name
    enum: tuple = ()
    format: str = ""  # "uri", "date"

    @property
    def type_label(self):
        """The type as the /api/ page writes it: "string or null", "array of integers"."""
        if self.type == "array":
            of = {"string": "strings", "integer": "integers"}.get(
                self.items, f"{self.items} objects"
            )
            label = f"array of {of}"
        else:
            label = self.type
        if self.format:
            label += f" ({self.format})"
        return f"{label} or null" if self.nullable else label


PROGRAM = [
    Field("slug", "string", "The program's stable name, used in addresses and filters."),
    Field("name", "string", "The program's name."),
    Field(
        "work_area", "integer", "The fact-sheet heading it is under, 1 to 5.", enum=(1, 2, 3, 4, 5)
    ),
    Field("work_area_name", "string", "That heading, in words."),
    Field("summary", "string", "One or two sentences introducing the program."),
    Field("body", "string", "Longer text; blank lines separate paragraphs. May be empty."),
    Field("metrics", "array", "The keys of its metrics with published figures.", items="string"),
    Field("url", "string", "The program's page on this site.", format="uri"),
    Field("api_url", "string", "This object's address in the API.", format="uri"),
    Field("figures_url", "string", "Its published figures in the API.", format="uri"),
]

STATE = [
    Field("code", "string", "The two-letter USPS code, e.g. “MN”: the state filter."),
    Field("name", "string", "The state's or territory's name."),
    Field("slug", "string", "Its name in the site's addresses, e.g. “minnesota”."),
    Field("fips_code", "string", "The two-digit federal (FIPS) code, e.g. “27”."),
    Field(
        "kind",
        "string",
        "A state, the federal district or a territory.",
        enum=("state", "district", "territory"),
    ),
    Field("url", "string", "Its fact sheet on this site.", format="uri"),
    Field("api_url", "string", "This object's address in the API.", format="uri"),
    Field("figures_url", "string", "Its published figures in the API.", format="uri"),
]

NOTE = [
    Field("first_year", "integer", "The first year the note applies to."),
    Field(
        "last_year",
        "integer",
        "The last year it applies to; null for every year since.",
        nullable=True,
    ),
    Field("text", "string", "The note, for readers."),
]

METRIC = [
    Field(
        "key",
        "string",
        "The metric's stable name: the metric filter, and the figures' metric_key.",
    ),
    Field("label", "string", "A short name, as tables give it."),
    Field("program", "string", "The slug of the program it is under."),
    Field(
        "scope",
        "string",
        "National (one figure a year) or state (one per state a year).",
        enum=("national", "state"),
    ),
    Field("unit", "string", "A count or a percent (0 to 100).", enum=("count", "percent")),
    Field(
        "period",
        "string",
        "“year”: the year's own count or percent; “to_date”: a running total since the "
        "program began, not comparable year to year.",
        enum=("year", "to_date"),
    ),
    Field("first_year", "integer", "The first year it is collected."),
    Field(
        "last_year",
        "integer",
        "The last year it was collected; null while it still is.",
        nullable=True,
    ),
    Field(
        "parent",
        "string",
        "For a breakdown, the key of the total it is part of; null otherwise.",
        nullable=True,
    ),
    Field("definition", "string", "What is counted. May be empty."),
    Field(
        "notes",
        "array",
        "Dated notes on how the counting changed, for the published years.",
        items="Note",
    ),
    Field("years", "array", "The years with published figures, oldest first.", items="integer"),
    Field("url", "string", "The metric's page on this site.", format="uri"),
    Field("api_url", "string", "This object's address in the API.", format="uri"),
    Field("figures_url", "string", "Its published figures in the API.", format="uri"),
]

# The same names as the columns of the figures downloads (programs.reader.downloads).
FIGURE = [
    Field("year", "integer", "The reporting year."),
    Field(
        "state_code", "string", "The state's USPS code; null for a national figure.", nullable=True
    ),
    Field("state_name", "string", "The state's name; null for a national figure.", nullable=True),
    Field("program", "string", "The slug of the metric's program."),
    Field("metric_key", "string", "The metric's key."),
    Field("metric_label", "string", "The metric's short name."),
    Field("unit", "string", "A count or a percent (0 to 100).", enum=("count", "percent")),
    Field(
        "period",
        "string",
        "“year” or “to_date” (a running total), as the metric's.",
        enum=("year", "to_date"),
    ),
    Field(
        "value", "number", "The figure: a whole number for a count. Read it with its qualifier."
    ),
    Field(
        "qualifier",
        "string",
        "Empty when exact; “more_than” when NCMEC gives “more than” the value; “rounded” "
        "when the value is rounded (“36.2 million”).",
        enum=("", "more_than", "rounded"),
    ),
    Field("source", "string", "Where the figure comes from. May be empty."),
    Field("note", "string", "Anything readers should know about it. May be empty."),
    Field(
        "revised",
        "string",
        "The date of its last published correction; null if never corrected.",
        nullable=True,
        format="date",
    ),
]

CITATION = Field(
    "citation",
    "string",
    "How to cite this response: publisher, title, when its figures were published, its "
    "address, and the date retrieved.",
)

LIST = [
    Field("count", "integer", "How many objects the query matches, on every page."),
    Field(
        "next",
        "string",
        "The next page's address, filters kept; null on the last page.",
        nullable=True,
        format="uri",
    ),
    Field(
        "previous",
        "string",
        "The previous page's address; null on the first page.",
        nullable=True,
        format="uri",
    ),
    CITATION,
    Field("results", "array", "This page's objects.", items="object"),
]

ERROR = [
    Field("status", "integer", "The HTTP status: 400, 404 or 405."),
    Field("message", "string", "What is wrong, in words."),
    Field(
        "filter",
        "string",
        "For a 400: the parameter at fault (year, state, program, metric, page, page_size, "
        "or an unknown one). Absent otherwise.",
    ),
]

SCHEMAS = {
    "Program": PROGRAM,
    "State": STATE,
    "Metric": METRIC,
    "Note": NOTE,
    "Figure": FIGURE,
}


def names(fields):
    return [field.name for field in fields]
