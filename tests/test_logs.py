"""The log the person on call reads: one line per event, each with its request's id (sent
back in X-Request-ID), JSON in production; a server error and a sign-in lockout say who
and what, and no line holds a password, a session or a cookie. Read as written: through
the console handler the settings configure, its stream swapped for the test's."""

import io
import json
import logging
import os
import secrets
import subprocess
import sys
import types

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import path

from ncmec_site import error_tracker
from ncmec_site.logs import JsonFormatter, TextFormatter, request_id

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Wrong-Horse-Battery-7319"


def _broken(request):
    request.user.get_username()  # a view that read who asks, then failed
    raise RuntimeError("the view broke")


# This module is the URLconf of the tests marked urls(__name__): a view that fails.
urlpatterns = [path("broken/", _broken)]


@pytest.fixture
def log_lines():
    """The lines the console handler writes during the test, as production writes them
    (JSON): a list that fills as they are written."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream, formatter = io.StringIO(), handler.formatter
    previous = handler.setStream(stream)
    handler.setFormatter(JsonFormatter())
    lines = _Lines(stream)
    yield lines
    handler.setStream(previous)
    handler.setFormatter(formatter)


class _Lines(list):
    def __init__(self, stream):
        super().__init__()
        self.stream = stream

    def read(self):
        text = self.stream.getvalue()
        self[:] = [json.loads(line) for line in text.splitlines()]
        return text


def _refuse(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


def test_every_answer_names_a_new_request_id():
    first, second = Client().get("/health/"), Client().get("/health/")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize(
    "given, kept",
    [
        ("4f1c0a9e2b7d4c55a1e0f3b2c6d8e9a7", True),  # nginx's $request_id
        ("0b7e7a9c-1d2e-4f3a-9b8c-7d6e5f4a3b2c", True),  # a UUID
        ("id with spaces", False),
        ('"><script>', False),
        ("a" * 129, False),
        ("line\nbreak", False),
    ],
)
def test_a_valid_incoming_request_id_is_kept_and_any_other_replaced(given, kept):
    answered = Client().get("/health/", HTTP_X_REQUEST_ID=given)["X-Request-ID"]

    assert (answered == given) is kept
    assert len(answered) == 32 or kept


@pytest.mark.django_db
def test_every_line_of_a_request_carries_its_id_one_json_object_a_line(log_lines):
    reader = Client(raise_request_exception=False)

    with connection.execute_wrapper(_refuse):
        response = reader.get("/health/ready/", HTTP_X_REQUEST_ID="probe-42")
    text = log_lines.read()

    assert response.status_code == 503
    assert {line["request_id"] for line in log_lines} == {"probe-42"}, text
    events = [line.get("event") for line in log_lines]
    assert events == ["health.down", "server_error"]
    assert len(text.splitlines()) == 2  # the traceback inside its line, not after it
    assert "OperationalError" in log_lines[0]["exception"]
    assert log_lines[1]["message"] == "GET /health/ready/ answered 503."
    assert request_id.get() == "-"  # after the request, a command's lines carry no id


def test_a_page_not_found_is_logged_with_its_request_id(db, log_lines):
    response = Client().get("/states/nowhere/", HTTP_X_REQUEST_ID="probe-43")
    log_lines.read()

    assert response.status_code == 404
    assert [(line["message"], line["request_id"]) for line in log_lines] == [
        ("Not Found: /states/nowhere/", "probe-43")
    ]


@pytest.mark.urls(__name__)
def test_a_server_error_is_logged_with_who_and_what_and_no_secret(django_user_model, log_lines):
    user = django_user_model.objects.create_user("pat", password=PASSWORD, is_staff=True)
    browser = Client(raise_request_exception=False)
    browser.force_login(user)
    browser.cookies["csrftoken"] = "csrf-cookie-value-5521"

    response = browser.get("/broken/?q=1", HTTP_AUTHORIZATION="Bearer token-8812")
    text = log_lines.read()

    assert response.status_code == 500
    error = next(line for line in log_lines if line.get("event") == "server_error")
    assert (error["status"], error["method"], error["path"]) == (500, "GET", "/broken/")
    assert error["user"] == "pat"
    assert error["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: the view broke" in text  # Django's own line, with the traceback
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    for secret in (session, "csrf-cookie-value-5521", "token-8812", PASSWORD):
        assert secret not in text


def test_an_anonymous_readers_server_error_says_so(db, log_lines):
    with connection.execute_wrapper(_refuse):
        Client(raise_request_exception=False).get("/programs/")
    log_lines.read()

    error = next(line for line in log_lines if line.get("event") == "server_error")
    assert (error["status"], error["user"]) == (503, "anonymous")


def test_a_sign_in_lockout_names_the_account_and_the_address_never_the_password(
    django_user_model, log_lines
):
    django_user_model.objects.create_user("pat", password="right horse", is_staff=True)
    browser = Client(REMOTE_ADDR="203.0.113.5")

    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = browser.post("/admin/login/", {"username": "pat", "password": PASSWORD})
    text = log_lines.read()

    assert response.status_code == 429
    lockouts = [line for line in log_lines if line.get("event") == "sign_in.locked_out"]
    assert lockouts, text
    assert (lockouts[0]["username"], lockouts[0]["ip_address"]) == ("pat", "203.0.113.5")
    assert lockouts[0]["level"] == "WARNING"
    assert PASSWORD not in text
    assert browser.cookies.get("csrftoken") is None or (
        browser.cookies["csrftoken"].value not in text
    )


def test_development_writes_a_line_to_read_with_its_fields():
    record = logging.LogRecord(
        "programs.publishing", logging.INFO, "", 0, "pat published the 2023 edition.", (), None
    )
    record.event, record.user, record.year, record.request_id = (
        "edition.published",
        "pat",
        2023,
        "r1",
    )

    line = TextFormatter().format(record)

    assert line.endswith(
        "INFO programs.publishing [r1] pat published the 2023 edition. "
        "event=edition.published user=pat year=2023"
    )


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PROD = {
    "DJANGO_SETTINGS_MODULE": "ncmec_site.settings.prod",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "data.example.org",
}
LOG_A_LINE = (
    "import logging; logging.getLogger('programs.publishing').info("
    "'pat published the 2023 edition.', extra={'event': 'edition.published', 'year': 2023})"
)


def test_production_writes_json_lines_and_says_when_sentry_cannot_be_started(tmp_path):
    """sentry-sdk is not installed here: production starts, and says errors are not sent."""
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        LOG_A_LINE,
        **PROD,
        DJANGO_SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        DJANGO_SENTRY_DSN="https://key@errors.example.org/1",
    )

    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert error_tracker.MISSING.strip() in lines
    line = json.loads(lines[-1])
    assert (line["level"], line["logger"], line["event"], line["year"]) == (
        "INFO",
        "programs.publishing",
        "edition.published",
        2023,
    )
    assert line["request_id"] == "-"


def test_an_unknown_log_format_is_refused_by_name():
    result = _manage("check", DJANGO_LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT must be text or json, not 'xml'." in result.stderr


def test_sentry_is_started_without_personal_data_and_tags_the_request_id(monkeypatch):
    started, ignored = {}, []
    fake = types.ModuleType("sentry_sdk")
    fake.init = lambda **options: started.update(options)
    fake_logging = types.ModuleType("sentry_sdk.integrations.logging")
    fake_logging.ignore_logger = ignored.append
    monkeypatch.setitem(sys.modules, "sentry_sdk", fake)
    monkeypatch.setitem(sys.modules, "sentry_sdk.integrations", types.ModuleType("i"))
    monkeypatch.setitem(sys.modules, "sentry_sdk.integrations.logging", fake_logging)

    assert error_tracker.start_error_tracker(
        dsn="https://key@errors.example.org/1", environment="staging", release="abc123"
    )

    assert started["dsn"] == "https://key@errors.example.org/1"
    assert started["send_default_pii"] is False
    # The SDK sends a form's body and a frame's variables whatever send_default_pii says,
    # scrubbing only names it knows ("password", not "old_password" or "new_password1").
    assert started["max_request_body_size"] == "never"
    assert started["include_local_variables"] is False
    assert (started["environment"], started["release"]) == ("staging", "abc123")
    assert ignored == ["ncmec_site.request_log"]  # its exception is the event, not its line
    token = request_id.set("req-7")
    try:
        event = started["before_send"]({"message": "boom"}, {})
    finally:
        request_id.reset(token)
    assert event["tags"]["request_id"] == "req-7"


def _broken_404_page(request, exception=None):
    raise RuntimeError("the 404 page broke")


@pytest.mark.urls(__name__)
def test_a_server_error_that_django_does_not_log_keeps_its_traceback(db, log_lines, settings):
    settings.ROOT_URLCONF = __name__
    globals()["handler404"] = _broken_404_page
    try:
        response = Client(raise_request_exception=False).get("/nowhere/")
    finally:
        del globals()["handler404"]
    log_lines.read()

    assert response.status_code == 500
    (error,) = [line for line in log_lines if line["level"] == "ERROR"]
    assert error["event"] == "server_error"
    assert "RuntimeError: the 404 page broke" in error["exception"]
