"""Staff preview: every public page as it will look with draft editions included.

A staff member turns preview on (a button in the admin's /preview/start/ page); the flag lives
in their session, so anonymous readers, who have no session, are never affected and
their pages stay the same for everyone. A preview response is private and never
stored by any cache.

Turning preview on also sets a marker cookie (``PREVIEW_COOKIE``), a hint and no more:
without it a request is out of preview and its session is never read, so a staff member
reading the public pages out of preview costs no query of the session and none of the
user (a fact sheet built for the version then makes none at all). With it, the session
and the user decide, as before; a marker that outlived its preview (a sign-out, an
expired session) is cleared by the next page.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

SESSION_KEY = "preview_drafts"
PREVIEW_COOKIE = "preview"


def is_preview(request):
    """True for a staff member who has turned preview on; no query without the marker."""
    if PREVIEW_COOKIE not in request.COOKIES:
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return bool(request.session.get(SESSION_KEY)) and request.user.is_staff


def mark_preview(response, on):
    if on:
        response.set_cookie(
            PREVIEW_COOKIE,
            "1",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(PREVIEW_COOKIE, samesite="Lax")
    return response


class PreviewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.preview = is_preview(request)
        response = self.get_response(request)
        if request.preview:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        elif PREVIEW_COOKIE in request.COOKIES and PREVIEW_COOKIE not in response.cookies:
            mark_preview(response, False)  # its preview is over
            patch_cache_control(response, private=True)  # a cache must not keep the Set-Cookie
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # The session is not read out of preview, so SessionMiddleware does not say
            # it: what this cookie's holder is sent may differ from a reader's.
            patch_vary_headers(response, ("Cookie",))
        return response


def preview_url(path):
    """The page that offers to open a public page in staff preview, draft editions included.

    It is a link to a page with a button, not the switch itself: turning preview on is a
    POST with a CSRF token (an admin list is one big form, and forms cannot nest).
    """
    return f"{reverse('preview_start')}?{urlencode({'next': path})}"


def _next(request):
    data = request.POST if request.method == "POST" else request.GET
    target = data.get("next", "/")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target.startswith("/") else "/"


def _confirm(request, *, heading, text, button):
    """The page an old link or a bookmark opens: a button that does it, nothing done yet."""
    context = {
        **admin.site.each_context(request),
        "title": heading,
        "text": text,
        "button": button,
        "next": _next(request),
    }
    return render(request, "preview/confirm.html", context)


# Both change the session, so both are POSTs with a CSRF token: another site cannot switch
# a staff member's preview on or off. A GET changes nothing and offers the button.


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_member_required
def preview_start(request):
    if request.method != "POST":
        return _confirm(
            request,
            heading="Preview the site with drafts",
            text="Preview shows the public pages with draft editions included, to you only.",
            button="Turn on preview",
        )
    request.session[SESSION_KEY] = True
    return mark_preview(redirect(_next(request)), True)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preview_stop(request):
    if request.method != "POST":
        return _confirm(
            request,
            heading="Leave preview",
            text="The public pages will show published editions only again.",
            button="Leave preview",
        )
    if SESSION_KEY in request.session:
        del request.session[SESSION_KEY]
    return mark_preview(redirect(_next(request)), False)
