"""Fact sheet PDFs, rendered by WeasyPrint from the site's own static files only.

``fact-sheet.pdf`` (programs/views/fact_sheet_pdf.py) and ``write_fact_sheet_pdfs`` both
render through :func:`fact_sheet_pdf`: the fact sheet's content (reader/fact_sheet.py),
the PDF template, print.css and the fonts shipped in static/fonts/. WeasyPrint would
fetch any address a document names, ``file://`` included; :class:`StaticFilesFetcher`
refuses everything but the site's own static files. PDFs show published figures only,
and are cached on the publication version: a publish makes new ones.
"""

import mimetypes
import posixpath
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .citation import citation
from .fact_sheet import FactSheet

TEMPLATE = "states/fact_sheet_pdf.html"
# Tagged for assistive technology (structure, reading order, alternative text); the
# document's title and language come from the template's <title> and <html lang>.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}
# What a document may load from /static/: its stylesheets, fonts and images.
FETCHABLE = {".css", ".woff2", ".woff", ".ttf", ".otf", ".svg", ".png", ".jpg", ".jpeg"}
# Bump when the PDF's template or styles change in a way cached PDFs should not keep.
# 2: rates per 100,000 and ranks by rate; 3: definitions, sources, no sparkline; 4: key
# figures first, sparklines drawn, the citation, A4.
LAYOUT = 4
CACHE_SECONDS = 60 * 60 * 24  # a day: the key changes with the day anyway
# The paper a PDF is laid out for (``?paper=a4``), by the name an address gives it.
PAPERS = {"letter": "Letter", "a4": "A4"}
LETTER = "letter"
# A fact sheet is one or two pages, as NCMEC's own: write_fact_sheet_pdfs fails beyond.
MAX_PAGES = 2


class RefusedURL(ValueError):
    """A document named an address outside the site's static files."""


def _import_weasyprint():
    # Imported on first use: WeasyPrint loads Pango and its fonts (about 80 MB), which
    # the site's other pages and commands never need.
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    return weasyprint, FontConfiguration


def font_configuration():
    """One FontConfiguration for many PDFs: the command renders 56 with one."""
    return _import_weasyprint()[1]()


_per_thread = threading.local()


def thread_font_configuration():
    """The web process's FontConfiguration, one per thread (a new one costs about a
    quarter of a second; WeasyPrint keeps each @font-face font once, so it does not
    grow with the PDFs it renders)."""
    if getattr(_per_thread, "font_config", None) is None:
        _per_thread.font_config = font_configuration()
    return _per_thread.font_config


def static_file(url, base_url):
    """The path on disk of the static file that ``url`` names under ``base_url``, or
    RefusedURL: another scheme or host, a path outside STATIC_URL, a way out of the
    static folders, a file type a document has no need of, or no such file."""
    parts, base = urlsplit(url), urlsplit(base_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.scheme:
        raise RefusedURL(f"Not this site's address: {url}")
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    path = unquote(parts.path)
    if not path.startswith(prefix):
        raise RefusedURL(f"Not a static file: {url}")
    name = path[len(prefix) :]
    if "\\" in name or "\x00" in name or ".." in name.split("/"):
        raise RefusedURL(f"Not a static file: {url}")
    name = posixpath.normpath(name)
    if name.startswith(("/", ".")) or Path(name).suffix.lower() not in FETCHABLE:
        raise RefusedURL(f"Not a file a PDF may use: {url}")
    found = finders.find(name)  # the source folders
    if not found and settings.STATIC_ROOT and staticfiles_storage.exists(name):
        found = staticfiles_storage.path(name)  # collected, with hashed names, in production
    if not found:
        raise RefusedURL(f"No such static file: {url}")
    return Path(found)


def _fetcher_class():
    weasyprint, _ = _import_weasyprint()
    from weasyprint.urls import URLFetcherResponse

    class StaticFilesFetcher(weasyprint.URLFetcher):
        """Serves the site's static files from disk; refuses every other address."""

        def __init__(self, base_url):
            super().__init__(allowed_protocols=("http", "https"), allow_redirects=False)
            self.base_url = base_url
            self.refused = []

        def fetch(self, url, headers=None):
            try:
                path = static_file(url, self.base_url)
            except RefusedURL:
                self.refused.append(url)
                raise
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix == ".woff2":
                content_type = "font/woff2"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesFetcher


def static_files_fetcher(base_url):
    """A WeasyPrint URL fetcher limited to the static files of the site at ``base_url``
    (like "https://example.org/"); it lists what it refused in ``.refused``."""
    return _fetcher_class()(base_url)


@dataclass
class FactSheetPDF:
    content: bytes
    pages: int


def render(html, base_url, *, paper=LETTER, font_config=None, fetcher=None) -> FactSheetPDF:
    """The PDF of an HTML document whose addresses are relative to ``base_url``, on
    ``paper`` (a key of PAPERS): the one way every PDF is made, through the fetcher
    limited to the site's static files."""
    weasyprint, FontConfiguration = _import_weasyprint()
    fetcher = fetcher or static_files_fetcher(base_url)
    # The page size only: the document's stylesheets lay out the rest, on either paper.
    size = weasyprint.CSS(string=f"@page {{ size: {PAPERS[paper]}; }}")
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=[size], font_config=font_config or FontConfiguration(), **PDF_OPTIONS
    )
    return FactSheetPDF(content=document.write_pdf(**PDF_OPTIONS), pages=len(document.pages))


def render_pdf(html, base_url, *, font_config=None, fetcher=None) -> bytes:
    """PDF bytes of an HTML document on Letter paper (``render``'s content)."""
    return render(html, base_url, font_config=font_config, fetcher=fetcher).content


def page_address(sheet: FactSheet, base_url):
    path = reverse("states:fact_sheet", args=[sheet.state.slug, sheet.year])
    return base_url.rstrip("/") + path


def fact_sheet_html(sheet: FactSheet, base_url, *, made=None):
    """The PDF's HTML: the fact sheet's content in the PDF template, ending with how to
    cite the fact sheet's page (its address, when its figures were published, and the
    day the PDF was made, as the page's own citation says it)."""
    context = sheet.context()
    address = page_address(sheet, base_url)
    published = sheet.publication.last_changed if sheet.publication else None
    made = made or timezone.now()
    context["citation"] = citation(sheet.title, address, published=published, retrieved=made)
    return render_to_string(TEMPLATE, context)


def fact_sheet_pdf(sheet: FactSheet, base_url, *, paper=LETTER, font_config=None):
    """The fact sheet as a PDF on ``paper``. ``sheet`` must have been built with
    preview=False."""
    html = fact_sheet_html(sheet, base_url)
    return render(html, base_url, paper=paper, font_config=font_config)


def cache_key(version, slug, year, base_url, paper=LETTER):
    """A fact sheet PDF's cache key: the publication version, the place and year, the
    paper, the site address its links and its citation name, and the day (New York's),
    as its citation says when it was retrieved, like a page's."""
    site = urlsplit(base_url).netloc
    day = timezone.localdate().isoformat()
    return f"fact-sheet-pdf:{LAYOUT}:v{version}:{slug}:{year}:{paper}:{site}:{day}"


def cached_pdf(key):
    return cache.get(key)


def store_pdf(key, pdf: FactSheetPDF):
    cache.set(key, pdf, CACHE_SECONDS)


def filename(sheet_slug, year, paper=LETTER):
    """ "ncmec-minnesota-2023.pdf", and on A4 "ncmec-minnesota-2023-a4.pdf"."""
    suffix = "" if paper == LETTER else f"-{paper}"
    return f"ncmec-{sheet_slug}-{year}{suffix}.pdf"
