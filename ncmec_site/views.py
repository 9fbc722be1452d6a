from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .site_address import absolute_url

# Django's own messages for get_object_or_404 ("No State matches the given query.")
# say nothing useful to a reader: the page's general text stands alone.
_DJANGO_MESSAGE_END = "matches the given query."


def page_not_found(request, exception=None):
    """A page that says what was not found and where to go next, with the view's own
    message when it gave one ("No figures are published for 2031.")."""
    message = ""
    args = getattr(exception, "args", ())
    if args and isinstance(args[0], str) and not args[0].endswith(_DJANGO_MESSAGE_END):
        message = args[0]
    return render(
        request,
        "404.html",
        {
            "message": message,
            "title": "Page not found",
            "description": "This page of NCMEC Data was not found.",
        },
        status=404,
    )


def bad_request(request, exception=None):
    """The answer to a query the site cannot read ("?year=02023"), with the view's own
    message. Only a view's BadRequest says why: Django's other 400s (a Host not allowed,
    a request too large) keep their reasons to the log."""
    message = ""
    if type(exception) is BadRequest and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(
        request,
        "400.html",
        {
            "message": message,
            "title": "Bad request",
            "description": "This address of NCMEC Data cannot be read.",
        },
        status=400,
    )


@require_safe
def robots_txt(request):
    """Everything may be crawled but the admin and the staff preview; the sitemap lists
    the pages with figures."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def health(request):
    """For a load balancer: 200 "ok" when this process can reach the database, 503 when
    it cannot. One query, nothing cached, no template: cheap enough to ask every second."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
