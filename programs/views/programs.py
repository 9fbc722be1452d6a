"""The home page and the program pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from states.models import State

from ..models import Figure
from ..reader import figures as reader
from ..reader import layout
from ..reader.home import with_national_figures
from ..reader.published import year_publication
from .common import pick_year, visible_programs, year_from_query


def home(request):
    years = Figure.objects.visible(request.preview).years()
    year = years[0] if years else None
    programs = visible_programs(request)
    figures = reader.reader_figures(request.preview, year=year, national=True) if year else []
    work_areas = layout.work_areas(programs, figures, year=year)
    national_areas, no_national = with_national_figures(work_areas)
    return render(
        request,
        "home.html",
        {
            "year": year,
            "work_areas": work_areas,
            "national_areas": national_areas,
            "no_national": no_national,
            "states": State.objects.all(),
            "canonical": "/",
            "description": "The latest national figures of the National Center for Missing "
            "and Exploited Children, and a fact sheet for every state and territory.",
            "publication": year_publication(year),
            "sources": layout.sources(figures),
        },
    )


def program_list(request):
    return render(
        request,
        "programs/program_list.html",
        {
            "work_areas": layout.work_areas(visible_programs(request, notes=False), []),
            "title": "Programs",
            "description": "NCMEC's programs by area of work, each with its national and "
            "state figures.",
        },
    )


def program_detail(request, slug, year=None):
    program = get_object_or_404(visible_programs(request), slug=slug)
    selected = year_from_query(request)
    if selected is not None:
        if year is not None and selected != year:
            raise Http404("Two different years were asked for.")
        return redirect("programs:year", slug=program.slug, year=selected)
    years = Figure.objects.visible(request.preview).for_program(program).years()
    year = pick_year(years, year)
    metrics = layout.collected(program.metrics.all(), year)
    figures = reader.reader_figures(request.preview, year=year, program=program) if year else []
    index = reader.attach(figures, metrics)
    national = [m for m in metrics if m.is_national]
    for_states = [m for m in metrics if not m.is_national]
    # The state sections show no dated notes (the definitions do): no year for them.
    states = [
        (state, layout.lines_for(for_states, index, state.pk)) for state in State.objects.all()
    ]
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "title": f"{program.name}, {year}" if year else program.name,
            "description": program.summary,
            "canonical": reverse("programs:year", args=[program.slug, year]) if year else None,
            "year": year,
            "years": years,
            "national": layout.lines_for(national, index, None, year),
            "state_metrics": for_states,
            "states": states,
            "definitions": [
                (metric, notes)
                for metric in metrics
                if (notes := layout.notes_for(metric, year)) or metric.definition
            ],
            "sources": layout.sources(figures),
            "publication": year_publication(year),
        },
    )
