"""Staff preview: every public page as it will look with draft editions included.

A staff member turns preview on (from the admin, or /preview/start/); the flag lives
in their session, so anonymous readers, who have no session, are never affected and
their pages stay the same for everyone. A preview response is private and never
stored by any cache.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

SESSION_KEY = "preview_drafts"


def is_preview(request):
    """True for a staff member who has turned preview on; no query without a session."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return bool(request.session.get(SESSION_KEY)) and request.user.is_staff


class PreviewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.preview = is_preview(request)
        response = self.get_response(request)
        if request.preview:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


def preview_url(path):
    """The address that opens a public page in staff preview, draft editions included."""
    return f"{reverse('preview_start')}?{urlencode({'next': path})}"


def _next(request):
    target = request.GET.get("next", "/")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target.startswith("/") else "/"


@staff_member_required
def preview_start(request):
    request.session[SESSION_KEY] = True
    return redirect(_next(request))


def preview_stop(request):
    if SESSION_KEY in request.session:
        del request.session[SESSION_KEY]
    return redirect(_next(request))
