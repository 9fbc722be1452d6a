"""The /api/ page's examples: the serializers' real output over a small fixed sample
taken from the demo (NCMEC's Minnesota 2023 fact sheet, the 2023 national count and
Minnesota's 2023 population), built in memory, so the page shows exactly the shape the
API writes and costs no query."""

import json
from decimal import Decimal

from states.models import State
from states.naming import StateCodeError

from ..models import Figure, Metric, Program, WorkArea
from . import serializers

SOURCE = "NCMEC, Minnesota Data fact sheet, 2023"
NATIONAL_SOURCE = "OJJDP–NCMEC Transparency Report, calendar year 2023, Appendix A"
MINNESOTA_2023_POPULATION = Decimal("5737915")


def sample():
    # Ids, as if read from the database: a metric with no program is reference data,
    # and a rate is looked up by its state's id (reader.rates).
    cybertipline = Program(
        pk=1,
        slug="cybertipline",
        name="CyberTipline",
        work_area=WorkArea.EXPLOITATION,
        summary="NCMEC operates the CyberTipline, the national mechanism for members of the "
        "public and online platforms to report suspected child sexual exploitation.",
        body="",
    )
    minnesota = State(
        pk=1, code="MN", name="Minnesota", slug="minnesota", fips_code="27", kind="state"
    )
    received = Metric(
        program=cybertipline,
        key="cybertipline-reports-received",
        label="Reports received",
        scope=Metric.Scope.NATIONAL,
        first_year=1998,
    )
    to_law_enforcement = Metric(
        program=cybertipline,
        key="cybertipline-reports-to-law-enforcement",
        label="Reports made available to law enforcement",
        scope=Metric.Scope.STATE,
        first_year=2023,
    )
    figures = [
        Figure(
            metric=received,
            year=2023,
            state=None,
            value=Decimal("36210368"),
            source=NATIONAL_SOURCE,
        ),
        Figure(
            metric=to_law_enforcement,
            year=2023,
            state=minnesota,
            value=Decimal("8611"),
            source=SOURCE,
        ),
    ]
    return cybertipline, minnesota, [received, to_law_enforcement], figures


def _text(body):
    return json.dumps(body, indent=2, ensure_ascii=False)


def examples(absolute, cite):
    """{name: (address, JSON text)} of a response of each kind; ``absolute`` makes an
    address absolute, ``cite(address)`` writes a citation."""
    program, state, metrics, figures = sample()
    keys = [m.key for m in metrics]
    program_body = serializers.program(program, absolute, keys)
    state_body = serializers.state(state, absolute)
    metric_body = serializers.metric(metrics[1], absolute, [2023], [])
    figures_address = absolute(
        "/api/v1/figures/?year=2023&metric=cybertipline-reports-received,"
        "cybertipline-reports-to-law-enforcement"
    )
    populations = {2023: {state.pk: MINNESOTA_2023_POPULATION}}
    page = {
        "count": 2,
        "next": None,
        "previous": None,
        "citation": cite("Published figures (NCMEC Data API)", figures_address),
        "results": [serializers.figure(f, populations) for f in figures],
    }
    found = {
        "program": (
            program_body["api_url"],
            {
                **program_body,
                "citation": cite("CyberTipline (NCMEC Data API)", program_body["api_url"]),
            },
        ),
        "state": (
            state_body["api_url"],
            {**state_body, "citation": cite("Minnesota (NCMEC Data API)", state_body["api_url"])},
        ),
        "metric": (
            metric_body["api_url"],
            {
                **metric_body,
                "citation": cite(f"{metrics[1].label} (NCMEC Data API)", metric_body["api_url"]),
            },
        ),
        "figures": (figures_address, page),
        "error": (
            absolute("/api/v1/figures/?state=Minnesota"),
            {
                "error": {
                    "status": 400,
                    "message": str(StateCodeError("Minnesota")),  # as the API says it
                    "filter": "state",
                }
            },
        ),
    }
    return found


def example_texts(absolute, cite):
    return {
        name: (address, _text(body)) for name, (address, body) in examples(absolute, cite).items()
    }
