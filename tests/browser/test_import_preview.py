"""The admin's import preview in Chromium at 1280 px: the figures to check above the
table, the file's sources wrapping within the page, no axe-core violation; and an import
refused only for want of a reason, finished by typing the reason, without choosing the
file again. Screenshots under build/screenshots/."""

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from .conftest import SCREENSHOTS
from .test_pages import AXE_ONLY, TOO_WIDE, report

IMPORT = "/admin/programs/figure/import/"
REPORTS = "cybertipline-reports-to-law-enforcement"
LONG_SOURCE = (
    "NCMEC, Florida Data fact sheet, 2024 (CyberTipline reports made available to law "
    "enforcement, by state of the reported incident)"
)
HEADER = "year,state,metric,value,qualifier,source,note"


@pytest.fixture
def csv_path(tmp_path):
    def write(name, *rows):
        path = tmp_path / name
        path.write_text("\n".join([HEADER, *rows, ""]), encoding="utf-8")
        return str(path)

    return write


def submit(tab, path=None, reason=""):
    if path:
        tab.set_input_files("#id_import_file", path)
    tab.select_option("#id_format", "0")
    tab.fill("#id_reason", reason)
    tab.click("input[type=submit][value=Submit]")
    tab.wait_for_load_state()


def test_the_preview_flags_a_jump_above_the_table_and_fits_1280_px(open_page, csv_path):
    tab = open_page(IMPORT, signed_in=True)
    path = csv_path(
        "fl-mn-2024.csv",
        f'2024,MN,{REPORTS},86110,,"NCMEC, Minnesota Data fact sheet, 2024",',
        f'2024,FL,{REPORTS},"112,384",,"{LONG_SOURCE}",Counted by the state of the incident.',
    )
    submit(tab, path)

    flags = tab.locator(".import-flags")
    assert "1 figure to check before you confirm:" in flags.inner_text()
    assert "Row 2:" in flags.inner_text() and "86,110" in flags.inner_text()
    # Above the table, and the confirm button is there.
    table = tab.locator("table.import-preview")
    assert flags.bounding_box()["y"] < table.bounding_box()["y"]
    assert tab.locator("input[value='Confirm import']").is_visible()
    assert "2024 has no edition yet" in tab.inner_text("#content")
    assert LONG_SOURCE in table.inner_text()
    tab.screenshot(path=SCREENSHOTS / "admin-import-preview-1280.png", full_page=True)
    assert tab.evaluate(TOO_WIDE) == []
    tab.evaluate(AXE_SCRIPT)
    violations = tab.evaluate("options => axe.run(document, options)", AXE_ONLY)["violations"]
    assert not violations, report(violations)


def test_a_reason_is_given_without_choosing_the_file_again(open_page, csv_path):
    tab = open_page(IMPORT, signed_in=True)
    submit(tab, csv_path("wi-2023.csv", f'2023,WI,{REPORTS},9500,,"NCMEC",'))

    assert tab.evaluate("document.activeElement?.id") == "id_reason"
    assert "Your file wi-2023.csv is kept" in tab.inner_text("#content")
    tab.screenshot(path=SCREENSHOTS / "admin-import-reason-1280.png", full_page=True)
    submit(tab, reason="NCMEC corrected Wisconsin's count")

    assert "Preview of wi-2023.csv" in tab.inner_text("#content")
    assert "1 row changes the published 2023 edition:" in tab.inner_text("#content")
