"""Each published field's meaning is written once (programs.field_meanings): the /data/
page, the data package, the API and the admin's help text describe a field with the same
sentence."""

import pytest

from programs import field_meanings
from programs.api import fields
from programs.models import Figure, Metric
from programs.reader import data_page
from programs.reader.datapackage import descriptor
from states.models import State

# A column of a file, the table it is described in, and its field in the API.
SHARED = [
    (data_page.FIGURE_COLUMNS, field_meanings.FIGURE, fields.FIGURE),
    (data_page.METRIC_COLUMNS, field_meanings.METRIC, fields.METRIC),
    (data_page.STATE_COLUMNS, field_meanings.STATE, fields.STATE),
]
FILE_NAMES = {"fips": "fips_code"}  # states.csv's "fips" is the API's "fips_code"


@pytest.mark.parametrize(("columns", "meanings", "api_fields"), SHARED)
def test_the_data_page_and_the_api_describe_a_field_with_its_one_meaning(
    columns, meanings, api_fields
):
    api = {field.name: field.description for field in api_fields}
    for column in columns:
        name = FILE_NAMES.get(column.name, column.name)
        assert column.meaning.startswith(meanings[name]), column.name
        assert api[name] == meanings[name], name


def test_every_meaning_describes_a_field_of_the_api():
    described = {
        (table, name)
        for table, meanings in (
            ("figure", field_meanings.FIGURE),
            ("metric", field_meanings.METRIC),
            ("state", field_meanings.STATE),
        )
        for name in meanings
    }
    in_api = {
        (table, field.name)
        for table, api_fields in (
            ("figure", fields.FIGURE),
            ("metric", fields.METRIC),
            ("state", fields.STATE),
        )
        for field in api_fields
    }
    assert described <= in_api


@pytest.mark.django_db
def test_the_data_package_describes_each_column_as_the_data_page_does():
    package = descriptor(
        lambda path: f"http://testserver{path}", address="http://testserver/", version=1
    )
    columns = {
        "figures": data_page.FIGURE_COLUMNS,
        "metrics": data_page.METRIC_COLUMNS,
        "states": data_page.STATE_COLUMNS,
    }
    for resource in package["resources"]:
        meanings = {column.name: column.meaning for column in columns[resource["name"]]}
        described = {f["name"]: f["description"] for f in resource["schema"]["fields"]}
        assert described == meanings, resource["name"]


# A model's field, and the published field whose meaning its help text starts with
# (a staff instruction may follow it).
HELP_TEXTS = [
    (Figure, "year", field_meanings.FIGURE["year"]),
    (Figure, "source", field_meanings.FIGURE["source"]),
    (Figure, "note", field_meanings.FIGURE["note"]),
    *[
        (Metric, name, field_meanings.METRIC[name])
        for name in ("key", "label", "scope", "unit", "period", "first_year", "last_year")
    ],
    (Metric, "definition", field_meanings.METRIC["definition"]),
    *[(State, name, field_meanings.STATE[name]) for name in field_meanings.STATE],
]


@pytest.mark.parametrize(("model", "name", "meaning"), HELP_TEXTS)
def test_the_admins_help_text_tells_staff_what_readers_are_told(model, name, meaning):
    assert model._meta.get_field(name).help_text.startswith(meaning)
