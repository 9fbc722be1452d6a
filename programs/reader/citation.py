"""How to cite what the site publishes: one sentence, the same on every page and in every
download.

    National Center for Missing & Exploited Children, <title>, published <date>,
    <address>, retrieved <date>.

``published`` is when the figures it holds were last published or revised
(reader.published); ``retrieved`` is when this copy was made. Both are the site's own
dates, written as every date is (formatting.format_date).
"""

from django.utils import timezone

from ..formatting import format_date

PUBLISHER = "National Center for Missing & Exploited Children"


def citation(title, address, *, published=None, retrieved=None):
    """The citation of ``title`` at ``address`` (absolute). Without ``published`` (nothing
    published yet) that part is left out; ``retrieved`` defaults to today."""
    parts = [PUBLISHER, title]
    if published is not None:
        parts.append(f"published {format_date(published)}")
    parts.append(address)
    parts.append(f"retrieved {format_date(retrieved or timezone.localdate())}")
    return ", ".join(parts) + "."


# The terms the downloads and the data package state: the figures are NCMEC's, published
# for reuse with attribution. One place, so /data/, every download and datapackage.json
# say the same. ``path`` is the site's own explanation (the /data/ page's licence section).
LICENCE = {
    "name": "NCMEC-attribution",
    "title": "Figures © National Center for Missing & Exploited Children, published for "
    "reuse with attribution",
    "path": "/data/#licence",
}
