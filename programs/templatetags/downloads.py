"""``{% download_query state=state.code year=year as query %}``: a page's filters as the
query string of its downloads ("state=MN&year=2023")."""

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag
def download_query(**filters):
    return urlencode({name: value for name, value in filters.items() if value})
