"""Every page, at a desktop width and a phone's: no axe-core violation of WCAG 2.2 AA, no
sideways scrolling on the phone, and a screenshot of each under build/screenshots/."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.utils import timezone

from programs.formatting import format_date

from .conftest import SCREENSHOTS, WIDTHS

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_ONLY = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
# Rules off on the Django admin's pages only, each for a fault in Django's own templates
# that our templates and CSS cannot reach, as {"rule-id": "why"}. None is needed today
# (Django 5.2's admin passes); keep it short: fix ours instead.
ADMIN_RULES_OFF: dict[str, str] = {}


@dataclass(frozen=True)
class Page:
    name: str  # the screenshots' file names and the tests' ids
    path: str
    signed_in: bool = False  # as a staff member who may import figures
    admin: bool = False  # a page of the Django admin: ADMIN_RULES_OFF apply


# One line per page; each is checked at every width.
PAGES = [
    Page("home", "/"),
    Page("program", "/programs/cybertipline/2023/"),
    Page("fact-sheet", "/states/minnesota/2023/"),
    Page("metric", "/metrics/cybertipline-reports-to-law-enforcement/"),
    Page("metric-national", "/metrics/cybertipline-reports-received/"),
    Page("embed-chart", "/embed/metrics/cybertipline-reports-received/chart/"),
    Page("embed-map", "/embed/metrics/cybertipline-reports-to-law-enforcement/map/?year=2023"),
    Page("compare", "/compare/?states=MN,WI&year=2023"),
    Page("search", "/search/?q=minn"),
    Page("revisions", "/revisions/"),
    Page("api", "/api/"),
    Page("data", "/data/"),
    Page("admin-login", "/admin/login/", admin=True),
    Page("admin-import", "/admin/programs/figure/import/", signed_in=True, admin=True),
    Page("preview-start", "/preview/start/?next=/", signed_in=True, admin=True),
]


@dataclass(frozen=True)
class Visit:
    violations: list  # axe-core's, as it reports them
    scroll_width: int  # px: the document's width, wider than the window when it scrolls
    too_wide: list  # the outermost elements reaching past the window's right edge


# The outermost elements that reach past the window (those inside one are its business:
# a table in a scrolling region does not make the page scroll).
TOO_WIDE = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const past = el => el.getBoundingClientRect().right > edge;
  return [...document.querySelectorAll("body *")]
    .filter(el => past(el) && !past(el.parentElement))
    .map(el => `${el.outerHTML.slice(0, 120)} ends at ${el.getBoundingClientRect().right} px`);
}"""


@pytest.fixture(scope="module")
def visits():
    return {}


def visit(open_page, visits, page, width):
    """Open the page at the width once per module: save its screenshot, run axe-core on it
    and measure it."""
    if (page, width) not in visits:
        tab = open_page(page.path, width=width, signed_in=page.signed_in)
        assert urlsplit(tab.url).path == urlsplit(page.path).path, (
            f"{page.path} sent the browser to {tab.url}"
        )
        tab.screenshot(path=SCREENSHOTS / f"{page.name}-{width}.png", full_page=True)
        tab.evaluate(AXE_SCRIPT)
        options = dict(AXE_ONLY)
        if page.admin:
            options["rules"] = {rule: {"enabled": False} for rule in ADMIN_RULES_OFF}
        results = tab.evaluate("options => axe.run(document, options)", options)
        scroll_width = tab.evaluate("document.documentElement.scrollWidth")
        visits[page, width] = Visit(results["violations"], scroll_width, tab.evaluate(TOO_WIDE))
    return visits[page, width]


def report(violations):
    """One line per element at fault: the rule, its impact, the element and the rule's help."""
    return "\n".join(
        f"- {violation['id']} ({violation['impact']}): {' '.join(map(str, node['target']))}: "
        f"{violation['help']} ({violation['helpUrl']})"
        for violation in violations
        for node in violation["nodes"]
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_page_has_no_accessibility_violations(open_page, visits, page, width):
    violations = visit(open_page, visits, page, width).violations

    assert not violations, f"axe-core on {page.path} at {width} px wide:\n{report(violations)}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_page_does_not_scroll_sideways_on_a_phone(open_page, visits, page):
    seen = visit(open_page, visits, page, 320)

    assert seen.scroll_width <= 320, (
        f"{page.path} is {seen.scroll_width} px wide in a 320 px window; too wide:\n"
        + "\n".join(seen.too_wide)
    )


def test_a_printed_fact_sheet_says_the_day_it_was_printed_as_every_date_is_written(open_page):
    tab = open_page("/states/minnesota/2023/")
    printed = "[data-print-meta]"

    tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    on_paper = tab.inner_text(printed)
    when = tab.get_attribute("[data-print-date]", "datetime")
    tab.evaluate("window.dispatchEvent(new Event('afterprint'))")

    today = timezone.localdate()  # New York's, as the page's dates
    assert f"Printed on {format_date(today)}." in on_paper
    assert when == today.isoformat()
    assert "Page generated on" in tab.inner_text(printed)


# What no page-wide check sees: a table scrolling inside its own region, a name broken.
FITS = """() => {
  const page = document.scrollingElement;
  const inside = [...document.querySelectorAll("main table, main .table-scroll")]
    .filter(el => el.scrollWidth > el.clientWidth + 1
                  || el.getBoundingClientRect().right > page.clientWidth + 1)
    .map(el => `${el.outerHTML.slice(0, 80)}: ${el.scrollWidth} px in ${el.clientWidth}`);
  return {scroll: page.scrollWidth, width: page.clientWidth, inside};
}"""


@pytest.mark.parametrize("path", ["/api/", "/data/"])
def test_the_tables_that_explain_the_api_and_the_files_fit_a_phone(open_page, path):
    fits = open_page(path, width=320).evaluate(FITS)

    assert fits["scroll"] <= fits["width"]
    assert not fits["inside"], f"{path} at 320 px: tables scroll sideways:\n" + "\n".join(
        fits["inside"]
    )


# Six states with names of two words, the most a comparison takes.
SIX_STATES = "/compare/?states=NY,NC,ND,NH,NJ,NM&year=2023"
# Each place's column heading, and the lines its name takes (a box per line of its text).
HEADINGS = """() => [...document.querySelectorAll(".compare-table thead th.num")].map(th => {
  const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
  let text = walker.nextNode();
  while (text && !text.textContent.trim()) text = walker.nextNode();
  const range = document.createRange();
  range.selectNodeContents(text);
  return [th.textContent.trim(), range.getClientRects().length];
})"""


@pytest.mark.parametrize("width", [1280, 700])
def test_a_compare_column_heading_never_breaks_a_places_name(open_page, width):
    headings = open_page(SIX_STATES, width=width).evaluate(HEADINGS)

    assert [name for name, _ in headings] == [
        "United States", "New York", "North Carolina", "North Dakota", "New Hampshire",
        "New Jersey", "New Mexico",
    ]  # fmt: skip
    assert all(lines == 1 for _, lines in headings), headings
