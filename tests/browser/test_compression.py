"""A staff member's fact sheet, out of the page cache, gzipped by joining its body's
compressed bytes (built once per version) into the frame: Chromium decodes it whole."""

SIZES = """() => {
  const entry = performance.getEntriesByType("navigation")[0];
  return [entry.encodedBodySize, entry.decodedBodySize];
}"""


def test_chromium_reads_a_staff_members_fact_sheet_sent_as_joined_gzip(open_page):
    tab = open_page("/states/minnesota/2023/", signed_in=True)

    sent, read = tab.evaluate(SIZES)
    assert 0 < sent < read / 3  # compressed on the wire
    assert "Minnesota Data, 2023" in tab.locator("h1").inner_text()
    main = tab.locator("main").inner_text()
    assert "8,612" in main  # the corrected figure, in the body built once per version
    assert "Page generated on" in tab.content()  # the frame after the body is there too
