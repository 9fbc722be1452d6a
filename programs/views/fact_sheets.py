"""The list of states and territories, and each one's fact sheet."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from states.models import State

from ..reader.fact_sheet import fact_sheet_build, fact_sheet_years
from .common import pick_year, visible_programs, year_from_query


def state_list(request):
    return render(
        request,
        "states/state_list.html",
        {"states": State.objects.all(), "title": "States and territories"},
    )


def fact_sheet(request, slug, year=None):
    """A state's fact sheet for a year: by default the latest year with a figure for the
    state (the latest published year when it has none at all)."""
    state = get_object_or_404(State, slug=slug)
    selected = year_from_query(request)
    if selected is not None:
        return redirect("states:fact_sheet", slug=state.slug, year=selected)
    years, state_years = fact_sheet_years(state, request.preview)
    if year is None and state_years:
        year = state_years[0]
    year = pick_year(years, year)
    sheet = fact_sheet_build(
        state,
        year,
        preview=request.preview,
        years=years,
        state_years=state_years,
        programs=visible_programs(request),
    )
    context = sheet.context()
    context["canonical"] = reverse("states:fact_sheet", args=[state.slug, year]) if year else None
    # For the line printed at the foot of the page (print.css shows it on paper only).
    context["page_address"] = request.build_absolute_uri(context["canonical"] or request.path)
    context["generated_at"] = timezone.now()
    return render(request, "states/fact_sheet.html", context)
