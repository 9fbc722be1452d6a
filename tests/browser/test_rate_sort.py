"""The program page's table of states sorts by its column of rates per 100,000 residents
as numbers, in the order of the ranks by rate: two states whose rates are written alike
(Montana's 181.41 and Minnesota's 181.37, both 181.4) in their ranks' order."""

RATE_COLUMN = "table.state-table thead th:nth-child(3)"


def test_the_table_of_states_sorts_by_rate_highest_first_then_lowest(open_page):
    page = open_page("/programs/cybertipline/2023/")
    column = page.locator(RATE_COLUMN)
    assert column.inner_text().startswith("Per 100,000 residents")
    rows = page.locator("table.state-table tbody tr")

    def rates():
        cells = page.locator("table.state-table tbody td:nth-child(3)").all_inner_texts()
        return [float(cell.replace(",", "")) for cell in cells]

    def names():
        return page.locator("table.state-table tbody th[scope=row]").all_inner_texts()

    column.locator("button").click()

    assert column.get_attribute("aria-sort") == "descending"
    assert rows.count() == 50
    assert rates() == sorted(rates(), reverse=True)
    assert names().index("Montana") + 1 == names().index("Minnesota") == 40  # 41st

    column.locator("button").click()

    assert column.get_attribute("aria-sort") == "ascending"
    assert rates() == sorted(rates())
