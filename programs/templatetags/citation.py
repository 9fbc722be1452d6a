"""``{% page_citation %}``: how to cite the page being read, from what its view already
put in the context (no query)."""

from django import template

from ..reader.citation import citation

register = template.Library()

SITE_TITLE = "NCMEC Data"


@register.simple_tag(takes_context=True)
def page_citation(context, title=None, canonical=None, publication=None):
    """The citation of this page: its title (the site's name on the home page), its
    canonical address, and when its figures were last published or revised when the page
    has a year's publication (a reader.published.YearPublication); retrieved today."""
    request = context["request"]
    address = request.build_absolute_uri(canonical or request.path)
    published = publication.last_changed if publication else None
    return citation(title or SITE_TITLE, address, published=published)
