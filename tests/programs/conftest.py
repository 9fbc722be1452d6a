"""The programs' larger data sets, each built once for a module's tests that ask for it."""

from datetime import UTC, datetime
from decimal import Decimal

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.demo import demo_data_load
from programs.models import Edition, Figure, Metric, Revision
from states.models import State
from tests.conftest import make_figure, make_metric, make_program, once_per_module

# The fixtures of the helper modules that several test files share: through here, each
# reaches every test of this folder.
from tests.programs.history_helpers import draft_figure  # noqa: F401
from tests.programs.import_helpers import exporter, importer, no_figures  # noqa: F401
from tests.programs.reader_data import build_reader_data
from tests.programs.revision_helpers import published_correction, reports  # noqa: F401
from tests.programs.trend_helpers import cybertipline  # noqa: F401

PUBLISHED_2023 = datetime(2024, 3, 1, 15, tzinfo=UTC)
REVISED_2023 = datetime(2024, 5, 3, 15, tzinfo=UTC)
PUBLISHED_2022 = datetime(2023, 2, 1, 15, tzinfo=UTC)
HIDDEN_PROGRAM = "Quiet Pilot Program"
HIDDEN_METRIC = "Secret pilot engagements"


@once_per_module
def site_with_history():
    """The demo, its 2023 published on 1 March 2024 and revised on 3 May 2024; a 2022
    edition published on 1 February 2023 with a Wisconsin figure; an unpublished program
    with a metric. Built once for the module's tests."""
    demo_data_load(seed_only=True)
    make_figure(
        Metric.objects.get(key="cybertipline-reports-to-law-enforcement"),
        year=2022,
        state=State.objects.get(code="WI"),
        value=4321,
    )
    cvip = Figure.objects.get(metric__key="cvip-submissions-reviewed", year=2023)
    proposal = Proposal(cvip.metric, 2023, cvip.state, cvip, value=Decimal(131))
    pending_changes_stage(proposals=[proposal], reason="A late count")
    pending_changes_publish(year=2023)
    Edition.objects.filter(year=2023).update(published_at=PUBLISHED_2023)
    Edition.objects.filter(year=2022).update(published_at=PUBLISHED_2022)
    Revision.objects.filter(year=2023).update(published_at=REVISED_2023)
    hidden = make_program(name=HIDDEN_PROGRAM, slug="quiet-pilot", is_published=False)
    make_metric(hidden, label=HIDDEN_METRIC, definition="Engagements of the pilot.")


# The demo, more states' CyberTipline reports for 2023, a 2022 figure.
site_with_states = once_per_module(build_reader_data, name="site_with_states")
