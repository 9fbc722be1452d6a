from django import template

register = template.Library()


@register.filter
def figure_value(figure):
    """Write a figure as readers see it ("8,611", "more than 18,400", "19%")."""
    if figure is None:
        return ""
    return figure.display_value
