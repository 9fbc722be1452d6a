"""``{% page_citation %}``: how to cite the page being read, from what its view already
put in the context (no query)."""

from django import template

from ncmec_site.site_address import absolute_url as site_address

from ..reader.citation import citation

register = template.Library()

SITE_TITLE = "NCMEC Data"


@register.simple_tag(takes_context=True)
def page_citation(context, title=None, canonical=None, publication=None):
    """The citation of this page: its title (the site's name on the home page), its
    canonical address, and when its figures were last published or revised when the page
    has a year's publication (a reader.published.YearPublication); retrieved today."""
    request = context["request"]
    address = site_address(canonical or request.path)
    published = publication.last_changed if publication else None
    return citation(title or SITE_TITLE, address, published=published)


@register.filter
def absolute_url(path):
    """A path from the site's root as the site's absolute address (never the request's
    Host): the pages' canonical link and og:url."""
    return site_address(path)
