"""What the tests of the pages that show trends share (tests/programs/test_trends_fact_sheet.py
and test_trends_metric_page.py): a CyberTipline with figures for every state over 2014-2022
and a 2023 draft, and a page's HTML on one line.

Its fixtures reach the tests through tests/programs/conftest.py.
"""

import re

import pytest
from django.utils import timezone

from programs.models import Edition, Figure, Metric, MetricNote, public_change
from states.models import State
from tests.conftest import make_metric, make_program

YEARS = range(2014, 2023)
# Minnesota's CyberTipline reports, 2014–2022: lowest in 2015, highest in 2018.
MINNESOTA = dict(zip(YEARS, [3000, 2500, 4000, 5000, 9500, 6000, 6500, 7407, 8611], strict=True))
NATIONAL_VALUES = [1_100_000, 4_400_000, 8_200_000, 10_200_000, 18_400_000, 16_900_000,
                   21_700_000, 29_300_000, 32_000_000]  # fmt: skip
NATIONAL = dict(zip(YEARS, NATIONAL_VALUES, strict=True))
DRAFT_YEAR, DRAFT_VALUE = 2023, 987_654
STATE_KEY = "cybertipline-reports-to-law-enforcement"
NATIONAL_KEY = "cybertipline-reports-received"


def other_value(index, year):
    """Every other state's figure: all different, so ranks are plain."""
    return 100 * (index + 1) + (year - 2014)


@pytest.fixture
def cybertipline(db):
    """A published CyberTipline with a state and a national metric, figures for every
    state and 2014–2022 in published editions, and a 2023 draft edition."""
    program = make_program(name="CyberTipline", slug="cybertipline")
    per_state = make_metric(
        program,
        key=STATE_KEY,
        label="Reports made available to law enforcement",
        sentence="In {year}, {value} CyberTipline reports were made available to law "
        "enforcement in {state}.",
        first_year=2014,
        definition="Reports of suspected child sexual exploitation made available to "
        "law enforcement in the state.",
    )
    national = make_metric(
        program,
        key=NATIONAL_KEY,
        label="Reports received",
        scope=Metric.Scope.NATIONAL,
        sentence="In {year}, the CyberTipline received {value} reports.",
        first_year=2014,
    )
    with public_change():
        MetricNote.objects.create(
            metric=per_state, first_year=2019, text="Reports are counted by the suspect's state."
        )
        now = timezone.now()
        Edition.objects.bulk_create(
            [Edition(year=y, status=Edition.Status.PUBLISHED, published_at=now) for y in YEARS]
            + [Edition(year=DRAFT_YEAR)]
        )
        figures = []
        for index, state in enumerate(State.objects.order_by("code")):
            for year in YEARS:
                value = MINNESOTA[year] if state.code == "MN" else other_value(index, year)
                figures.append(Figure(metric=per_state, year=year, state=state, value=value))
        figures += [Figure(metric=national, year=y, value=v) for y, v in NATIONAL.items()]
        figures.append(
            Figure(
                metric=per_state,
                year=DRAFT_YEAR,
                state=State.objects.get(code="MN"),
                value=DRAFT_VALUE,
            )
        )
        Figure.objects.bulk_create(figures)
    return per_state, national


def flat_html(response):
    """The page's HTML with each run of white space one space: an assertion may span the
    template's line breaks."""
    return re.sub(r"\s+", " ", response.content.decode())
