"""What the tests of the fact sheet PDFs share (tests/programs/test_pdf.py and
test_pdf_every_state.py): a PDF's text and pages, read with pypdf."""

import io

from pypdf import PdfReader


def pdf_text(content):
    """The PDF's text, one space between words whatever the line breaks."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pages(content):
    return len(PdfReader(io.BytesIO(content)).pages)
