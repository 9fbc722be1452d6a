"""Data the map, table-of-states, compare and API tests share: the fixture
``site_with_states`` (tests/programs/conftest.py) builds it once per test module.
"""

from programs.demo import demo_data_load
from programs.models import Metric
from states.models import State
from tests.conftest import make_figure

REPORTS = "cybertipline-reports-to-law-enforcement"
# Reports made available to law enforcement in 2023, beside the demo's Minnesota 8,611.
REPORTS_2023 = {"WI": 9_250, "IA": 3_120, "TX": 41_000, "GU": 12, "PR": 640, "CA": 52_300}
# Wisconsin's breakdown of missing child cases, with one part missing.
MISSING_WI = {"missing-cases-handled": 150, "missing-cases-other": 100}
# One state figure of 2022, so pages have a year selector.
REPORTS_2022 = {"MN": 7_000}


def build_reader_data():
    """The demo, more states' CyberTipline reports for 2023, a 2022 figure."""
    demo_data_load(seed_only=True)
    states = {state.code: state for state in State.objects.all()}
    reports = Metric.objects.get(key=REPORTS)
    for code, value in REPORTS_2023.items():
        make_figure(reports, year=2023, state=states[code], value=value)
    for key, value in MISSING_WI.items():
        make_figure(Metric.objects.get(key=key), year=2023, state=states["WI"], value=value)
    for code, value in REPORTS_2022.items():
        make_figure(reports, year=2022, state=states[code], value=value)
