"""Dates in templates as everywhere else (programs.formatting), the site's own: for
readers ``{{ when|format_date }}`` "6 December 2026" and ``{{ when|format_datetime }}``
"6 December 2026, 11:30 pm EST"; in ``<time datetime>`` ``{{ when|data_date }}``
"2026-12-06" and ``{{ when|data_datetime }}`` "2026-12-06T23:30:00-05:00"."""

from django import template

from .. import formatting

register = template.Library()

register.filter("format_date", formatting.format_date)
register.filter("data_date", formatting.data_date)
register.filter("format_datetime", formatting.format_datetime)
register.filter("data_datetime", formatting.data_datetime)
