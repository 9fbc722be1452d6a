"""The year's figures in the admin, at 1280 px with the whole demo: the grid scrolls in its
own box, not the page, with its headers and its first column in view; no axe-core
violation, no policy violation; a screenshot of each view under build/screenshots/."""

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.urls import reverse

from programs.models import Edition

from .conftest import SCREENSHOTS
from .test_pages import AXE_ONLY, report


@pytest.fixture
def grid_page(live_site):
    """Opens the 2023 grid (``query`` appended) at 1280 px as the staff member, who may
    view figures; fails on any console message about the Content-Security-Policy."""
    url = reverse("admin:programs_edition_grid", args=[Edition.objects.get(year=2023).pk])
    contexts = []

    def grid_page(query=""):
        context = live_site.browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": live_site.session}
        context.add_cookies([{**cookie, "url": live_site.url}])
        page = context.new_page()
        messages = []
        page.on("console", lambda message: messages.append(message.text))
        response = page.goto(live_site.url + url + query)
        assert response.ok and page.locator(".year-grid-box").count() == 1
        page.wait_for_load_state("load")
        assert not [m for m in messages if "Content Security Policy" in m], messages
        return page

    yield grid_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("query,name", [("", "by-state"), ("?by=metric", "by-metric")])
def test_the_grid_scrolls_in_its_box_with_its_headings_in_view(grid_page, query, name):
    page = grid_page(query)
    page.screenshot(path=SCREENSHOTS / f"admin-year-grid-{name}-1280.png")
    box = page.locator(".year-grid-box")
    first_heading = page.locator(".year-grid tbody tr:not(.group) th").first
    header = page.locator(".year-grid thead tr").last
    before = (first_heading.bounding_box()["x"], header.bounding_box()["y"])

    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")  # it scrolls across
    box.evaluate("box => { box.scrollLeft = box.scrollWidth; box.scrollTop = 400; }")
    after = (first_heading.bounding_box()["x"], header.bounding_box()["y"])
    assert after == before  # the row headings and the column headings stayed in view


@pytest.mark.parametrize("query", ["", "?by=metric"])
def test_the_grid_has_no_accessibility_violations(grid_page, query):
    page = grid_page(query)
    page.evaluate(AXE_SCRIPT)
    violations = page.evaluate("options => axe.run(document, options)", AXE_ONLY)["violations"]

    assert not violations, report(violations)
