"""How every API address answers: JSON, CORS, caching headers and errors.

``api_view`` wraps a view that returns a dict (or raises ``ApiError``/``Http404``/
``FilterError``). Its ETag, Last-Modified and 304s are the page cache's, as for every
public page (programs/page_cache.py). OPTIONS is a CORS preflight; any other method is
a 405. Nothing under /api/ answers with an HTML page: even an unexpected exception is
a JSON 500 (logged, and signalled as Django does, so tests still see it), and the
database out of reach a JSON 503 (ncmec_site/views.py).
"""

import logging
from functools import wraps

from django.core.exceptions import SuspiciousOperation
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from ..reader.downloads import FilterError

ALLOWED = "GET, HEAD, OPTIONS"
logger = logging.getLogger("django.request")


class ApiError(Exception):
    def __init__(self, status, message, filter=None):
        super().__init__(message)
        self.status, self.message, self.filter = status, message, filter


def error_response(status, message, filter=None):
    body = {"status": status, "message": message}
    if filter:
        body["filter"] = filter
    return JsonResponse({"error": body}, status=status, json_dumps_params={"ensure_ascii": False})


def cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def _preflight(request):
    response = HttpResponse(status=204, content_type="application/json")
    response["Access-Control-Allow-Methods"] = ALLOWED
    asked = request.headers.get("Access-Control-Request-Headers")
    response["Access-Control-Allow-Headers"] = asked or "If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = "86400"
    response["Allow"] = ALLOWED
    return response


def _json(view):
    @wraps(view)
    def render(request, *args, **kwargs):
        body = view(request, *args, **kwargs)
        return JsonResponse(body, json_dumps_params={"ensure_ascii": False})

    return render


def unknown_parameter(request, params):
    """Refuse a parameter the endpoint does not take (``?years=`` for ``?year=``): a
    typo would otherwise silently answer with everything."""
    for name in request.GET:
        if name not in params:
            takes = ", ".join(params) if params else "no parameters"
            return ApiError(
                400, f"“{name[:30]}” is not a parameter here (it takes {takes}).", name[:30]
            )
    return None


def method_not_allowed(request):
    """The answer to anything but GET and HEAD: a CORS preflight for OPTIONS, else 405."""
    if request.method == "OPTIONS":
        return cors(_preflight(request))
    response = error_response(
        405, f"{request.method[:20]} is not allowed: the API is read-only ({ALLOWED})."
    )
    response["Allow"] = ALLOWED
    return cors(response)


def api_view(view=None, *, params=()):
    """An API endpoint: ``view(request, ...)`` returns the response's dict; ``params``
    are the query parameters it takes (any other is a 400, before any query)."""
    if view is None:
        return lambda view: api_view(view, params=params)
    as_json = _json(view)

    @csrf_exempt  # nothing here writes; a POST must get a JSON 405, not CSRF's HTML 403
    @wraps(view)
    def answer(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return method_not_allowed(request)
        try:
            refused = unknown_parameter(request, params)
            if refused:
                raise refused
            response = as_json(request, *args, **kwargs)
        except FilterError as refused:
            response = error_response(400, refused.message, refused.name)
        except ApiError as refused:
            response = error_response(refused.status, refused.message, refused.filter)
        except Http404 as missing:
            message = str(missing.args[0]) if missing.args else "Not found."
            response = error_response(404, message)
        except SuspiciousOperation:
            response = error_response(400, "This request cannot be answered.")
        except (OperationalError, InterfaceError):
            raise  # the database is out of reach: a 503 (ncmec_site/views.py)
        except Exception:
            logger.exception("API error: %s", request.path, extra={"request": request})
            got_request_exception.send(sender=None, request=request)
            response = error_response(500, "Something went wrong on our side.")
        return cors(response)

    return answer
