"""Search: states (by name or USPS code), programs and metrics, published ones only."""

from django.db.models import Q
from django.shortcuts import render

from states.models import State

from ..models import Metric, Program

MAX_QUERY_LENGTH = 100
EXAMPLES = ("Minnesota", "MN", "CyberTipline", "missing")


def _all_words(fields, words):
    """Every word in at least one of the fields, in any case."""
    condition = Q()
    for word in words:
        either = Q()
        for name in fields:
            either |= Q(**{f"{name}__icontains": word})
        condition &= either
    return condition


def search(request):
    """Three queries with a query, none without; a query over 100 characters is a 400."""
    raw = request.GET.get("q", "")
    # Control characters (a NUL would fail on PostgreSQL) count as spaces.
    q = " ".join("".join(c if c.isprintable() else " " for c in raw).split())
    context = {
        "q": q,
        "title": f"Search: {q}" if q else "Search",
        "description": "Search NCMEC Data for a state or territory, a program or a figure.",
        "examples": EXAMPLES,
        "max_length": MAX_QUERY_LENGTH,
    }
    if len(raw) > MAX_QUERY_LENGTH:
        context.update(title="Search", q="")
        context["error"] = (
            f"A search can be at most {MAX_QUERY_LENGTH} characters long; this one has "
            f"{len(raw)}. Try a shorter one, such as a state's name or a program's."
        )
        return render(request, "programs/search.html", context, status=400)
    if not q:
        return render(request, "programs/search.html", context)

    words = q.split()
    states = State.objects.filter(Q(code__iexact=q) | _all_words(["name"], words))
    programs = Program.objects.visible(request.preview).filter(
        _all_words(["name", "summary"], words)
    )
    metrics = (
        Metric.objects.visible(request.preview)
        .filter(_all_words(["label", "definition"], words))
        .select_related("program")
    )
    context.update(
        states=list(states),
        programs=list(programs),
        metrics=[(metric, metric.get_absolute_url()) for metric in metrics],
    )
    context["count"] = len(context["states"]) + len(context["programs"]) + len(context["metrics"])
    return render(request, "programs/search.html", context)
