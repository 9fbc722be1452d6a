"""The sources figures name: the address and credit pages list beside the figures."""

from django.contrib import admin
from django.db.models import Count, Max, Min
from django.utils.html import format_html

from ..formatting import word_list
from ..models import Figure, Source
from .base import PublicChangeAdmin


def figures_naming(titles):
    """{title: how many figures name it}, for these titles: one grouped query."""
    rows = (
        Figure.objects.filter(source__in=titles)
        .order_by()
        .values("source")
        .annotate(count=Count("pk"))
        .values_list("source", "count")
    )
    return dict(rows)


@admin.register(Source)
class SourceAdmin(PublicChangeAdmin):
    """Readers see a source's details beside every published figure that names it, so
    only Publishers change them (an Editor sees them)."""

    list_display = ("title", "address", "credit", "figure_count")
    search_fields = ("title", "credit")
    fields = ("title", "url", "credit", "figures")
    readonly_fields = ("figures",)

    def is_public(self, source):
        return source.shown_to_public()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # an address typed without one
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The count of each listed source's figures, in one query for the page.
        counts = figures_naming([source.title for source in changelist.result_list])
        for source in changelist.result_list:
            source.figure_count = counts.get(source.title, 0)
        return changelist

    @admin.display(description="address", ordering="url")
    def address(self, source):
        return format_html('<a href="{}">{}</a>', source.url, source.url) if source.url else ""

    @admin.display(description="figures naming it")
    def figure_count(self, source):
        return f"{getattr(source, 'figure_count', 0):,}"

    @admin.display(description="figures naming it")
    def figures(self, source):
        """How many figures name the source (their "source" is its title), of which
        years and metrics: what a change here changes on the pages."""
        if source is None or not source.pk:
            return "None yet: figures name a source by its title."
        named = Figure.objects.filter(source=source.title).order_by()
        summary = named.aggregate(count=Count("pk"), first=Min("year"), last=Max("year"))
        if not summary["count"]:
            return "None: no figure names this title."
        years = str(summary["first"])
        if summary["last"] != summary["first"]:
            years += f"–{summary['last']}"
        labels = sorted(set(named.values_list("metric__label", flat=True)))
        return (
            f"{summary['count']:,} figure(s) of {years}, of {len(labels)} metric(s): "
            f"{word_list(labels)}."
        )
