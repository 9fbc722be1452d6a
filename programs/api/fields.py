"""Every field of every API object, named and documented once: the serializers write
these keys, and /api/ and /api/v1/openapi.json describe them from here. The meaning of a
field the downloads publish too comes from programs.field_meanings, which the /data/
page and the data package read as well."""

from dataclasses import dataclass

from .. import field_meanings as meanings


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
    Field("code", "string", meanings.STATE["code"]),
    Field("name", "string", meanings.STATE["name"]),
    Field("slug", "string", meanings.STATE["slug"]),
    Field("fips_code", "string", meanings.STATE["fips_code"]),
    Field("kind", "string", meanings.STATE["kind"], enum=("state", "district", "territory")),
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
    Field("key", "string", meanings.METRIC["key"]),
    Field("label", "string", meanings.METRIC["label"]),
    Field("program", "string", meanings.METRIC["program"], nullable=True),
    Field("scope", "string", meanings.METRIC["scope"], enum=("national", "state")),
    Field("unit", "string", meanings.METRIC["unit"], enum=("count", "percent")),
    Field("period", "string", meanings.METRIC["period"], enum=("year", "to_date")),
    Field("first_year", "integer", meanings.METRIC["first_year"]),
    Field("last_year", "integer", meanings.METRIC["last_year"], nullable=True),
    Field(
        "parent",
        "string",
        "For a breakdown, the key of the total it is part of; null otherwise.",
        nullable=True,
    ),
    Field("definition", "string", meanings.METRIC["definition"]),
    Field("notes", "array", meanings.METRIC["notes"], items="Note"),
    Field("years", "array", "The years with published figures, oldest first.", items="integer"),
    Field(
        "url",
        "string",
        "The metric's page on this site; null for reference data, which has none.",
        nullable=True,
        format="uri",
    ),
    Field("api_url", "string", "This object's address in the API.", format="uri"),
    Field("figures_url", "string", "Its published figures in the API.", format="uri"),
]

# The same names and meanings as the columns of the figures downloads.
FIGURE = [
    Field("year", "integer", meanings.FIGURE["year"]),
    Field("state_code", "string", meanings.FIGURE["state_code"], nullable=True),
    Field("state_name", "string", meanings.FIGURE["state_name"], nullable=True),
    Field("program", "string", meanings.FIGURE["program"], nullable=True),
    Field("metric_key", "string", meanings.FIGURE["metric_key"]),
    Field("metric_label", "string", meanings.FIGURE["metric_label"]),
    Field("unit", "string", meanings.FIGURE["unit"], enum=("count", "percent")),
    Field("period", "string", meanings.FIGURE["period"], enum=("year", "to_date")),
    Field("value", "number", meanings.FIGURE["value"]),
    Field("qualifier", "string", meanings.FIGURE["qualifier"], enum=("", "more_than", "rounded")),
    Field("source", "string", meanings.FIGURE["source"]),
    Field("note", "string", meanings.FIGURE["note"]),
    Field("revised", "string", meanings.FIGURE["revised"], nullable=True, format="date"),
    Field("rate_per_100k", "number", meanings.FIGURE["rate_per_100k"], nullable=True),
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
