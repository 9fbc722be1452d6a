"""/data/datapackage.json: a Frictionless Data Package (v2) that describes the CSV
downloads, and that frictionless validates with the files it describes."""

import csv
import json
from datetime import datetime

import frictionless
import pytest

from programs.models import Edition, Publication
from programs.reader import downloads
from programs.reader.citation import LICENCE
from tests.programs.conftest import REVISED_2023

URL = "/data/datapackage.json"


def csv_write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, header)
        writer.writeheader()
        writer.writerows(rows)


def csv_files(client, tmp_path):
    """The three files the package describes, downloaded as a reader would into
    ``tmp_path``: {resource name: file name}."""
    files = {"figures": "figures.csv", "metrics": "metrics.csv", "states": "states.csv"}
    for name in files.values():
        response = client.get(f"/data/{name}")
        assert response.status_code == 200, name
        (tmp_path / name).write_bytes(response.getvalue())
    return files


def local_package(client, tmp_path):
    """The served descriptor beside the files, its paths rewritten to the local files."""
    package = client.get(URL).json()
    files = csv_files(client, tmp_path)
    for resource in package["resources"]:
        resource["path"] = files[resource["name"]]
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return tmp_path / "datapackage.json"


def errors(report):
    return report.flatten(["type", "note"])


@pytest.fixture
def package(site_with_history, db, client):
    return client.get(URL).json()


def test_the_package_and_its_files_are_valid(site_with_history, db, client, tmp_path):
    report = frictionless.validate(str(local_package(client, tmp_path)))

    assert report.valid, errors(report)
    assert report.stats["tasks"] == 3
    assert all(task.stats["rows"] for task in report.tasks)  # every file has rows


def test_a_figure_of_an_unknown_state_makes_the_package_invalid(
    site_with_history, db, client, tmp_path
):
    descriptor = local_package(client, tmp_path)
    with open(tmp_path / "figures.csv", newline="", encoding="utf-8") as file:
        minnesota = next(row for row in csv.DictReader(file) if row["state_code"] == "MN")
    with open(tmp_path / "figures.csv", "a", newline="", encoding="utf-8") as file:
        csv.DictWriter(file, downloads.COLUMNS).writerow({**minnesota, "state_code": "ZZ"})

    report = frictionless.validate(str(descriptor))

    assert not report.valid
    assert [kind for kind, _note in errors(report)] == ["foreign-key"]


def test_a_figure_given_twice_makes_the_package_invalid(site_with_history, db, client, tmp_path):
    descriptor = local_package(client, tmp_path)
    lines = (tmp_path / "figures.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "figures.csv").write_text("".join([*lines, lines[-1]]), encoding="utf-8")

    report = frictionless.validate(str(descriptor))

    assert [kind for kind, _note in errors(report)] == ["primary-key"]


def test_the_figures_are_described_column_by_column_with_their_keys(package):
    figures, metrics, states = package["resources"]
    schema = figures["schema"]
    types = {field["name"]: field["type"] for field in schema["fields"]}

    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert [field["name"] for field in schema["fields"]] == downloads.COLUMNS
    assert types["year"] == "integer"
    assert types["value"] == "number"
    assert types["revised"] == "date"
    assert schema["primaryKey"] == ["year", "state_code", "metric_key"]
    assert schema["foreignKeys"] == [
        {"fields": ["state_code"], "reference": {"resource": "states", "fields": ["code"]}},
        {"fields": ["metric_key"], "reference": {"resource": "metrics", "fields": ["key"]}},
    ]
    assert metrics["schema"]["primaryKey"] == ["key"]
    assert states["schema"]["primaryKey"] == ["code"]


def test_the_files_are_named_by_the_sites_absolute_addresses(package):
    paths = {resource["name"]: resource["path"] for resource in package["resources"]}

    assert paths == {
        "figures": "http://testserver/data/figures.csv",
        "metrics": "http://testserver/data/metrics.csv",
        "states": "http://testserver/data/states.csv",
    }


def test_the_package_says_who_publishes_it_under_which_licence_and_how_to_cite_it(package):
    assert package["licenses"] == [{**LICENCE, "path": "http://testserver/data/#licence"}]
    assert package["contributors"][0]["title"] == (
        "National Center for Missing & Exploited Children"
    )
    assert package["contributors"][0]["roles"] == ["publisher"]
    assert package["citation"].startswith(
        "National Center for Missing & Exploited Children, NCMEC statistics by program"
    )
    assert "published 3 May 2024, http://testserver/data/datapackage.json" in (package["citation"])


def test_the_version_and_date_are_those_of_the_last_publication(package):
    assert package["version"] == str(Publication.current().version)
    # 2023's correction, the latest public change, at 11:00 in New York (15:00 UTC)
    assert package["created"] == "2024-05-03T11:00:00-04:00"
    assert datetime.fromisoformat(package["created"]) == REVISED_2023


def test_before_anything_is_published_the_package_has_no_date(site_with_history, db, client):
    Edition.objects.update(status=Edition.Status.DRAFT, published_at=None)

    package = client.get(URL).json()

    assert "created" not in package
    assert "published" not in package["citation"]
