"""With the keyboard alone: the skip link, the year selectors, the state picker, the map,
the table sort, and a focus ring that can be seen (WCAG 2.2: non-text contrast of 3:1
against what it sits on)."""

import re
from urllib.parse import urlsplit

import pytest

from .conftest import SCREENSHOTS

# Presses of Tab before a control counts as out of the keyboard's reach (a map is 56 tab
# stops, one per state).
TAB_LIMIT = 150


def tab_to(page, selector):
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"{TAB_LIMIT} presses of Tab did not reach {selector} on {page.url}")


def focused(page):
    """The focused element, as a short description for a message: tag, id, text."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `<${e.tagName.toLowerCase()} id=${e.id}> ${e.textContent.trim().slice(0, 40)}`; }"
    )


def test_the_first_tab_shows_the_skip_link_and_enter_moves_to_the_main_content(open_page):
    page = open_page("/states/minnesota/2023/")

    page.keyboard.press("Tab")
    link = page.locator(".skip-link")
    box = link.bounding_box()
    assert page.evaluate("document.activeElement.classList.contains('skip-link')"), focused(page)
    assert link.inner_text() == "Skip to main content"
    assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, f"off screen at {box}"

    page.keyboard.press("Enter")
    # The browser follows the link a moment after the key press returns: on a loaded CI
    # machine the address had not changed yet when it was read.
    page.wait_for_function("location.hash === '#main-content'")
    assert urlsplit(page.url).fragment == "main-content"
    assert page.evaluate("document.activeElement.id") == "main-content", focused(page)
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')"), focused(page)


@pytest.mark.parametrize(
    "path, selector, landing",
    [
        ("/programs/cybertipline/2023/", "#program-year", "/programs/cybertipline/2022/"),
        ("/states/minnesota/2023/", "#fact-sheet-year", "/states/minnesota/2022/"),
    ],
    ids=["program", "fact-sheet"],
)
def test_the_year_selector_takes_the_reader_to_another_year_by_keyboard(
    open_page, path, selector, landing
):
    page = open_page(path)

    tab_to(page, selector)
    page.keyboard.press("ArrowDown")  # the years run newest first: 2023, then 2022
    assert page.input_value(selector) == "2022"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit", focused(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert urlsplit(page.url).path == landing
    assert ", 2022" in page.locator("h1").inner_text()


def test_the_state_picker_opens_a_fact_sheet_by_keyboard(open_page):
    page = open_page("/")

    tab_to(page, "#home-state")
    page.keyboard.type("Wisc")  # a closed select jumps to the option typed
    assert page.input_value("#home-state") == "WI"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit", focused(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert urlsplit(page.url).path == "/states/wisconsin/"
    assert "Wisconsin Data, 2023" in page.locator("h1").inner_text()


def test_a_map_tile_names_its_state_and_figure_and_opens_the_fact_sheet_by_keyboard(open_page):
    page = open_page("/programs/cybertipline/2023/")

    tab_to(page, ".tile-wi a")
    name = page.evaluate("document.activeElement.textContent").strip()
    # The map of the 50 states' reports, by rate (tests/programs/test_map_measures.py).
    assert name == (
        "WI Wisconsin: 212.1 per 100,000 residents (12,539 reports with a user located in "
        "the state), 2023"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert urlsplit(page.url).path == "/states/wisconsin/2023/"


def test_the_table_of_states_sorts_by_a_column_from_the_keyboard(open_page):
    page = open_page("/programs/cybertipline/2023/")
    names = page.locator("table.state-table tbody th[scope=row]")
    column = page.locator("table.state-table thead th[data-sort-type=number]").first
    assert column.inner_text().startswith("Reports with a user located in the state")
    assert names.all_inner_texts()[:3] == ["Alabama", "Alaska", "Arizona"]  # by name

    tab_to(page, "table.state-table thead th[data-sort-type=number] button")
    page.keyboard.press("Enter")  # the most reports first: 110,784, 110,385, 66,861
    assert names.all_inner_texts()[:3] == ["California", "Texas", "Florida"]
    assert column.get_attribute("aria-sort") == "descending"

    page.keyboard.press("Enter")  # the fewest first: 918, 1,049
    assert names.all_inner_texts()[:2] == ["Vermont", "Wyoming"]
    assert column.get_attribute("aria-sort") == "ascending"


def luminance(rgb):
    """WCAG 2's relative luminance of an sRGB colour given as 0–255 channels."""
    channels = [c / 255 for c in rgb]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, other):
    """WCAG 2's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_ratio_is_computed_as_wcag_defines_it():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert contrast((0xFF, 0xBF, 0x47), (255, 255, 255)) == pytest.approx(1.6, abs=0.05)


def rgb(css_colour):
    """(r, g, b) of a computed colour, "rgb(0, 83, 155)" or "rgba(0, 0, 0, 0)"; None when
    it is fully transparent."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css_colour)]
    if len(numbers) == 4 and numbers[3] == 0:
        return None
    return tuple(numbers[:3])


RING = """element => {
  const style = getComputedStyle(element);
  // The ring is drawn outside the element: it sits on the nearest ancestor's background.
  let background = "rgb(255, 255, 255)";
  for (let node = element.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
  }
  return {colour: style.outlineColor, style: style.outlineStyle,
          width: parseFloat(style.outlineWidth), background};
}"""


@pytest.mark.parametrize(
    "name, selector, where",
    [
        pytest.param("header-link", ".site-name", "on the blue header", id="header-link"),
        pytest.param("page-link", ".breadcrumb a", "on the white page", id="page-link"),
        pytest.param("select", "#fact-sheet-year", "on the white page", id="select"),
    ],
)
def test_the_focus_ring_contrasts_three_to_one_with_what_it_sits_on(
    open_page, name, selector, where
):
    page = open_page("/states/minnesota/2023/")

    tab_to(page, selector)
    ring = page.evaluate(RING, page.evaluate_handle("document.activeElement"))
    page.screenshot(path=SCREENSHOTS / f"focus-{name}.png")

    assert ring["style"] == "solid" and ring["width"] >= 2, ring
    ratio = contrast(rgb(ring["colour"]), rgb(ring["background"]))
    assert ratio >= 3, (
        f"the focus ring {where} ({ring['colour']} on {ring['background']}) contrasts "
        f"only {ratio:.2f}:1"
    )
