"""A fact sheet read at a glance: it opens with the state's key figures, each figure links
once to its metric's page (on its label), and the state's metrics without a figure that
year are named in one line per work area, or left out when the state never had one.

Read on the full demo (NCMEC's record: Minnesota's 2023 fact sheet, the 50 states' 2023
CyberTipline reports and their populations), loaded once for the module.
"""

import re

from programs.models import Metric, Program
from states.models import State
from tests.conftest import main_of, make_figure, make_metric, page_text

URL = "/states/minnesota/2023/"
# Minnesota's figures of 2023, in the sheet's order: the CyberTipline's reports with a
# user in the state and those made available to law enforcement, then NCMEC's sheet.
KEY_VALUES = ["10,407", "8,611", "128", "201", "22", "66", "55", "91"]


def key_figures(main):
    return re.search(r'<section class="key-figures".*?</section>', main, re.S)[0]


def tiles(main):
    return re.findall(r'<li class="key-figure">(.*?)</li>', key_figures(main), re.S)


def sections(main):
    """The figures by work area: what follows the key figures."""
    return main[main.index('<section class="work-area"') :]


def test_the_fact_sheet_opens_with_the_states_key_figures(full_site, client):
    main = main_of(client.get(URL))

    heading = main.index('<h2 id="key-figures-heading">Minnesota in 2023: key figures</h2>')
    assert main.index("Listed below are Minnesota specific statistics") < heading
    assert heading < main.index('class="year-selector"')
    assert heading < main.index('<section class="work-area"')
    values = [
        page_text(value)
        for value in re.findall(r'<p class="key-figure-value">(.*?)</p>', key_figures(main))
    ]
    assert values == KEY_VALUES


def test_a_key_figure_names_its_program_and_links_its_label_to_its_metric(full_site, client):
    first = tiles(main_of(client.get(URL)))[0]

    assert (
        '<p class="key-figure-label"><a href="/metrics/cybertipline-reports-by-state/">'
        "Reports with a user located in the state</a></p>" in first
    )
    assert '<p class="key-figure-program">CyberTipline</p>' in first
    assert first.count("<a ") == 1


def test_a_key_figure_gives_its_change_rate_and_ranks(full_site, client, minnesota):
    make_figure(
        Metric.objects.get(key="cybertipline-reports-by-state"),
        year=2022,
        state=minnesota,
        value=9000,
    )

    first, second = tiles(main_of(client.get(URL)))[:2]

    assert page_text(first).endswith(
        "CyberTipline Up 1,407 (+15.6%) from 9,000 in 2022. 181.4 per 100,000 residents. "
        "41st highest of 50 states by rate and 26th highest by count."
    )
    # Made available to law enforcement: a rate, but no other state to rank it among.
    assert page_text(second).endswith("CyberTipline 150.1 per 100,000 residents.")


def test_each_figure_links_once_to_its_metric_on_its_label(full_site, client):
    response = client.get(URL)
    figures = sections(main_of(response))

    for key, label in [
        ("cybertipline-reports-received", "Reports received"),
        ("cybertipline-reports-to-law-enforcement", "Reports made available to law enforcement"),
        ("cvip-children-identified", "Children identified with NCMEC&#x27;s support"),
    ]:
        links = re.findall(rf'<a [^>]*href="/metrics/{key}/"[^>]*>(.*?)</a>', figures)
        assert links == [label], key
    text = page_text(response)
    assert "Every year" not in text
    assert "what it counts" not in text
    # The chart and its table stay, the table under its disclosure.
    assert 'id="trend-cybertipline-reports-received-us"' in figures
    assert "<summary>Figures by year" in figures


def add_state_metric(program_slug, label, *, reported_in=None):
    """A state metric of the program, collected from 2022, with a 2022 figure for the
    state ``reported_in`` (a USPS code) if given."""
    metric = make_metric(Program.objects.get(slug=program_slug), label=label, first_year=2022)
    if reported_in:
        make_figure(metric, year=2022, state=State.objects.get(code=reported_in), value=4)
    return metric


def test_metrics_not_reported_that_year_are_named_in_one_line_per_work_area(full_site, client):
    add_state_metric("cybertipline", "Apps reporting", reported_in="MN")
    add_state_metric("child-victim-identification-program", "Series matched", reported_in="MN")
    add_state_metric("missing-child-case-assistance", "Cases closed", reported_in="MN")

    text = page_text(client.get(URL))

    assert text.count("Not reported for Minnesota in 2023") == 2
    exploitation, missing = text.split("NCMEC's Work to Help Locate and Recover")
    assert "Not reported for Minnesota in 2023: Apps reporting and Series matched." in exploitation
    assert "Not reported for Minnesota in 2023: Cases closed." in missing
    assert "no figure reported" not in text


def test_a_metric_the_state_never_had_a_figure_of_is_left_out(full_site, client):
    add_state_metric("cybertipline", "Apps reporting", reported_in="WI")
    add_state_metric("cybertipline", "Apps never reported")

    minnesota = page_text(client.get(URL))
    wisconsin = page_text(client.get("/states/wisconsin/2023/"))

    assert "Apps" not in minnesota
    assert "Not reported for" not in minnesota
    assert "Not reported for Wisconsin in 2023: Apps reporting." in wisconsin
    assert "Apps never reported" not in wisconsin


def test_a_place_without_a_figure_that_year_has_no_key_figures_and_no_not_reported_line(
    full_site, client
):
    add_state_metric("cybertipline", "Apps reporting", reported_in="DC")

    response = client.get("/states/district-of-columbia/2023/")

    assert 'class="key-figures"' not in response.content.decode()
    text = page_text(response)
    assert "No figures are published for District of Columbia for 2023." in text
    assert "Not reported for" not in text
