"""How to cite what the site publishes: one sentence, the same on every page and in every
download.

    National Center for Missing & Exploited Children, <title>, published <date>,
    <address>, retrieved <date>.

``published`` is when the figures it holds were last published or revised
(reader.published); ``retrieved`` is when this copy was made (the server's date).
"""

from datetime import datetime

from django.utils import timezone

PUBLISHER = "National Center for Missing & Exploited Children"


def written_date(when):
    """A date as the citation writes it: "2 December 2026"."""
    if isinstance(when, datetime):
        when = timezone.localdate(when) if timezone.is_aware(when) else when.date()
    return f"{when.day} {when:%B %Y}"


def citation(title, address, *, published=None, retrieved=None):
    """The citation of ``title`` at ``address`` (absolute). Without ``published`` (nothing
    published yet) that part is left out; ``retrieved`` defaults to today."""
    parts = [PUBLISHER, title]
    if published is not None:
        parts.append(f"published {written_date(published)}")
    parts.append(address)
    parts.append(f"retrieved {written_date(retrieved or timezone.localdate())}")
    return ", ".join(parts) + "."


def last_published(publications, years=None):
    """The latest publication or revision date among ``publications`` (a dict by year, as
    reader.published.year_publications gives), of ``years`` if given; None if none."""
    dates = [p.last_changed for year, p in publications.items() if not years or year in years]
    return max(dates) if dates else None


# The terms the downloads and the data package state: the figures are NCMEC's, published
# for reuse with attribution. One place, so /data/, every download and datapackage.json
# say the same. ``path`` is the site's own explanation (the /data/ page's licence section).
LICENCE = {
    "name": "NCMEC-attribution",
    "title": "Figures © National Center for Missing & Exploited Children, published for "
    "reuse with attribution",
    "path": "/data/#licence",
}
