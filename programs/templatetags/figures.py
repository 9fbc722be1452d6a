from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import formatting
from ..reader.sources import source_anchor

register = template.Library()


@register.filter
def figure_value(figure):
    """Write a figure as readers see it ("8,611", "more than 18,400", "19%")."""
    if figure is None:
        return ""
    return figure.display_value


@register.filter
def rate(value):
    """Write a rate per 100,000 residents as readers see it ("181.4")."""
    return formatting.format_rate(value)


@register.filter
def whole_number(count):
    """Write a count of things as pages write numbers: "1,064"."""
    return formatting.format_figure(count)


PENDING = {"withdraw": "withdrawal pending publication", "add": "new, pending publication"}


@register.simple_tag
def revised_mark(figure):
    """Beside a figure: "revised", linking to its revision note, or in a staff preview
    what is pending; nothing for a figure never revised. A tag rather than an include:
    a program page or a comparison has hundreds of figures, and an include costs each
    of them a new context and a template lookup."""
    if figure is None:
        return ""
    if figure.pending:
        label = PENDING.get(figure.pending.action, "revised, pending publication")
        return format_html('<span class="revised-mark revised-mark--pending">{}</span>', label)
    if figure.revision_id:
        return format_html(
            '<a class="revised-mark" href="{}">revised {}<span class="visually-hidden">: '
            "read the revision note</span></a>",
            figure.revision_url,
            figure.revision.date_label,
        )
    return ""


NO_SOURCE = mark_safe('<span class="no-source">no source given</span>')


@register.filter
def source_id(title):
    """The id of a source in a page's list of sources: an address for it on the page."""
    return source_anchor(title)


@register.simple_tag
def source_name(title):
    """A figure's source, by its title (the page's list gives its address and credit);
    "no source given" when it names none, never another figure's. Not a link: a program
    page names a source beside dozens of figures, and as many links to the foot of the
    page would stand between a keyboard and the page's tables. A tag, as
    ``revised_mark``: a table may name hundreds."""
    if not title:
        return NO_SOURCE
    return format_html('<cite class="source-name">{}</cite>', title)
