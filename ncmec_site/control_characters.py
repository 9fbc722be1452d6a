"""A request whose text holds a control character is refused with a 400 before any view
runs, so that no such character reaches the database (PostgreSQL refuses a NUL in text
outright: it was a 500) or a page.

One check for every door: the path, the query string's names and values, a form's
fields (the admin's, sign-in's, the import's; Django drops what is not printable from an
uploaded file's name), the session cookie (looked up in the database) and the headers
(axes stores a failed sign-in's User-Agent and Accept). A form field may hold a tab and
line breaks (a textarea's lines); an address, a query or a cookie may hold none, a
header only tabs (as HTTP allows).
"""

import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse

# Unicode's control characters (category Cc): C0, DEL and C1.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# The same, but tab, LF and CR, which a textarea sends.
FORM_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Headers arrive as bytes read as Latin-1, where 0x80-0x9f are parts of UTF-8 letters:
# only C0 but tab, and DEL (RFC 9110 5.5 allows neither in a field's value).
HEADER_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _shown(name: str) -> str:
    """A name as a message may quote it: control characters as "�", at most 30 long."""
    return CONTROL.sub("\ufffd", name)[:30]


def _where_control(request) -> str | None:
    """Where the request's text holds a control character ("the query parameter
    “year”"), or None when it holds none."""
    if CONTROL.search(request.path):
        return "the address"
    for name, values in request.GET.lists():
        if CONTROL.search(name) or any(CONTROL.search(value) for value in values):
            return f"the query parameter “{_shown(name)}”"
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str) and HEADER_CONTROL.search(value):
            return f"the header “{name[5:].replace('_', '-').title()}”"
    if CONTROL.search(request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")):
        return "the session cookie"
    if request.method == "POST":
        for name, values in request.POST.lists():
            if FORM_CONTROL.search(name) or any(FORM_CONTROL.search(v) for v in values):
                return f"the form field “{_shown(name)}”"
    return None


def refusal(request, where: str):
    message = (
        f"This request cannot be read: {where} holds a control character (a NUL byte or "
        "another character that is not text). Remove it and try again."
    )
    if request.path.startswith("/api/"):  # the API answers in JSON, errors too
        response = JsonResponse(
            {"error": {"status": 400, "message": message}},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
        response["Access-Control-Allow-Origin"] = "*"
    else:
        response = HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


class ControlCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = _where_control(request)
        if where is not None:
            return refusal(request, where)
        return self.get_response(request)
