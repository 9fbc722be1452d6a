import logging
import sys
import time

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from .site_address import absolute_url

# Django's own messages for get_object_or_404 ("No State matches the given query.")
# say nothing useful to a reader: the page's general text stands alone.
_DJANGO_MESSAGE_END = "matches the given query."


def _error_page(request, status, message, **text):
    """The site's page for a 404 or a 400 (templates/error_page.html): what went wrong,
    the view's own message when it gave one, and where to go next."""
    return render(request, "error_page.html", {"message": message, **text}, status=status)


def page_not_found(request, exception=None):
    """With the view's own message when it gave one ("No figures are published for
    2031.")."""
    message = ""
    args = getattr(exception, "args", ())
    if args and isinstance(args[0], str) and not args[0].endswith(_DJANGO_MESSAGE_END):
        message = args[0]
    return _error_page(
        request,
        404,
        message,
        title="Page not found",
        heading="Page not found",
        description="This page of NCMEC Data was not found.",
        explanation="We could not find that page. The address may be mistyped, or the "
        "figures it asks for are not published.",
    )


# How long a reader is asked to wait before trying again when the database is away.
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """A 503 that says the site is briefly unavailable when the database cannot be
    reached (a page the page cache does not hold); Django's plain 500 page otherwise.
    Rendered without the request's context, which could need the database itself."""
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        if request.path.startswith("/api/"):  # the API answers in JSON, errors too
            message = "The figures cannot be reached just now: try again in a minute."
            response = JsonResponse({"error": {"status": 503, "message": message}}, status=503)
            response["Access-Control-Allow-Origin"] = "*"
        else:
            body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
            response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def bad_request(request, exception=None):
    """The answer to a query the site cannot read ("?year=02023"), with the view's own
    message. Only a view's BadRequest says why: Django's other 400s (a Host not allowed,
    a request too large) keep their reasons to the log."""
    message = ""
    if type(exception) is BadRequest and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return _error_page(
        request,
        400,
        message,
        title="Bad request",
        heading="We could not read that address",
        description="This address of NCMEC Data cannot be read.",
        explanation="Part of the address is not written the way this site reads it. It "
        "may be mistyped, or cut short when it was copied.",
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


# What browsers ask for at the root of a site: a page's own <link>s name the files
# (templates/base.html), but the admin's pages, feed readers and a phone's "Add to Home
# Screen" on a page without them ask here. Each is one of the static files, drawn from
# static/icons/icon.svg (docs/pages.md, "Icons").
ROOT_ICONS = {
    "favicon.ico": "icons/favicon.ico",
    "apple-touch-icon.png": "icons/apple-touch-icon.png",
    "apple-touch-icon-precomposed.png": "icons/apple-touch-icon.png",
}
# A day: the static file's own address (hashed in production) changes with the icon, so
# the redirect is what may go stale.
ROOT_ICON_MAX_AGE = 24 * 60 * 60


@require_safe
@cache_control(public=True, max_age=ROOT_ICON_MAX_AGE)
def root_icon(request, name):
    """A redirect to the static file of an icon asked for at the site's root."""
    return redirect(static(ROOT_ICONS[name]))


def _timed(check):
    """("ok" or "down", milliseconds) of ``check()``, true when its part answers."""
    started = time.perf_counter()
    try:
        up = check()
    except Exception:  # whatever a part raises, it is down: said, not raised
        logging.getLogger(__name__).warning(
            "Health check of the %s failed.",
            check.__name__.strip("_"),
            exc_info=True,
            extra={"event": "health.down", "part": check.__name__.strip("_")},
        )
        up = False
    return ("ok" if up else "down"), (time.perf_counter() - started) * 1000


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache():
    # A miss is fine; the cache's own failures come back as None too (ncmec_site/cache.py),
    # so a write and its read say whether it answers.
    cache.set("health-check", "1", 10)
    return cache.get("health-check") == "1"


@never_cache
@require_safe
def health(request):
    """Liveness, for a load balancer or a process supervisor: this process answers. Asks
    nothing of the database or the cache, so a restart is never the answer to their
    being away."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_safe
def health_ready(request):
    """Readiness, for the person on call and their monitoring: a line per part this
    process needs, "ok" or "down" with the time its check took; 503 when any is down.
    No template, nothing cached."""
    parts = {"database": _timed(_database), "cache": _timed(_cache)}
    lines = [f"{name}: {state} ({ms:.1f} ms)" for name, (state, ms) in parts.items()]
    down = [name for name, (state, _) in parts.items() if state != "ok"]
    status = 503 if down else 200
    return HttpResponse("\n".join(lines) + "\n", status=status, content_type="text/plain")
