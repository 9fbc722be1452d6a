"""The admin says what it means: a count reads as a whole number ("66", never the
column's "66.00") on every figure form and page, a percent with the decimals it has; the
qualifier's choices read as choices, with help that gives the examples; the message after
staging a correction is a sentence."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import strip_tags

from programs.models import Figure, Metric, PendingChange
from tests.conftest import make_figure, make_metric, page_text
from tests.programs.revision_helpers import stage


def value_input(response):
    """The value field's input as the form renders it."""
    return response.context["adminform"].form["value"].as_widget()


@pytest.fixture
def draft_count(db):
    """A draft 2024 count of 66."""
    return make_figure(make_metric(first_year=2024), year=2024, value=66, draft=True)


# Counts as whole numbers


def test_a_drafts_form_shows_a_count_as_a_whole_number(draft_count, admin_client):
    response = admin_client.get(reverse("admin:programs_figure_change", args=[draft_count.pk]))

    assert 'value="66"' in value_input(response)
    assert "66.00" not in response.content.decode()


def test_a_drafts_form_shows_a_percent_with_its_decimals(db, admin_client):
    metric = make_metric(unit=Metric.Unit.PERCENT, first_year=2024)
    figure = make_figure(metric, year=2024, value=Decimal("12.5"), draft=True)

    response = admin_client.get(reverse("admin:programs_figure_change", args=[figure.pk]))

    assert 'value="12.5"' in value_input(response)


def test_a_published_figures_page_shows_a_count_as_a_whole_number(db, admin_client):
    figure = make_figure(value=66)

    response = admin_client.get(reverse("admin:programs_figure_change", args=[figure.pk]))

    text = page_text(response)
    assert "Value: 66 Qualifier" in text
    assert "66.00" not in text


def test_the_correction_form_shows_a_count_as_a_whole_number(db, admin_client):
    figure = make_figure(value=8611)

    response = admin_client.get(reverse("admin:programs_pendingchange_add"), {"figure": figure.pk})

    assert 'value="8611"' in value_input(response)


def test_a_pending_change_seen_read_only_shows_a_count_as_a_whole_number(db, staff, publisher):
    figure = make_figure(value=8611)
    stage(publisher, figure, value="8700")
    staff.user.user_permissions.add(Permission.objects.get(codename="view_pendingchange"))

    response = staff.get(
        reverse("admin:programs_pendingchange_change", args=[PendingChange.objects.get().pk])
    )

    text = page_text(response)
    assert "Value: 8,700" in text
    assert "8700.00" not in text


def test_a_figures_history_shows_counts_as_whole_numbers(draft_count, admin_client):
    url = reverse("admin:programs_figure_change", args=[draft_count.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    admin_client.post(url, {**data, "value": "67", "change_reason": "Recounted"})

    text = page_text(
        admin_client.get(reverse("admin:programs_figure_history", args=[draft_count.pk]))
    )

    assert "Value: 66 → 67" in text
    assert "66.00" not in text


# The qualifier


def test_the_qualifiers_choices_read_as_choices_with_examples_in_the_help(db, admin_client):
    response = admin_client.get(reverse("admin:programs_figure_add"))

    field = response.context["adminform"].form.fields["qualifier"]
    assert [label for _value, label in field.choices] == ["Exact", "More than", "Rounded"]
    assert "“more than 18,400” (enter 18400)" in field.help_text
    assert "“36.2 million” (enter 36200000)" in field.help_text
    assert [label for _value, label in Figure.Qualifier.choices] == [
        "Exact", "More than", "Rounded"
    ]  # fmt: skip


# Messages


def test_staging_a_correction_says_so_in_a_sentence(db, editor):
    figure = make_figure(value=8611)

    response = stage(editor, figure, value="8700")

    text = strip_tags(" ".join(str(message) for message in get_messages(response.wsgi_request)))
    assert (
        f"The pending change “Changed figure: {figure.metric.key}, Minnesota, 2023” was added"
        in text
    )
    assert "“:" not in text


def test_a_pending_change_not_yet_staged_is_named_without_a_stray_colon(db):
    figure = make_figure(value=8611)

    pending = PendingChange(metric=figure.metric, year=2023, state=figure.state)

    assert str(pending) == f"{figure.metric.key}, Minnesota, 2023"
