"""Each request's id, and the log lines of what goes wrong in a request: a server error
(any 5xx) and a sign-in refused after too many wrong passwords.

The id is the request's valid ``X-Request-ID`` (the one a proxy in front gave it, so its
log and this one name the same request) or a new one; every log line written while the
request is answered carries it (ncmec_site/logs.py), and the answer sends it back in
``X-Request-ID`` for a reader to quote.
"""

import logging
import re
import sys
import uuid

from axes.signals import user_locked_out
from django.conf import settings
from django.core.signals import got_request_exception
from django.dispatch import receiver
from django.utils.functional import empty
from django.utils.log import log_response

from .logs import request_id, who

logger = logging.getLogger(__name__)

# What an id from outside may be: a proxy's (nginx's $request_id, 32 hex digits), a UUID;
# anything else (too long, spaces, quotes, control characters) is replaced, never logged.
VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
HEADER = "X-Request-ID"


def request_user(request) -> str:
    """Who made a request, as far as it is known without asking the database (which may
    be what failed): a signed-in user's name, "anonymous", or "-" when unknown."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if user is not None and wrapped is not empty:
        return who(user) if user.is_authenticated else "anonymous"
    return "-" if settings.SESSION_COOKIE_NAME in request.COOKIES else "anonymous"


class RequestIdMiddleware:
    """First of all middleware, so that every answer carries the id (a page from the
    cache, a redirect, a 400 included) and a server error is logged whatever raised it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.id = given if VALID_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(request.id)
        try:
            response = self.get_response(request)
            response[HEADER] = request.id
            if response.status_code >= 500:
                # Django's own line for a 5xx a view answered ("Service Unavailable: /x")
                # would come after this middleware, without the id: this one replaces it.
                # A view that raised has had its traceback logged by Django already; one
                # that Django never logs (the 404 page's own failure) is written here.
                logged = getattr(response, "_has_been_logged", False)
                response._has_been_logged = True
                logger.error(
                    "%s %s answered %s.",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "event": "server_error",
                        "status": response.status_code,
                        "method": request.method,
                        "path": request.path,
                        "user": request_user(request),
                    },
                    exc_info=None if logged else getattr(request, "exception_info", None),
                )
            elif response.status_code >= 400:
                # Django's line ("Not Found: /x"), written here while the id is known.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
            return response
        finally:
            request_id.reset(token)


@receiver(got_request_exception)
def keep_exception(sender, request=None, **kwargs):
    """Keeps what a request raised for its server_error line (sent while it is handled)."""
    if request is not None:
        request.exception_info = sys.exc_info()


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    """A sign-in refused because of too many wrong passwords (django-axes sends this on
    the attempt that locks the account out and on each attempt while it is locked)."""
    logger.warning(
        "Sign-in refused for %r from %s: too many wrong passwords.",
        username,
        ip_address,
        extra={"event": "sign_in.locked_out", "username": username, "ip_address": ip_address},
    )
