"""The rules figures obey, in the model layer (shared by admin, imports and commands)
and in the database itself."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programs.models import Figure, Metric, public_change
from states.models import State
from tests.conftest import make_edition, make_figure, make_metric, page_text

pytestmark = pytest.mark.django_db


def errors_of(figure):
    with pytest.raises(ValidationError) as caught:
        figure.full_clean()
    return caught.value.message_dict


def test_a_second_state_figure_for_the_same_metric_year_and_state_is_refused():
    figure = make_figure(value=8611)
    duplicate = Figure(metric=figure.metric, year=2023, state=figure.state, value=1)
    assert "already a figure" in str(errors_of(duplicate))
    with pytest.raises(IntegrityError), public_change():
        duplicate.save()


def test_a_second_national_figure_for_the_same_metric_and_year_is_refused_by_the_database():
    # A NULL state never equals another NULL, so a plain unique constraint would let it in.
    metric = make_metric(scope=Metric.Scope.NATIONAL)
    make_figure(metric, value=27130)
    duplicate = Figure(metric=metric, year=2023, state=None, value=1)
    assert "already a national figure" in str(errors_of(duplicate))
    with pytest.raises(IntegrityError), public_change():
        duplicate.save()


def test_the_same_metric_may_have_figures_for_other_years_and_states():
    figure = make_figure(value=1)
    make_figure(figure.metric, year=2022, value=2)
    make_figure(figure.metric, state=State.objects.get(code="WI"), value=3)
    assert Figure.objects.count() == 3


def test_a_negative_count_is_refused_by_the_model_and_the_database():
    metric = make_metric()
    figure = Figure(metric=metric, year=2023, state=State.objects.get(code="MN"), value=-1)
    assert "value" in errors_of(figure)
    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()


def test_a_percent_over_100_is_refused():
    metric = make_metric(scope=Metric.Scope.NATIONAL, unit=Metric.Unit.PERCENT)
    figure = Figure(metric=metric, year=2023, value=Decimal("100.5"))
    assert errors_of(figure)["value"] == ["A percent cannot be more than 100."]


def test_a_count_must_be_a_whole_number():
    metric = make_metric(scope=Metric.Scope.NATIONAL)
    figure = Figure(metric=metric, year=2023, value=Decimal("2.5"))
    assert errors_of(figure)["value"] == ["A count must be a whole number."]


@pytest.mark.parametrize("year", [1983, 2101])
def test_a_year_out_of_range_is_refused_by_the_model_and_the_database(year):
    metric = make_metric(scope=Metric.Scope.NATIONAL)
    figure = Figure(metric=metric, year=year, value=1)
    assert "year" in errors_of(figure)
    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()


def test_a_year_after_next_year_is_refused():
    metric = make_metric(scope=Metric.Scope.NATIONAL)
    make_edition(2099, published=False)
    figure = Figure(metric=metric, year=2099, value=1)
    assert "cannot be later than" in errors_of(figure)["year"][0]


def test_a_state_figure_for_a_national_metric_is_refused():
    metric = make_metric(scope=Metric.Scope.NATIONAL, key="cvip-children-identified")
    figure = Figure(metric=metric, year=2023, state=State.objects.get(code="MN"), value=1)
    assert errors_of(figure)["state"] == [
        "“cvip-children-identified” is a national metric: leave the state blank."
    ]


def test_a_national_figure_for_a_state_metric_is_refused():
    metric = make_metric(scope=Metric.Scope.STATE, key="cvip-submissions-reviewed")
    figure = Figure(metric=metric, year=2023, state=None, value=1)
    assert errors_of(figure)["state"] == [
        "“cvip-submissions-reviewed” is a state metric: choose a state."
    ]


def test_metric_sentence_may_only_use_known_placeholders():
    metric = make_metric(scope=Metric.Scope.NATIONAL)
    metric.sentence = "In {year}, {value} reports from {state}."
    with pytest.raises(ValidationError, match="has no {state}"):
        metric.full_clean()
    metric.sentence = "In {year}, some reports."
    with pytest.raises(ValidationError, match="must contain"):
        metric.full_clean()


def test_no_two_metrics_share_a_label_whatever_its_case():
    national = make_metric(label="Survivors and families supported", scope="national")
    state = Metric(
        program=national.program,
        key="survivors-in-the-state",
        label="survivors and families SUPPORTED",
        scope=Metric.Scope.STATE,
        first_year=2023,
    )

    with pytest.raises(ValidationError) as caught:
        state.full_clean()

    assert caught.value.message_dict["label"] == [
        "“Survivors and families supported” is already the label of the national metric "
        f"“{national.key}”: readers could not tell the two apart where both are shown. Say "
        "what differs, e.g. “… nationwide” or “… in the state”."
    ]
    state.label = "Survivors and families supported in the state"
    state.full_clean()
    national.full_clean()  # its own label is no other metric's


def test_adding_a_metric_with_another_metrics_label_shows_the_error_and_saves_nothing(
    admin_client,
):
    national = make_metric(scope=Metric.Scope.NATIONAL, label="Survivors and families supported")
    form = {"program": national.program.pk, "key": "survivors-in-the-state", "scope": "state",
            "label": "Survivors and families supported", "unit": "count", "period": "year",
            "first_year": "2023", "position": "0", "sentence": "",
            "notes-TOTAL_FORMS": "0", "notes-INITIAL_FORMS": "0"}  # fmt: skip

    response = admin_client.post("/admin/programs/metric/add/", form)

    assert response.status_code == 200
    error = response.context["adminform"].form.errors["label"][0]
    assert error.startswith("“Survivors and families supported” is already the label of the "
                            f"national metric “{national.key}”")  # fmt: skip
    assert "readers could not tell the two apart" in page_text(response)
    assert list(Metric.objects.all()) == [national]


def test_breakdown_part_must_share_its_totals_scope():
    total = make_metric(scope=Metric.Scope.STATE)
    part = Metric(
        program=total.program, key="part", label="Part", scope=Metric.Scope.NATIONAL, parent=total
    )
    with pytest.raises(ValidationError, match="same scope"):
        part.full_clean()


def test_figure_sentence_writes_the_value_as_readers_see_it():
    metric = make_metric(
        sentence="In {year}, {value} CyberTipline reports were made available to law "
        "enforcement in {state}."
    )
    figure = make_figure(metric, value=8611)
    assert figure.sentence == (
        "In 2023, 8,611 CyberTipline reports were made available to law enforcement in Minnesota."
    )
