"""Every state's fact sheet PDF of 2023 on the full demo, as write_fact_sheet_pdfs writes
them (56 renders with one FontConfiguration, once for the module), and Minnesota's read
as a reader handed it would: one or two pages that read as NCMEC's own sheet (the title,
the introduction, the key figures set large, each section with its figures, the
sources), the chart drawn, no text that is only a link on screen, and how to cite it.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from programs.formatting import format_date
from tests.conftest import forget_caches
from tests.programs.pdf_helpers import pages, pdf_text

URL = "/states/minnesota/2023/fact-sheet.pdf"
LETTER, A4 = [612, 792], [595.28, 841.89]

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
# What makes sense only as a link on screen.
WEB_ONLY = [
    "Every year",
    "Figures by year",
    "what it counts",
    "Download",
    "About CyberTipline",
    "Compare Minnesota",
    "Show fact sheet",
    "Skip to main content",
]


@pytest.fixture(scope="module")
def written(full_demo, django_db_blocker, tmp_path_factory):
    """(the folder of every state's 2023 PDF, what the command printed)."""
    folder = tmp_path_factory.mktemp("fact-sheets")
    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command("write_fact_sheet_pdfs", "2023", "--to", str(folder), stdout=out)
    return folder, out.getvalue()


@pytest.fixture(scope="module")
def minnesota_pdf(written):
    return (written[0] / "ncmec-minnesota-2023.pdf").read_bytes()


@pytest.fixture(scope="module")
def minnesota_text(minnesota_pdf):
    return pdf_text(minnesota_pdf)


@pytest.fixture(scope="module")
def served(full_demo, django_db_blocker):
    """Minnesota's PDF as a reader downloads it, on Letter then on A4, from one cache."""
    forget_caches()
    with django_db_blocker.unblock():
        return Client().get(URL), Client().get(URL, {"paper": "a4"})


@pytest.fixture(scope="module")
def drawn(written):
    """{file name: [how much each page draws: its content stream's length]}."""
    return {
        path.name: [len(page.get_contents().get_data()) for page in PdfReader(path).pages]
        for path in written[0].glob("*.pdf")
    }


# Every state


def test_every_states_2023_pdf_is_one_or_two_pages_none_only_a_footer(drawn):
    assert len(drawn) == 56
    for name, sizes in drawn.items():
        assert len(sizes) in (1, 2), name
        # A page with only its number on draws a few hundred bytes; the shortest second
        # page (a territory's sources and citation) about 5,000.
        assert min(sizes) > 2_500, name


def test_the_command_prints_each_pdfs_page_count_and_a_summary(written, drawn):
    _, out = written
    lines = out.splitlines()

    for n, line in enumerate(lines[:56], start=1):
        pattern = rf"{n}/56 (ncmec-[a-z-]+-2023\.pdf): (\d) pages?"
        name, count = re.fullmatch(pattern, line).groups()
        assert int(count) == len(drawn[name])
    assert re.fullmatch(
        r"Wrote 56 fact sheet PDFs for 2023 on Letter paper \((\d+ of \d pages?(, )?)+\) to "
        r".+ in [\d.]+ s, [\d.]+ s each\.",
        lines[56],
    )


# Minnesota's, read closely


@pytest.mark.parametrize("figure", SEED_FIGURES)
def test_the_pdf_has_every_figure_of_the_seed_fact_sheet(minnesota_text, figure):
    assert figure in minnesota_text


def test_the_pdf_opens_with_its_title_introduction_and_key_figures(minnesota_text):
    text = minnesota_text
    order = [
        "The National Center for Missing and Exploited Children Minnesota Data, 2023",
        "serves as the congressionally designated clearinghouse",
        "Listed below are Minnesota specific statistics",
        "Minnesota in 2023: key figures",
        "10,407Reports with a user located in the state CyberTipline 181.4 per 100,000 "
        "residents. 41st highest of 50 states by rate and 26th highest by count.",
        "8,611Reports made available to law enforcement",
        "91New law enforcement and child-serving professionals",
        *SEED_HEADINGS,
        "Sources",
        "How to cite this page",
    ]
    positions = [text.find(part) for part in order]
    assert -1 not in positions, [part for part in order if part not in text]
    assert positions == sorted(positions)


def test_the_pdf_has_no_text_that_is_only_a_link_on_screen(minnesota_text):
    for text in WEB_ONLY:
        assert text not in minnesota_text
    # Each figure's label is said with what it counts, which makes sense on paper.
    assert "Reports received: CyberTipline reports received from all sources" in minnesota_text


def test_the_pdf_ends_with_its_sources_and_the_sites_citation(minnesota_text):
    sources = minnesota_text.split(" Sources ", 1)[1]
    assert "NCMEC, Minnesota Data fact sheet, 2023" in sources
    assert "U.S. Census Bureau, Vintage 2023 population estimates" in sources
    citation = sources.split("How to cite this page: ", 1)[1]
    # A long address breaks across lines, which the text gives as a space.
    assert "".join(citation.split()).startswith(
        "".join(
            "National Center for Missing & Exploited Children, Minnesota fact sheet, 2023, "
            f"published {format_date(timezone.localdate())}, "
            "http://testserver/states/minnesota/2023/, "
            f"retrieved {format_date(timezone.localdate())}.".split()
        )
    )


def test_the_sparkline_is_drawn(full_site, client, minnesota_pdf):
    """The chart of the page, stroked: its line is a path of its points on the PDF's
    first page (WeasyPrint once drew it unstroked, a dot and a rule)."""
    page = client.get("/states/minnesota/2023/").content.decode()
    chart = re.search(r'<svg[^>]*id="trend-cybertipline-reports-received-us".*?</svg>', page)[0]
    points = re.search(r'<polyline class="chart-line"[^>]* points="([^"]+)"', chart)[1]
    first, *rest = [point.replace(",", " ") for point in points.split()]
    path = " ".join([f"{first} m", *(f"{point} l" for point in rest), "S"])

    content = PdfReader(io.BytesIO(minnesota_pdf)).pages[0].get_contents().get_data()

    assert len(rest) == 4  # five years
    assert path in " ".join(content.decode("latin-1").split())


def test_the_pdf_is_letter_tagged_and_uses_the_fonts_shipped_with_the_site(minnesota_pdf):
    reader = PdfReader(io.BytesIO(minnesota_pdf))
    root = reader.trailer["/Root"]
    fonts = {
        font.get_object()["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }

    assert [float(x) for x in reader.pages[0].mediabox[2:]] == LETTER
    assert "Page 1 of 2" in reader.pages[0].extract_text()
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert reader.metadata.title == "Minnesota fact sheet, 2023 | NCMEC Data"
    assert fonts
    assert all("Source-Sans-3" in name for name in fonts), fonts


# As served, on Letter and on A4


def test_the_pdf_is_served_inline_on_letter_or_on_a4_with_its_own_name(served):
    letter, a4 = served

    assert letter.status_code == a4.status_code == 200
    assert letter["Content-Type"] == a4["Content-Type"] == "application/pdf"
    assert letter["Content-Disposition"] == 'inline; filename="ncmec-minnesota-2023.pdf"'
    assert a4["Content-Disposition"] == 'inline; filename="ncmec-minnesota-2023-a4.pdf"'
    # Not the Letter PDF from the cache: the paper is part of its key.
    page = PdfReader(io.BytesIO(a4.content)).pages[0]
    assert [round(float(x), 2) for x in page.mediabox[2:]] == A4
    assert pages(a4.content) in (1, 2)
    assert "Minnesota in 2023: key figures" in pdf_text(a4.content)
