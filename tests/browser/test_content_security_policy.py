"""The site's strict Content-Security-Policy breaks nothing: a real browser reports no
violation on the public pages nor in the admin, and no feature of the Permissions-Policy
it does not know.

Chromium logs every violation to the console ("... violates the following Content
Security Policy directive ...") and fires a ``securitypolicyviolation`` event; both are
collected from before the page's first byte.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from programs.models import Figure

# Installed before any script of the page; DevTools runs it, so the policy does not apply.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", event => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`
  );
});
"""
# What Chromium says in the console about a policy: a violation, or a header it rejects.
POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")


@pytest.fixture(scope="module")
def publisher_session(committed_module_data):
    """A superuser's session: the metrics' export page is theirs (the staff member may not
    see metrics)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="browser-publisher"))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def watch(live_site):
    """``watch(path, session=None)`` opens the page and returns (page, problems): every
    console message about a policy and every violation event, as text."""
    contexts = []

    def watch(path, *, session=None):
        context = live_site.browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        if session:
            cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_site.url}
            context.add_cookies([cookie])
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        messages = []
        page.on(
            "console",
            lambda message: (
                messages.append(f"{message.type}: {message.text}")
                if any(word in message.text for word in POLICY_WORDS)
                else None
            ),
        )
        response = page.goto(live_site.url + path)
        assert response.ok, f"{path} answered {response.status}"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")

        def problems():
            return messages + page.evaluate("window.__violations")

        return page, problems

    yield watch
    for context in contexts:
        context.close()


def figure_in_admin():
    return Figure.objects.filter(state__code="MN", year=2023).order_by("pk").first().pk


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/states/minnesota/2023/",
        "/programs/cybertipline/2023/",
        "/metrics/cybertipline-reports-to-law-enforcement/",
        "/embed/metrics/cybertipline-reports-received/chart/",
        "/embed/metrics/cybertipline-reports-by-state/map/",
        "/compare/?states=MN,WI&year=2023",
        "/data/",
        "/api/",
        "/admin/login/",
    ],
)
def test_public_pages_raise_no_policy_violation(watch, path):
    page, problems = watch(path)
    assert not problems(), "\n".join(problems())


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/programs/figure/",
        "/admin/programs/figure/?year=2023",
        "/admin/programs/figure/{figure}/change/",
        "/admin/programs/figure/{figure}/history/",
        "/admin/programs/figure/import/",
    ],
)
def test_the_admin_raises_no_policy_violation(watch, live_site, path):
    page, problems = watch(path.format(figure=figure_in_admin()), session=live_site.session)
    assert page.locator("#content").count() == 1  # the admin's page, not its login
    assert not problems(), "\n".join(problems())


def test_the_admin_change_form_still_works_under_the_policy(watch, live_site):
    page, problems = watch(
        f"/admin/programs/figure/{figure_in_admin()}/change/", session=live_site.session
    )
    # Django's admin scripts ran (they are files, which the policy allows).
    assert page.evaluate("typeof django !== 'undefined' && typeof django.jQuery") == "function"
    page.locator("form#figure_form").wait_for()
    assert not problems(), "\n".join(problems())


VISIBLE_TICKED = (
    "[...document.querySelectorAll('.selectable-field-export-row input[type=checkbox]')]"
    ".filter(box => box.offsetParent !== null && box.checked).length"
)


def test_the_export_pages_select_all_toggle_works_under_the_policy(watch, publisher_session):
    # Its inline handler runs only because /admin/'s policy allows that handler's hash.
    page, problems = watch("/admin/programs/metric/export/", session=publisher_session)
    assert page.evaluate(VISIBLE_TICKED) > 0

    page.locator("input.select-toggle").first.uncheck()

    assert page.evaluate(VISIBLE_TICKED) == 0, "unticking 'Select all' left fields ticked"
    assert not problems(), "\n".join(problems())


def test_a_violation_would_be_seen(watch):
    """The check itself: a style attribute set by a script is blocked and reported."""
    page, problems = watch("/states/minnesota/2023/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(100)
    assert any("style-src" in problem for problem in problems()), problems()
