"""Metrics readers see need a definition and a sentence: the program form adds metrics
with both; a program's page lists those that lack either, with links to complete them,
and says so when it is saved; the Metrics list filters them."""

import pytest
from django.urls import reverse

from programs.models import Metric
from tests.conftest import make_metric, make_program, page_text
from tests.programs.program_form import metric_row, program_form

DEFINITION = "Posters of missing children distributed by ADAM's partners in the year."
SENTENCE = "In {year}, ADAM's partners distributed {value} posters."


@pytest.fixture
def program(db):
    """A program with a complete metric, one without a definition, one without a
    sentence, and a breakdown part with neither (not a headline: readers see it in a
    table, where it needs neither)."""
    program = make_program(name="ADAM", is_published=False)
    total = make_metric(program, key="adam-complete", label="Complete one", definition="Done.")
    make_metric(program, key="adam-posters", label="ADAM posters distributed")
    make_metric(program, key="adam-no-sentence", label="Cases", definition="D.", sentence="")
    make_metric(program, key="adam-part", label="A part", parent=total, headline=False,
                sentence="")  # fmt: skip
    return program


def test_the_program_form_adds_metrics_with_their_definition_and_sentence(db, admin_client):
    form = admin_client.get(reverse("admin:programs_program_add")).content.decode()
    assert 'name="metrics-__prefix__-definition"' in form
    assert 'name="metrics-__prefix__-sentence"' in form

    row = metric_row("adam-posters", definition=DEFINITION, sentence=SENTENCE)
    response = admin_client.post(reverse("admin:programs_program_add"), program_form(row))

    assert response.status_code == 302
    metric = Metric.objects.get(key="adam-posters")
    assert (metric.definition, metric.sentence) == (DEFINITION, SENTENCE)


def test_a_programs_page_lists_its_headline_metrics_without_a_definition_or_a_sentence(
    program, admin_client
):
    response = admin_client.get(reverse("admin:programs_program_change", args=[program.pk]))

    text = page_text(response)
    assert "2 metrics that readers see lack a definition or a sentence" in text
    assert "ADAM posters distributed (adam-posters): no definition" in text
    assert "Cases (adam-no-sentence): no sentence" in text
    assert "Complete one" not in text.split("Name:")[0]
    assert "A part" not in text.split("Name:")[0]
    for key in ("adam-posters", "adam-no-sentence"):
        link = reverse("admin:programs_metric_change", args=[Metric.objects.get(key=key).pk])
        assert f'href="{link}"' in response.content.decode()


def test_a_program_whose_metrics_are_complete_says_so(db, admin_client):
    program = make_program(is_published=False)
    make_metric(program, definition="Done.")

    response = admin_client.get(reverse("admin:programs_program_change", args=[program.pk]))

    assert (
        "Metrics to complete: Every one of its headline metrics has a definition and a sentence."
        in page_text(response)
    )


def test_saving_a_program_with_a_metric_to_complete_says_which(db, admin_client):
    row = metric_row("adam-posters", sentence=SENTENCE)

    response = admin_client.post(
        reverse("admin:programs_program_add"), program_form(row), follow=True
    )

    text = page_text(response)
    assert "1 metric that readers see lacks a definition or a sentence" in text
    assert "Adam posters (adam-posters): no definition" in text


def test_the_metrics_list_filters_the_incomplete_ones(program, admin_client):
    response = admin_client.get(reverse("admin:programs_metric_changelist"), {"complete": "no"})

    listed = {metric.key for metric in response.context["cl"].result_list}
    assert listed == {"adam-posters", "adam-no-sentence"}
