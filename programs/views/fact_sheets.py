"""The list of states and territories, and each one's fact sheet."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ncmec_site.site_address import absolute_url
from states.models import State
from states.naming import find_state

from ..reader import catalog
from ..reader.fact_sheet import fact_sheet_build, fact_sheet_years
from .common import pick_year, visible_programs, year_from_query


def state_list(request):
    """Every state and territory; with ``?state=`` (the state picker), that state's
    fact sheet, in the year the picker carries if it carries one."""
    if request.GET.get("state"):
        return picked_state(request)
    return render(
        request,
        "states/state_list.html",
        {
            "states": State.objects.all(),
            "title": "States and territories",
            "description": "A fact sheet of NCMEC's work in each state, the District of "
            "Columbia and each US territory.",
        },
    )


def picked_state(request):
    state = State.objects.lookup(request.GET["state"])
    if state is None:
        raise Http404("There is no state or territory by that name or code.")
    year = year_from_query(request)
    if year is None:
        return redirect("states:detail", slug=state.slug)
    return redirect("states:fact_sheet", slug=state.slug, year=year)


def canonical_state(request, slug, year, states):
    """The state an address names by slug, USPS code ("mn", "MN") or name, among
    ``states`` (read already: no query), and a permanent redirect to its own address
    when it was not named by slug."""
    state = find_state(slug, states)
    if state is None:
        raise Http404("There is no state or territory at this address.")
    if state.slug == slug:
        return state, None
    args = [state.slug] if year is None else [state.slug, year]
    url = reverse("states:detail" if year is None else "states:fact_sheet", args=args)
    if request.GET:
        url += "?" + request.GET.urlencode()
    return state, redirect(url, permanent=True)


def fact_sheet(request, slug, year=None):
    """A state's fact sheet for a year: by default the latest year with a figure for the
    state (the latest published year when it has none at all)."""
    states = catalog.states()
    state, moved = canonical_state(request, slug, year, states)
    if moved:
        return moved
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
        states=states,
        programs=visible_programs(request),
    )
    context = sheet.context()
    context["states"] = states  # the state picker
    context["canonical"] = reverse("states:fact_sheet", args=[state.slug, year]) if year else None
    # For the line printed at the foot of the page (print.css shows it on paper only).
    context["page_address"] = absolute_url(context["canonical"] or request.path)
    context["generated_at"] = timezone.now()
    return render(request, "states/fact_sheet.html", context)
