"""Fact sheets on paper and as PDFs: /states/<slug>/<year>/fact-sheet.pdf, print.css and
write_fact_sheet_pdfs, on the seed's demo, each test with data of its own. Minnesota's
2023 PDF read closely, and every state's, are in test_pdf_every_state.py (the full demo,
rendered once for its module).
"""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.formatting import format_date
from programs.models import Figure, Program, Publication, public_change
from programs.reader import pdf
from states.models import State
from tests.conftest import add_draft_2024, page_text
from tests.programs.pdf_helpers import pages, pdf_text

URL = "/states/minnesota/2023/fact-sheet.pdf"
BASE = "http://testserver/"

SEED_HEADINGS = [
    "NCMEC's Work to Combat Child Sexual Exploitation",
    "NCMEC's Work to Help Locate and Recover Missing Children",
    "NCMEC's Work to Combat Child Sex Trafficking",
    "NCMEC's Work to Support Survivors/Families Impacted by a Missing or Exploited Child Case",
    "NCMEC's Education Resources for Law Enforcement and Child-Serving Professionals",
]


def test_the_fact_sheet_links_to_its_pdf_on_letter_and_on_a4(client, demo):
    page = client.get("/states/minnesota/2023/").content.decode()

    assert f'<a href="{URL}" type="application/pdf">Download this fact sheet (PDF)</a>' in page
    assert f'<a href="{URL}?paper=a4" type="application/pdf">A4' in page


@pytest.mark.parametrize("paper", ["legal", "a5", "a4,letter", "letter "])
def test_a_paper_other_than_letter_or_a4_is_a_bad_request(demo, anonymous, paper):
    response = anonymous.get(URL, {"paper": paper})

    assert response.status_code == 400
    assert "The paper must be letter or a4, like ?paper=a4." in page_text(response)


def test_an_empty_paper_is_letter_as_no_paper_is(demo, anonymous):
    response = anonymous.get(URL, {"paper": ""})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="ncmec-minnesota-2023.pdf"'


def test_a_pdf_kept_from_yesterday_is_not_given_with_yesterdays_retrieved_date(demo, monkeypatch):
    today = timezone.now()
    assert f"retrieved {format_date(today)}" in pdf_text(Client().get(URL).content)

    tomorrow = today + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    text = pdf_text(Client().get(URL).content)

    assert f"retrieved {format_date(tomorrow)}" in text
    assert f"retrieved {format_date(today)}" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/states/atlantis/2023/fact-sheet.pdf",
        "/states/minnesota/2022/fact-sheet.pdf",
        "/states/minnesota/1999/fact-sheet.pdf",
    ],
)
def test_an_unknown_state_or_a_year_without_figures_is_not_found(demo, url):
    response = Client(raise_request_exception=False).get(url)

    assert response.status_code == 404


def test_a_draft_figure_never_reaches_the_pdf_not_even_in_staff_preview(demo, admin_client):
    add_draft_2024(State.objects.get(code="MN"))
    figure = Figure.objects.get(value=8611)
    staged = Proposal(figure.metric, 2023, figure.state, figure, value=Decimal(187_654))
    pending_changes_stage(proposals=[staged], reason="Staged, not published")
    admin_client.post("/preview/start/")

    assert "187,654" in admin_client.get("/states/minnesota/2023/").content.decode()
    response = admin_client.get(URL)
    assert response.status_code == 200
    assert "8,611 CyberTipline reports" in pdf_text(response.content)
    assert "187,654" not in pdf_text(response.content)
    assert admin_client.get("/states/minnesota/2024/fact-sheet.pdf").status_code == 404
    assert Client().get("/states/minnesota/2024/fact-sheet.pdf").status_code == 404


def test_the_cache_serves_the_same_pdf_until_a_publish_changes_the_version(
    demo, page_queries, django_assert_num_queries
):
    response = Client().get(URL)
    first = response.content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="ncmec-minnesota-2023.pdf"'
    assert first.startswith(b"%PDF-")
    version = Publication.current().version

    # Another query string, which the page cache has not seen: the PDF cache answers,
    # for the state's query only (and the version, the snapshot's).
    with page_queries(1):
        again = Client().get(URL, {"from": "link"}).content
    assert again == first
    # ALLOWED_HOSTS ignores the port: were the Host part of the PDF (or of the page
    # cache's key), each port would cost a render and a cache entry.
    with django_assert_num_queries(0):  # the page cache's: the same address
        assert Client().get(URL, HTTP_HOST="testserver:1").content == first

    figure = Figure.objects.get(value=8611)
    correction = Proposal(figure.metric, 2023, figure.state, figure, value=Decimal(8612))
    pending_changes_stage(proposals=[correction], reason="Corrected")
    assert Client().get(URL).content == first  # staged, not yet published
    pending_changes_publish(year=2023)

    assert Publication.current().version > version
    changed = Client().get(URL).content
    assert changed != first
    assert "8,612 CyberTipline reports" in pdf_text(changed)


@pytest.mark.parametrize("code", ["MN", "mn"])
def test_a_pdf_address_with_the_usps_code_moves_to_the_states_own(demo, client, code):
    response = client.get(f"/states/{code}/2023/fact-sheet.pdf")

    assert response.status_code == 301
    assert response["Location"] == URL
    a4 = client.get(f"/states/{code}/2023/fact-sheet.pdf", {"paper": "a4"})
    assert a4["Location"] == f"{URL}?paper=a4"


# The fetcher: WeasyPrint asks it for every stylesheet, font and image a document names.


def test_the_fetcher_serves_the_sites_own_static_files():
    fetcher = pdf.static_files_fetcher(BASE)

    response = fetcher.fetch(f"{BASE}static/css/print.css")
    assert b"@font-face" in response.read()
    font = fetcher.fetch(f"{BASE}static/fonts/source-sans-3-latin-400-normal.woff2")
    assert font.content_type == "font/woff2"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/manage.py",
        "http://evil.example/static/css/site.css",
        "https://testserver/static/css/site.css",
        "http://testserver.evil.example/static/css/site.css",
        "http://testserver/admin/",
        "http://testserver/states/minnesota/2023/",
        "http://testserver/static/../manage.py",
        "http://testserver/static/%2e%2e/%2e%2e/etc/passwd",
        "http://testserver/static/css/..%2f..%2fmanage.py",
        "http://testserver/static/css/missing.css",
        "http://testserver/static/fonts/OFL-source-sans-3.txt",
        "data:text/css,body{background:url(file:///etc/passwd)}",
        "ftp://testserver/static/css/site.css",
    ],
)
def test_the_fetcher_refuses_every_other_address(url):
    fetcher = pdf.static_files_fetcher(BASE)

    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_a_document_naming_outside_files_renders_without_them():
    hostile = (
        '<html lang="en"><head><title>x</title>'
        '<link rel="stylesheet" href="http://evil.example/steal.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"></head>'
        '<body><p>Hello</p><img src="file:///etc/hostname" alt="">'
        '<img src="/static/../manage.py" alt=""></body></html>'
    )
    fetcher = pdf.static_files_fetcher(BASE)

    content = pdf.render_pdf(hostile, BASE, fetcher=fetcher)

    assert "Hello" in pdf_text(content)
    assert set(fetcher.refused) >= {
        "http://evil.example/steal.css",
        "file:///etc/passwd",
        "file:///etc/hostname",
    }
    assert len(fetcher.refused) == 4


# Printing the page itself (print.css, media="print").


def test_the_printed_fact_sheet_shows_content_address_and_date_and_no_chrome(client, demo):
    response = client.get("/states/minnesota/2023/")
    page = response.content.decode()
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in page

    # WeasyPrint lays the page out for print, as a browser's print does.
    printed = pdf.render_pdf(page, BASE)
    text = pdf_text(printed)

    assert pages(printed) in (1, 2)
    assert "The National Center for Missing and Exploited Children Minnesota Data, 2023" in text
    for heading in SEED_HEADINGS:
        assert heading in text
    assert "8,611 CyberTipline reports" in text
    assert "Sources" in text
    assert "From http://testserver/states/minnesota/2023/. Page generated on" in text
    assert "Minnesota in 2023: key figures" in text
    for chrome in [
        "Skip to main content",
        "States and territories",
        "Revisions",
        "Download this fact sheet",
        "Figures are published by",
        "About CyberTipline",
    ]:
        assert chrome not in text


def test_the_address_and_date_line_is_for_paper_only(client, demo):
    """The page's own stylesheets, around its address and date line alone (the whole
    page laid out for a screen, a flex column, takes WeasyPrint seconds)."""
    page = client.get("/states/minnesota/2023/").content.decode()
    head = page.split("<body>")[0]
    line = re.search(r'<p class="print-meta".*?</p>', page, re.S)[0]

    printed = pdf.render_pdf(f"{head}<body>{line}</body></html>", BASE)
    screen = head.replace('media="print"', 'media="not all"') + f"<body>{line}</body></html>"

    assert "Page generated on" in pdf_text(printed)
    assert "Page generated on" not in pdf_text(pdf.render_pdf(screen, BASE))


# write_fact_sheet_pdfs


def test_the_command_writes_a_pdf_per_state_asked_for(demo, tmp_path):
    out = io.StringIO()

    call_command(
        "write_fact_sheet_pdfs", "2023", "--to", str(tmp_path), "--states", "MN,wi,GU", stdout=out
    )

    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == [
        "ncmec-guam-2023.pdf",
        "ncmec-minnesota-2023.pdf",
        "ncmec-wisconsin-2023.pdf",
    ]
    assert "Wrote 3 fact sheet PDFs for 2023 on Letter paper" in out.getvalue()
    for n, name in enumerate(["minnesota", "wisconsin", "guam"], start=1):
        count = pages((tmp_path / f"ncmec-{name}-2023.pdf").read_bytes())
        assert count in (1, 2)
        assert f"{n}/3 ncmec-{name}-2023.pdf: {count} page" in out.getvalue()
    minnesota = (tmp_path / "ncmec-minnesota-2023.pdf").read_bytes()
    assert pages(minnesota) in (1, 2)
    assert "8,611 CyberTipline reports" in pdf_text(minnesota)
    assert "NCMEC has not published any figures for Wisconsin yet" in pdf_text(
        (tmp_path / "ncmec-wisconsin-2023.pdf").read_bytes()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2022"], "No figures are published for 2022. Published years: 2023."),
        (["2023", "--states", "MN,XX"], "Unknown state code: XX."),
    ],
)
def test_the_command_says_what_is_wrong(demo, tmp_path, args, message):
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("write_fact_sheet_pdfs", *args, "--to", str(tmp_path))


def test_the_command_refuses_a_folder_it_cannot_write(demo, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")

    with pytest.raises(CommandError, match="Cannot write PDFs to"):
        call_command("write_fact_sheet_pdfs", "2023", "--to", str(blocker / "pdfs"))


def test_the_command_fails_naming_the_pdfs_over_two_pages(demo, tmp_path):
    """Having written them all: a sheet is one or two pages, as NCMEC's own."""
    with public_change():
        Program.objects.filter(slug="cybertipline").update(summary="A long summary. " * 900)

    with pytest.raises(CommandError) as failed:
        call_command(
            "write_fact_sheet_pdfs", "2023", "--to", str(tmp_path), "--states", "MN,WY",
            stdout=io.StringIO(),
        )  # fmt: skip

    assert re.match(
        r"2 of the PDFs run over 2 pages: Minnesota \(\d\), Wyoming \(\d\)\. A fact sheet is "
        r"one or two pages",
        str(failed.value),
    )
    assert len(list(tmp_path.glob("*.pdf"))) == 2
