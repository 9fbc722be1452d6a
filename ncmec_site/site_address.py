"""The site's own absolute address, from ``settings.SITE_URL`` (which production
requires), never from the request: a client chooses its Host header, and a spoofed or
odd one ("evil.example", "testserver:1") must never end up in a page, a download, the
API, a PDF or a cache. Every absolute address the site writes is built here: the pages'
canonical links and citations, the downloads' links and citations, the API's, the data
package's, the sitemap's and the Atom feed's, and the PDFs' (the view and the
``write_fact_sheet_pdfs --site-url`` default).
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_origin():
    """(scheme, host) of the site's address, for what writes them apart (Django's
    sitemaps): ("https", "data.example.org")."""
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc


def absolute_url(path=None):
    """``path`` (a path from the site's root, with any query string or fragment, as
    ``reverse()`` or ``request.get_full_path()`` give it) as an absolute address on the
    site: "/states/minnesota/2023/" is "https://data.example.org/states/minnesota/2023/".
    Without a path, the site's own address (``settings.SITE_URL``). A path such as
    "//elsewhere.example/" stays on the site."""
    if path is None:
        return settings.SITE_URL
    if not path.startswith("/"):
        raise ValueError(f"{path!r} is not a path from the site's root.")
    scheme, host = site_origin()
    return f"{scheme}://{host}{path}"
