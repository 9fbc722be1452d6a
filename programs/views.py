from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from states.models import State

from . import sheets
from .models import Figure, Metric, Program, Revision


def visible_programs(request, *, notes=True):
    """The reader's programs with their metrics and (unless ``notes`` is false) the
    metrics' dated notes: three queries at most, whatever their number."""
    metrics = Metric.objects.order_by("position", "key")
    if notes:
        metrics = metrics.prefetch_related("notes")
    return Program.objects.visible(request.preview).prefetch_related(
        Prefetch("metrics", queryset=metrics)
    )


def year_from_query(request):
    """The ?year= of a year selector, or None; anything but a plain year is a 404."""
    raw = request.GET.get("year")
    if raw is None:
        return None
    if not (len(raw) == 4 and raw.isascii() and raw.isdigit()):
        raise Http404("The year must be written as four digits, like 2023.")
    return int(raw)


def pick_year(years, year):
    """The year asked for if it has published figures, the latest if none was asked for."""
    if year is None:
        return years[0] if years else None
    if year not in years:
        raise Http404(f"No figures are published for {year}.")
    return year


def home(request):
    years = Figure.objects.visible(request.preview).years()
    year = years[0] if years else None
    programs = visible_programs(request)
    figures = sheets.reader_figures(request.preview, year=year, national=True) if year else []
    return render(
        request,
        "home.html",
        {
            "year": year,
            "work_areas": sheets.work_areas(programs, figures, year=year),
            "states": State.objects.all(),
            "canonical": "/",
            "sources": sheets.sources(figures),
        },
    )


def program_list(request):
    return render(
        request,
        "programs/program_list.html",
        {
            "work_areas": sheets.work_areas(visible_programs(request, notes=False), []),
            "title": "Programs",
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
    metrics = sheets.collected(program.metrics.all(), year)
    figures = sheets.reader_figures(request.preview, year=year, program=program) if year else []
    index = sheets.attach(figures, metrics)
    national = [m for m in metrics if m.is_national]
    for_states = [m for m in metrics if not m.is_national]
    # The state sections show no dated notes (the definitions do): no year for them.
    states = [
        (state, sheets.lines_for(for_states, index, state.pk)) for state in State.objects.all()
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
            "national": sheets.lines_for(national, index, None, year),
            "state_metrics": for_states,
            "states": states,
            "definitions": [
                (metric, notes)
                for metric in metrics
                if (notes := sheets.notes_for(metric, year)) or metric.definition
            ],
            "sources": sheets.sources(figures),
        },
    )


REVISIONS_PER_PAGE = 25


def revision_list(request):
    """Every published revision note, newest first, a page at a time."""
    page = Paginator(Revision.objects.public(), REVISIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programs/revision_list.html",
        {
            "page": page,
            "title": "Revisions to published figures",
            "description": "Every correction to NCMEC's published figures: what changed, "
            "when, and why.",
        },
    )


def revision_detail(request, pk):
    revision = get_object_or_404(Revision.objects.public(), pk=pk)
    return render(
        request,
        "programs/revision_detail.html",
        {"revision": revision, "title": revision.title},
    )
