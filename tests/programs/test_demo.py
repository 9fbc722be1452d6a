from io import StringIO

import pytest
from django.core.management import call_command

from programs.models import Figure, Metric, Program

pytestmark = pytest.mark.django_db

KEYS_IN_ISSUE = {
    "cybertipline-reports-received", "cybertipline-content-pieces", "cvip-children-identified",
    "missing-cases-assisted", "missing-cases-runaway-social-services",
    "missing-runaways-likely-trafficking-percent", "trafficking-reports-received",
    "team-hope-survivors-families-supported", "team-adam-incidents", "team-adam-long-term-cases",
    "connect-registered-users", "cybertipline-reports-to-law-enforcement",
    "cvip-submissions-reviewed", "missing-cases-handled", "missing-cases-social-services",
    "missing-cases-other", "missing-cases-hhs-orr", "trafficking-agency-engagements",
    "team-hope-survivors-families", "faon-mental-health-connections", "connect-new-professionals",
}  # fmt: skip


def load():
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def snapshot():
    return list(
        Figure.objects.order_by("pk").values_list("pk", "metric__key", "state__code", "value",
                                                  "qualifier", "updated")
    )  # fmt: skip


def test_demo_command_loads_the_seed_programs_metrics_and_figures():
    assert "8 programs, 21 metrics, 21 figures" in load()
    assert Program.objects.published().count() == 8
    assert set(Metric.objects.values_list("key", flat=True)) == KEYS_IN_ISSUE
    assert Figure.objects.count() == 21
    assert set(Figure.objects.values_list("year", flat=True)) == {2023}
    # Minnesota only: no figure is invented for another state.
    assert set(Figure.objects.for_states().values_list("state__code", flat=True)) == {"MN"}
    handled = Figure.objects.get(metric__key="missing-cases-handled")
    parts = Figure.objects.filter(metric__parent=handled.metric)
    assert sorted(int(f.value) for f in parts) == [9, 57, 135]


def test_demo_command_run_twice_changes_nothing():
    load()
    before = snapshot()
    load()
    assert snapshot() == before
    assert Figure.objects.breakdown_mismatches() == []


def test_demo_command_restores_a_figure_staff_changed():
    load()
    Figure.objects.filter(metric__key="cvip-submissions-reviewed").update(value=1)
    load()
    assert Figure.objects.get(metric__key="cvip-submissions-reviewed").value == 128
