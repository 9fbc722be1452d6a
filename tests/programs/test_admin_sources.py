"""The admin of sources: searched by title, each with the figures that name it; readers
see a source's address and credit beside those figures, so only Publishers change it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Source, public_change
from tests.conftest import page_text


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


SOURCES = "/admin/programs/source/"
FACT_SHEET = "NCMEC, Minnesota Data fact sheet, 2023"
APPENDIX = "OJJDP–NCMEC Transparency Report, calendar year 2023, Appendix A"

pytestmark = pytest.mark.usefixtures("demo")


def change_url(title):
    return f"{SOURCES}{Source.objects.get(title=title).pk}/change/"


def change_data(source, **changes):
    return {"title": source.title, "url": source.url, "credit": source.credit, **changes}


def test_the_list_gives_each_source_with_how_many_figures_name_it(publisher):
    text = page_text(publisher.get(SOURCES))

    # The seed: 20 figures from Minnesota's fact sheet, the national count from Appendix A.
    assert f"{FACT_SHEET} - - 20" in text  # no address, no credit
    assert f"{APPENDIX} https://www.missingkids.org/" in text
    assert "Table compiled by Robert Grimm, diaphanous, CC BY 4.0 1 " in text
    assert "NCMEC, CyberTipline Reports by Country, 2019 https://www.missingkids.org/" in text


def test_the_list_counts_the_figures_in_one_query_however_many_sources(publisher):
    publisher.get(SOURCES)  # the session and permissions, read once
    with CaptureQueriesContext(connection) as before:
        publisher.get(SOURCES)
    with public_change():
        Source.objects.bulk_create(Source(title=f"Another table {n}") for n in range(20))

    with CaptureQueriesContext(connection) as after:
        publisher.get(SOURCES)

    assert len(after) == len(before)


def test_sources_are_searched_by_title(publisher):
    text = page_text(publisher.get(f"{SOURCES}?q=appendix"))

    assert APPENDIX in text
    assert FACT_SHEET not in text


def test_a_source_says_which_figures_name_it(publisher):
    text = page_text(publisher.get(change_url(APPENDIX)))

    assert "Figures naming it: 1 figure(s) of 2023, of 1 metric(s): Reports received." in text


def test_a_publisher_changes_a_source_and_readers_see_the_new_credit(publisher, client):
    source = Source.objects.get(title=FACT_SHEET)

    response = publisher.post(
        change_url(FACT_SHEET),
        change_data(
            source, url="https://www.missingkids.org/minnesota", credit="As NCMEC gives it"
        ),
    )

    assert response.status_code == 302
    section = client.get("/states/minnesota/2023/").content.decode()
    link = f'<a href="https://www.missingkids.org/minnesota"><cite>{FACT_SHEET}</cite></a>'
    assert f"{link}. As NCMEC gives it." in section


def test_an_editor_sees_a_source_but_cannot_change_it(editor):
    source = Source.objects.get(title=FACT_SHEET)

    page = editor.get(change_url(FACT_SHEET))
    response = editor.post(change_url(FACT_SHEET), change_data(source, credit="Edited"))

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.credit == ""


def test_an_editor_cannot_add_a_source(editor):
    response = editor.post(f"{SOURCES}add/", {"title": "A new table", "url": "", "credit": ""})

    assert response.status_code == 403
    assert not Source.objects.filter(title="A new table").exists()


def test_a_publisher_adds_a_source(publisher):
    response = publisher.post(
        f"{SOURCES}add/", {"title": "A new table", "url": "https://example.org/", "credit": ""}
    )

    assert response.status_code == 302
    assert Source.objects.get(title="A new table").url == "https://example.org/"
