"""Errors sent to Sentry (or a service that speaks its protocol, like GlitchTip), when
DJANGO_SENTRY_DSN is set: the settings call :func:`start_error_tracker`.

sentry-sdk is an optional extra (``pip install '.[sentry]'``), not installed by default.
With the address set and the package missing, the site runs, says so on stderr at every
start, and sends nothing.
"""

import sys

from .logs import request_id

MISSING = (
    "DJANGO_SENTRY_DSN is set but sentry-sdk is not installed (pip install '.[sentry]'): "
    "errors are NOT sent to the error tracker.\n"
)


def _tag_request_id(event, hint):
    """Each error names the request's id, as the log lines of that request do."""
    event.setdefault("tags", {})["request_id"] = request_id.get()
    return event


def start_error_tracker(*, dsn: str, environment: str, release: str = "") -> bool:
    """Start sending errors (a 500's exception, an ERROR log line); False if sentry-sdk
    cannot be imported. Never personal data: no user, no cookie, no address
    (``send_default_pii`` off); no body, which the SDK sends whatever that setting (a
    password change form's ``old_password``, which its scrubber does not know); no frame's
    local variables (a form's cleaned passwords); and no performance traces."""
    try:
        import sentry_sdk
        from sentry_sdk.integrations.logging import ignore_logger
    except ImportError:
        sys.stderr.write(MISSING)
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0,
        before_send=_tag_request_id,
    )
    # Its "answered 500" line would be a second event for each error: the exception is
    # sent already (and a 503 from /health/ready/ is not an error to track).
    ignore_logger("ncmec_site.request_log")
    return True
