"""The log's lines: one per event, with the id of the request it happened in.

Read by the logging configuration (settings' LOGGING) before any app is loaded, so this
module imports nothing of Django's models. ``ncmec_site/request_log.py`` sets the id for
each request and logs its server errors; an event is logged where it happens, with its
who and what as ``extra`` fields (``event``, ``user``, and what it is about):

    logger.info("Published the 2023 edition.", extra={"event": "edition.published",
                                                     "user": who(user), "year": 2023})

Never a password, a session or a cookie: a request is never written whole (the ``request``
Django's own loggers attach is left out), only its method, path and user.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being answered in this thread, "-" outside of one (a command).
request_id = ContextVar("request_id", default="-")

# The attributes every LogRecord has: anything else on a record came from ``extra``.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}
# What Django's loggers attach that must never be written: the request carries its
# cookies and its session; a server's socket says nothing useful.
_NEVER_WRITTEN = {"request", "server_time", "connection"}


def who(user) -> str:
    """The name a log line gives the person who did something: their username, or
    "system" for what no one signed in did (a scheduled publish, a command)."""
    name = user.get_username() if user is not None and user.is_authenticated else ""
    return name or "system"


def event_fields(record) -> dict:
    """The ``extra`` fields of a record, as written: what it is about."""
    return {
        key: value
        for key, value in vars(record).items()
        if key not in _RECORD_ATTRIBUTES and key not in _NEVER_WRITTEN
    }


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request it was logged in (a handler's filter:
    lines of Django's, the cache's and every library's loggers carry it too)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """Production: a JSON object per line (a traceback included, as one string)."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
            **event_fields(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Development: a line to read, its fields after the message (``key=value``)."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record):
        record.request_id = getattr(record, "request_id", "-")
        line = super().format(record)
        fields = " ".join(f"{key}={value}" for key, value in event_fields(record).items())
        if not fields:
            return line
        first, newline, rest = line.partition("\n")  # a traceback stays below the line
        return f"{first} {fields}{newline}{rest}"
