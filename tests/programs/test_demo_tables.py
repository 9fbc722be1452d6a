"""The demo publishes NCMEC's public tables (samples/ncmec-public/, copied verbatim from
the project's shared data) as they were published: every figure with its value, year,
place and source; each breakdown adding up to its total; no figure for the District of
Columbia or a territory where the by-state table has none.

The tables are read here on their own terms (their columns, their thousands separators),
so that a slip in samples/convert_ncmec_public.py or in the demo's files shows."""

import csv
import filecmp
import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from django.conf import settings

from programs.figure_checks import breakdown_flags, year_flags
from programs.models import Figure, Metric, Source

SAMPLES = Path(settings.BASE_DIR) / "samples"
TABLES = SAMPLES / "ncmec-public"
SHARED = Path(settings.BASE_DIR).parent / "shared" / "data" / "ncmec-public"
DIAPHANOUS = "Robert Grimm, diaphanous, CC BY 4.0"

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(full_site):
    """The whole demo's published figures by (metric key, year, place code)."""
    return {
        (f.metric.key, f.year, f.state.code if f.state_id else "US"): f
        for f in Figure.objects.published().select_related("metric", "state")
    }


def table(name):
    with open(TABLES / name, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def number(text):
    return int(text.replace(",", ""))


def assert_published(figures, key, year, place, value):
    figure = figures.get((key, int(year), place))
    assert figure is not None, f"{key} {year} {place} is not published"
    assert (figure.value, figure.qualifier) == (value, ""), (key, year, place)
    source = Source.objects.get(title=figure.source)  # named, and described
    assert DIAPHANOUS in source.credit, source.title  # credited as the tables ask


def test_every_yearly_cybertipline_figure_is_published_exactly(published):
    rows = table("cybertipline-reports-per-year.csv")
    assert len(rows) == 26
    for row in rows:
        assert_published(published, "cybertipline-reports-received", row["year"], "US",
                         number(row["reports"]))  # fmt: skip
    # The seed's "36.2 million" is this table's 2023 figure, written as the sheet does.
    assert published[("cybertipline-reports-received", 2023, "US")].sentence == (
        "In 2023, the CyberTipline received 36.2 million reports related to child sexual "
        "exploitation."
    )


def test_every_state_has_its_2023_reports_and_population(published):
    rows = {row["state"]: row for row in table("cybertipline-reports-by-state-2023.csv")}
    states = [code for code in rows if len(code) == 2]
    assert len(states) == 50
    for code in states:
        row = rows[code]
        assert_published(published, "cybertipline-reports-by-state", 2023, code,
                         number(row["reports"]))  # fmt: skip
        assert_published(published, "population", 2023, code, number(row["population"]))
    assert_published(published, "cybertipline-united-states-in-a-state", 2023, "US",
                     number(rows["Subtotal"]["reports"]))  # fmt: skip
    assert_published(published, "cybertipline-united-states-state-unspecified", 2023, "US",
                     number(rows["Unspecified"]["reports"]))  # fmt: skip
    assert_published(published, "cybertipline-reports-united-states", 2023, "US",
                     number(rows["Total"]["reports"]))  # fmt: skip
    assert_published(published, "population-united-states", 2023, "US",
                     number(rows["Total"]["population"]))  # fmt: skip
    # The subtotal is the sum of the states.
    assert sum(number(rows[code]["reports"]) for code in states) == number(
        rows["Subtotal"]["reports"]
    )


def test_dc_and_the_territories_have_no_by_state_figure(published):
    places = {place for key, _, place in published if key == "cybertipline-reports-by-state"}
    for code in ("DC", "PR", "GU", "VI", "AS", "MP"):
        assert code not in places


def test_the_united_states_row_of_the_by_country_table_is_published(published):
    rows = table("cybertipline-reports-united-states-by-country-table.csv")
    assert [row["year"] for row in rows] == ["2019", "2020", "2021", "2022", "2023"]
    for row in rows:
        key = ("cybertipline-reports-united-states", int(row["year"]), "US")
        assert_published(published, *key, number(row["reports"]))
        assert published[key].source == f"NCMEC, CyberTipline Reports by Country, {row['year']}"


CONTENT_KEYS = {
    ("reports", "total"): "cybertipline-reports-received",
    ("reports", "with unique photos/videos"): "cybertipline-reports-unique-media",
    ("reports", "with similar photos/videos"): "cybertipline-reports-similar-media",
    ("user location", "U.S."): "cybertipline-user-in-united-states",
    ("user location", "international"): "cybertipline-user-international",
    ("user location", "unknown"): "cybertipline-user-location-unknown",
    ("attachments", "photos"): "cybertipline-content-photos",
    ("attachments", "videos"): "cybertipline-content-videos",
    ("attachments", "other"): "cybertipline-content-other-files",
    ("attachments", "unique photos"): "cybertipline-content-unique-photos",
    ("attachments", "similar photos"): "cybertipline-content-similar-photos",
    ("attachments", "unique videos"): "cybertipline-content-unique-videos",
    ("attachments", "similar videos"): "cybertipline-content-similar-videos",
    **{
        ("kind of exploitation", label): f"cybertipline-incident-{slug}"
        for label, slug in [
            ("child pornography", "child-pornography"),
            ("misleading words/images online", "misleading-words-images"),
            ("online enticement of children", "online-enticement"),
            ("child sex trafficking", "child-sex-trafficking"),
            ("obscene material sent to a child", "obscene-material"),
            ("misleading domain name", "misleading-domain-name"),
            ("child sexual molestation", "child-sexual-molestation"),
            ("child sex tourism", "child-sex-tourism"),
        ]
    },
}


def test_every_figure_of_the_report_contents_is_published(published):
    rows = table("cybertipline-report-contents-2020-2023.csv")
    assert len(rows) == 84
    for row in rows:
        key = CONTENT_KEYS[(row["category"], row["label"])]
        assert_published(published, key, row["year"], "US", number(row["quantity"]))
    # The 2023 child sex trafficking reports of the CyberTipline are not the fact sheet's
    # "more than 18,400" of all NCMEC's channels: two metrics, each saying so.
    cybertipline = published[("cybertipline-incident-child-sex-trafficking", 2023, "US")]
    channels = published[("trafficking-reports-received", 2023, "US")]
    assert (cybertipline.display_value, channels.display_value) == ("17,353", "more than 18,400")
    assert "18,400" in cybertipline.metric.definition
    assert "17,353" in channels.metric.definition


def test_every_figure_of_the_report_recipients_is_published(published):
    rows = table("cybertipline-report-recipients-2020-2023.csv")
    assert len(rows) == 32
    recipient = {"internet crimes against children units": "icac", "local law enforcement":
                 "local", "federal law enforcement": "federal",
                 "international law enforcement": "international"}  # fmt: skip
    for row in rows:
        key = f"cybertipline-to-{recipient[row['recipients']]}-{row['level_of_detail']}"
        assert_published(published, key, row["year"], "US", number(row["reports"]))


def test_each_breakdown_adds_up_to_its_total(published):
    totals = {}
    for (_, year, place), figure in published.items():
        metric = figure.metric
        if metric.parent_id:
            group = (metric.parent_id, metric.breakdown, year, place)
            totals[group] = totals.get(group, 0) + figure.value
    parents = {metric.pk: metric.key for metric in Metric.objects.filter(parts__isnull=False)}
    checked = set()
    for (parent, breakdown, year, place), parts in totals.items():
        total = published.get((parents[parent], year, place))
        if total is None or total.qualifier:  # "more than 105 million": not checkable
            continue
        assert parts == total.value, (parents[parent], breakdown, year)
        checked.add((parents[parent], breakdown))
    assert checked >= {
        ("cybertipline-reports-received", "by where the reported user was"),
        ("cybertipline-reports-received", "by kind of exploitation"),
        ("cybertipline-reports-united-states", "by whether the state is known"),
        ("missing-cases-handled", ""),
    }
    assert breakdown_flags() == []


def test_the_states_2023_reports_pass_the_checks_against_the_national_figure(full_site):
    """The by-state table's 50 states add up to its national subtotal, 910,349, exactly:
    no state, nor their sum, over it; no rate over 3 times the median; every figure with
    its source. What the checks flag in NCMEC's real 2023 figures are year-on-year
    jumps NCMEC published (e.g. misleading domain names, 1,948 to 6,883)."""
    by_state = Metric.objects.get(key="cybertipline-reports-by-state")
    assert by_state.national_total.key == "cybertipline-united-states-in-a-state"

    assert {flag.kind for flag in year_flags([2023])[2023]} == {"jump"}


def test_the_samples_are_what_the_conversion_writes_from_the_tables(tmp_path, monkeypatch):
    from samples import convert_ncmec_public as convert

    monkeypatch.setattr(convert, "HERE", tmp_path)
    with redirect_stdout(io.StringIO()):
        convert.main()
    for name in convert.FILES:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


@pytest.mark.skipif(not SHARED.is_dir(), reason="the project's shared data is not beside it")
def test_the_copied_tables_are_the_shared_ones():
    names = sorted(path.name for path in SHARED.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(SHARED, TABLES, names, shallow=False)
    assert (mismatch, errors) == ([], [])
