"""Fact sheets on paper and as PDFs: /states/<slug>/<year>/fact-sheet.pdf, print.css and
write_fact_sheet_pdfs.

The Minnesota 2023 PDF is rendered once for the module (in a transaction rolled back
afterwards); tests that change figures render their own.
"""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from pypdf import PdfReader

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.models import Figure, Publication
from programs.reader import pdf
from states.models import State
from tests.conftest import add_draft_2024

URL = "/states/minnesota/2023/fact-sheet.pdf"
BASE = "http://testserver/"

# Every figure of the seed (shared/seed/ncmec-minnesota-2023.md), as the seed writes it.
SEED_FIGURES = [
    "36.2 million reports",
    "more than 105 million pieces of reported content",
    "8,611 CyberTipline reports were made available to law enforcement in Minnesota",
    "27,130 children",
    "128 submissions",
    "28,886 missing child cases",
    "22,442",
    "19%",
    "201 cases of missing children from Minnesota",
    "Children Missing From Social Services Facility 135",
    "Other Missing Children Cases 57",
    "Children Reported Missing by Office of Refugee Resettlement (HHS-ORR) 9",
    "more than 18,400 reports",
    "22 engagements with Minnesota social service agencies",
    "5,759 survivors and families",
    "66 survivors/families in Minnesota",
    "55 survivors/families to mental health services in Minnesota",
    "57 incidents",
    "146 long-term missing children cases",
    "more than 18,000 registered users",
    "91 new law enforcement and child-serving professionals",
]
SEED_HEADINGS = [
    "NCMEC's Work to Combat Child Sexual Exploitation",
    "NCMEC's Work to Help Locate and Recover Missing Children",
    "NCMEC's Work to Combat Child Sex Trafficking",
    "NCMEC's Work to Support Survivors/Families Impacted by a Missing or Exploited Child Case",
    "NCMEC's Education Resources for Law Enforcement and Child-Serving Professionals",
]


def pdf_text(content):
    """The PDF's text, one space between words whatever the line breaks."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pages(content):
    return len(PdfReader(io.BytesIO(content)).pages)


@pytest.fixture(scope="module")
def minnesota_pdf(django_db_setup, django_db_blocker):
    """The demo's Minnesota 2023 PDF as an anonymous reader downloads it, rendered once."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_data", stdout=io.StringIO())
        response = Client().get(URL)
        transaction.set_rollback(True)
    cache.clear()
    return response


@pytest.fixture(scope="module")
def minnesota_text(minnesota_pdf):
    return pdf_text(minnesota_pdf.content)


def test_the_pdf_is_served_inline_with_the_fact_sheets_name(minnesota_pdf):
    assert minnesota_pdf.status_code == 200
    assert minnesota_pdf["Content-Type"] == "application/pdf"
    assert minnesota_pdf["Content-Disposition"] == 'inline; filename="ncmec-minnesota-2023.pdf"'
    assert minnesota_pdf.content.startswith(b"%PDF-")


@pytest.mark.parametrize("figure", SEED_FIGURES)
def test_the_pdf_has_every_figure_of_the_seed_fact_sheet(minnesota_text, figure):
    assert figure in minnesota_text


def test_the_pdf_has_the_title_every_section_the_sources_and_where_it_comes_from(
    minnesota_text,
):
    assert minnesota_text.startswith(
        "The National Center for Missing and Exploited Children Minnesota Data, 2023"
    )
    for heading in SEED_HEADINGS:
        assert heading in minnesota_text
    sources = minnesota_text.split("Sources", 1)[1]
    assert "NCMEC, Minnesota Data fact sheet, 2023" in sources
    assert "From http://testserver/states/minnesota/2023/. PDF made on" in minnesota_text


def test_the_pdf_fits_one_or_two_letter_pages(minnesota_pdf):
    """As NCMEC's own sheet: Minnesota's 2023, with what each figure counts, its source,
    its rate and ranks, and the page's sources, on two."""
    reader = PdfReader(io.BytesIO(minnesota_pdf.content))

    assert len(reader.pages) in (1, 2)
    assert [float(x) for x in reader.pages[0].mediabox[2:]] == [612, 792]
    assert "Page 1 of" in reader.pages[0].extract_text()


def test_the_pdf_is_tagged_with_its_title_and_language(minnesota_pdf):
    reader = PdfReader(io.BytesIO(minnesota_pdf.content))
    root = reader.trailer["/Root"]

    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert reader.metadata.title == "Minnesota fact sheet, 2023 | NCMEC Data"


def test_the_pdf_uses_the_fonts_shipped_with_the_site(minnesota_pdf):
    reader = PdfReader(io.BytesIO(minnesota_pdf.content))
    fonts = {
        font.get_object()["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }

    assert fonts
    assert all("Source-Sans-3" in name for name in fonts), fonts


def test_the_fact_sheet_links_to_its_pdf(client, demo):
    page = client.get("/states/minnesota/2023/").content.decode()

    assert f'<a href="{URL}" type="application/pdf">Download this fact sheet (PDF)</a>' in page


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


def test_the_cache_serves_the_same_pdf_until_a_publish_changes_the_version(demo, page_queries):
    first = Client().get(URL).content
    version = Publication.current().version

    # Another query string, which the page cache has not seen: the PDF cache answers,
    # for the state's query only (and the version, the snapshot's).
    with page_queries(1):
        again = Client().get(URL, {"from": "link"}).content
    assert again == first

    figure = Figure.objects.get(value=8611)
    correction = Proposal(figure.metric, 2023, figure.state, figure, value=Decimal(8612))
    pending_changes_stage(proposals=[correction], reason="Corrected")
    assert Client().get(URL).content == first  # staged, not yet published
    pending_changes_publish(year=2023)

    assert Publication.current().version > version
    changed = Client().get(URL).content
    assert changed != first
    assert "8,612 CyberTipline reports" in pdf_text(changed)


def test_another_port_in_the_host_gets_the_same_cached_pdf_not_a_new_render(
    demo, django_assert_num_queries
):
    # ALLOWED_HOSTS ignores the port: were the Host part of the PDF (or of the page
    # cache's key), each port would cost a render and a cache entry.
    first = Client().get(URL).content

    with django_assert_num_queries(0):  # the page cache's: the same address
        other = Client().get(URL, HTTP_HOST="testserver:1").content

    assert other == first
    assert "From http://testserver/states/minnesota/2023/." in pdf_text(other)


@pytest.mark.parametrize("code", ["MN", "mn"])
def test_a_pdf_address_with_the_usps_code_moves_to_the_states_own(demo, client, code):
    response = client.get(f"/states/{code}/2023/fact-sheet.pdf")

    assert response.status_code == 301
    assert response["Location"] == URL


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
    page = client.get("/states/minnesota/2023/").content.decode()
    screen = pdf.render_pdf(page.replace('media="print"', 'media="not all"'), BASE)

    assert "Page generated on" not in pdf_text(screen)


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
    assert "Wrote 3 fact sheet PDFs for 2023" in out.getvalue()
    minnesota = (tmp_path / "ncmec-minnesota-2023.pdf").read_bytes()
    assert pages(minnesota) in (1, 2)
    assert "8,611 CyberTipline reports" in pdf_text(minnesota)
    assert "NCMEC has not published any figures for Wisconsin yet" in pdf_text(
        (tmp_path / "ncmec-wisconsin-2023.pdf").read_bytes()
    )


def test_the_command_writes_every_state_when_none_is_named(demo, tmp_path, monkeypatch):
    rendered = []
    monkeypatch.setattr(
        pdf,
        "fact_sheet_pdf",
        lambda sheet, base_url, font_config: (
            rendered.append(sheet.state.code) or pdf.FactSheetPDF(content=b"%PDF-", pages=1)
        ),
    )

    call_command("write_fact_sheet_pdfs", "2023", "--to", str(tmp_path), stdout=io.StringIO())

    assert len(rendered) == 56
    assert len(list(tmp_path.glob("ncmec-*-2023.pdf"))) == 56


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
