"""What every answer carries against a hostile page elsewhere, and what public pages take.

Both middleware sit outside the page cache (``programs/page_cache.py``), so a page
answered from the cache, a 304 included, carries the same headers as one just rendered.

- ``SecurityHeadersMiddleware``: ``Permissions-Policy`` denies every browser feature the
  site does not use; ``Cross-Origin-Resource-Policy`` is ``same-origin`` except for what
  other sites are meant to read (the API, the downloads, the data package, the fact sheet
  PDFs, the charts' and maps' files and their embeds: ``cross-origin``). Public pages
  answer GET and HEAD only: TRACE, OPTIONS, POST and unknown methods get a 405 before any
  view runs (the admin, the preview switch and the API answer their own methods).
- ``ContentSecurityPolicyMiddleware``: django-csp's, with what the admin needs under
  /admin/ (below), none on a PDF, and nothing at all allowed to an SVG file (opened on
  its own, it could otherwise run what it held). The policy itself is in the settings
  (``CONTENT_SECURITY_POLICY``).

Pages under /embed/ (a chart or a map alone) are the only ones another site may frame:
``frame-ancestors *`` and no ``X-Frame-Options``; every other keeps ``'none'`` and
``DENY``. Decided here by the address, not by the view: a page the cache answers was
never seen by the view, and keeps only its headers (programs/page_cache.py).
"""

import base64
import hashlib

from csp.constants import NONE, UNSAFE_HASHES
from csp.middleware import CSPMiddleware
from django.http import HttpResponse

# Features a page could ask the browser for; the site uses none of them. Names that
# Chromium does not know make it log an error on every page, so the list holds only
# features it recognises (checked in tests/browser/test_security_headers.py).
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "identity-credentials-get",
    "idle-detection",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "storage-access",
    "usb",
    "window-management",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)

# Read by other sites' scripts and pages: the API and /data/ (their CORS headers say so),
# and the fact sheet PDFs, which a partner's page may embed.
CROSS_ORIGIN_PREFIXES = ("/api/", "/data/", "/embed/")
CROSS_ORIGIN_TYPES = ("application/pdf", "image/svg+xml", "image/png", "text/csv")

# Framed by any site: a chart or a map alone (programs/views/pictures.py).
EMBED_PREFIX = "/embed/"
EMBED_POLICY_REPLACE = {"frame-ancestors": ["*"]}
# An SVG file draws with presentation attributes only (programs/reader/picture_svg.py):
# it may load, run and style nothing.
SVG_TYPE = "image/svg+xml"
SVG_POLICY_REPLACE = {
    directive: [NONE]
    for directive in (
        "default-src",
        "script-src",
        "style-src",
        "img-src",
        "font-src",
        "connect-src",
        "form-action",
    )
}

PUBLIC_METHODS = ("GET", "HEAD")
# Paths that take other methods and answer them themselves.
OWN_METHODS_PREFIXES = ("/admin/", "/preview/", "/api/")


def _inline_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# What the admin needs beyond the policy, allowed by hashes of the exact text, under
# /admin/ only: django-import-export's export page ticks and unticks every field with an
# inline handler, and sets two style attributes (admin/import_export/export.html). The
# rest of Django's admin, import-export's and simple_history's pages need nothing
# (tests/browser/test_content_security_policy.py).
ADMIN_PREFIX = "/admin/"
ADMIN_POLICY_UPDATE = {
    "script-src-attr": [UNSAFE_HASHES, _inline_hash("onSelectToggleChange(event)")],
    "style-src-attr": [
        UNSAFE_HASHES,
        _inline_hash("padding: 0;"),
        _inline_hash("font-weight: bold;"),
    ],
}


def cross_origin_readable(request, response) -> bool:
    return (
        request.path.startswith(CROSS_ORIGIN_PREFIXES)
        or response.has_header("Access-Control-Allow-Origin")
        or response.get("Content-Type", "").startswith(CROSS_ORIGIN_TYPES)
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in PUBLIC_METHODS and not request.path.startswith(
            OWN_METHODS_PREFIXES
        ):
            response = HttpResponse(
                f"{request.method[:20]} is not allowed here: this page answers GET and HEAD.",
                status=405,
                content_type="text/plain; charset=utf-8",
            )
            response["Allow"] = ", ".join(PUBLIC_METHODS)
        else:
            response = self.get_response(request)
        if request.path.startswith(EMBED_PREFIX):
            # Read by XFrameOptionsMiddleware, above: no X-Frame-Options.
            response.xframe_options_exempt = True
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault(
            "Cross-Origin-Resource-Policy",
            "cross-origin" if cross_origin_readable(request, response) else "same-origin",
        )
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        # A PDF has no page of ours to protect, and browsers show it in a viewer page of
        # their own, which a policy sent with it can leave blank or unstyled.
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(ADMIN_PREFIX) and parts.update is None:
            parts.update = ADMIN_POLICY_UPDATE
        elif parts.replace is None and response.get("Content-Type", "").startswith(SVG_TYPE):
            parts.replace = SVG_POLICY_REPLACE
        elif parts.replace is None and request.path.startswith(EMBED_PREFIX):
            parts.replace = EMBED_POLICY_REPLACE
        return parts
