"""The revision notes: every correction to published figures, and each one's page."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from ..models import Revision

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
        {
            "revision": revision,
            "title": revision.title,
            "description": f"The figures of the {revision.year} edition corrected on "
            f"{revision.date_label}: the old and the new values, and why.",
        },
    )
