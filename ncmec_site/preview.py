"""Staff preview: every public page as it will look with draft editions included.

A staff member turns preview on (a button in the admin's /preview/start/ page); the flag lives
in their session, and a marker cookie (``PREVIEW_COOKIE``) signed with the secret key says
so to the page cache. Without a marker that verifies, a request is out of preview, whatever
else it carries (a session cookie, a made-up one): it is answered by the page cache
(programs/page_cache.py), and its session is never read. With one, the session and the
user decide; a marker that outlived its preview (a sign-out, an expired session) is
cleared by the next page. A preview response is private and never stored by any cache.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

SESSION_KEY = "preview_drafts"
PREVIEW_COOKIE = "preview"
SALT = "ncmec_site.preview"


def signed_marker() -> str:
    """The preview marker's value: "1", signed with the secret key."""
    return signing.get_cookie_signer(salt=PREVIEW_COOKIE + SALT).sign("1")


def has_preview_marker(request) -> bool:
    """Whether the request carries a preview marker this site signed: no query."""
    return request.get_signed_cookie(PREVIEW_COOKIE, default=None, salt=SALT) == "1"


def is_preview(request):
    """True for a staff member who has turned preview on; no query without the marker."""
    if not has_preview_marker(request):
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return bool(request.session.get(SESSION_KEY)) and request.user.is_staff


def mark_preview(response, on):
    if on:
        response.set_cookie(
            PREVIEW_COOKIE,
            signed_marker(),
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
        elif has_preview_marker(request) and PREVIEW_COOKIE not in response.cookies:
            mark_preview(response, False)  # its preview is over
            patch_cache_control(response, private=True)  # a cache must not keep the Set-Cookie
        # What is sent differs with the preview marker (a cookie): a browser or a proxy
        # must not answer a preview with the public page it kept, nor the reverse.
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
