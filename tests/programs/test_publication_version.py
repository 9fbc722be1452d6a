"""The publication version: every change readers can see moves it by one, through
public_change(); a change readers cannot see leaves it. Caches and downloads key on it."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.corrections import (
    Proposal,
    pending_changes_discard,
    pending_changes_publish,
    pending_changes_stage,
)
from programs.figure_files import read_table
from programs.importing import figures_import
from programs.models import (
    Edition,
    Figure,
    Metric,
    MetricNote,
    Program,
    Publication,
    PublicContentLocked,
    public_change,
)
from programs.publishing import edition_publish, edition_unpublish
from states.models import State
from tests.conftest import add_draft_2024, make_figure, make_metric, make_program


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint."""


REPORTS = "cybertipline-reports-to-law-enforcement"


@pytest.fixture
def world(demo, minnesota):
    add_draft_2024(minnesota)
    hidden = make_program(name="Pilot", slug="pilot", is_published=False)
    make_metric(hidden, key="pilot-metric")


def version():
    return Publication.current().version


def reports_mn():
    return Figure.objects.get(metric__key=REPORTS, year=2023, state__code="MN")


def stage_correction(value=8700):
    figure = reports_mn()
    pending_changes_stage(
        proposals=[Proposal(figure.metric, 2023, figure.state, figure, value=Decimal(value))],
        reason="Corrected",
    )


# What readers see changes: the version moves by exactly one.


def publish_draft(client):
    edition_publish(edition=Edition.objects.get(year=2024))


def unpublish_published(client):
    edition_unpublish(edition=Edition.objects.get(year=2023))


def publish_pending_changes(client):
    stage_correction()
    pending_changes_publish(year=2023)


def publish_due_by_cron(client):
    Edition.objects.filter(year=2024).update(publish_at=timezone.now())
    call_command("publish_due_editions", stdout=StringIO())


def publish_by_command(client):
    call_command("publish_edition", "2024", stdout=StringIO())


def publish_a_program_in_the_admin(client):
    program = Program.objects.get(slug="pilot")
    url = reverse("admin:programs_program_change", args=[program.pk])
    form = client.get(url).context["adminform"].form
    data = {**{k: v for k, v in form.initial.items() if v is not None}, "is_published": "on"}
    data.update({"metrics-TOTAL_FORMS": "1", "metrics-INITIAL_FORMS": "1"})
    metric = Metric.objects.get(key="pilot-metric")
    data.update(
        {
            f"metrics-0-{name}": value
            for name, value in {
                "id": metric.pk,
                "program": program.pk,
                "key": metric.key,
                "label": metric.label,
                "scope": metric.scope,
                "unit": metric.unit,
                "period": metric.period,
                "first_year": metric.first_year,
                "position": 0,
            }.items()
        }  # fmt: skip
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def edit_a_published_metric(client):
    metric = Metric.objects.get(key=REPORTS)
    metric.label = "Reports sent to law enforcement"
    with public_change():
        metric.save()


def add_a_note_to_a_published_metric(client):
    with public_change():
        MetricNote.objects.create(
            metric=Metric.objects.get(key=REPORTS), first_year=2023, text="A dated note."
        )


def unpublish_a_program(client):
    program = Program.objects.get(slug="cybertipline")
    program.is_published = False
    with public_change():
        program.save()


# What readers do not see: the version stays.


def edit_a_draft_figure(client):
    figure = Figure.objects.filter(year=2024).first()
    figure.value += 1
    with public_change():
        figure.save()


def import_into_a_draft(client):
    data = b"year,state,metric,value\n2024,MN,cvip-submissions-reviewed,44\n"
    report = figures_import(table=read_table(data, file_name="d.csv"), file_name="d.csv")
    assert report.ok and report.created == 1


def stage_a_correction(client):
    stage_correction()


def discard_a_correction(client):
    stage_correction()
    pending_changes_discard(year=2023)


def edit_an_unpublished_program(client):
    program = Program.objects.get(slug="pilot")
    program.summary = "Not public yet."
    with public_change():
        program.save()


def publish_what_is_published(client):
    edition_publish(edition=Edition.objects.get(year=2023))


def save_a_public_row_unchanged(client):
    figure = reports_mn()
    with public_change():
        figure.save()


@pytest.mark.parametrize(
    ("path", "bumps"),
    [
        (publish_draft, 1),
        (unpublish_published, 1),
        (publish_pending_changes, 1),
        (publish_due_by_cron, 1),
        (publish_by_command, 1),
        (publish_a_program_in_the_admin, 1),
        (edit_a_published_metric, 1),
        (add_a_note_to_a_published_metric, 1),
        (unpublish_a_program, 1),
        (edit_a_draft_figure, 0),
        (import_into_a_draft, 0),
        (stage_a_correction, 0),
        (discard_a_correction, 0),
        (edit_an_unpublished_program, 0),
        (publish_what_is_published, 0),
        (save_a_public_row_unchanged, 0),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_the_version_moves_once_for_each_public_change_and_never_otherwise(
    world, publisher, path, bumps
):
    before = version()

    path(publisher)

    assert version() == before + bumps


def test_a_published_row_changed_outside_public_change_is_refused(world):
    metric = Metric.objects.get(key=REPORTS)
    metric.label = "Changed by a script"

    with pytest.raises(PublicContentLocked, match="is public: it changes only through"):
        metric.save()

    assert Metric.objects.get(key=REPORTS).label != "Changed by a script"


def test_a_public_change_that_fails_half_way_leaves_everything_as_it_was(world):
    """public_change() is one transaction: every service that publishes runs inside it."""
    before = version()
    program = Program.objects.get(slug="cybertipline")

    with pytest.raises(ValueError), public_change():
        program.summary = "Half-way there."
        program.save()
        edition_publish(edition=Edition.objects.get(year=2024))
        raise ValueError("something went wrong before the block ended")

    assert Program.objects.get(slug="cybertipline").summary != "Half-way there."
    assert not Edition.objects.get(year=2024).is_published
    assert version() == before


def test_a_nested_block_cannot_raise_an_editors_rights(world, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    program = Program.objects.get(slug="cybertipline")
    program.summary = "Changed by an Editor through a system block."

    with pytest.raises(PermissionDenied), public_change(user=editor), public_change():
        program.save()

    assert Program.objects.get(slug="cybertipline").summary != program.summary


def test_the_version_records_when_readers_last_saw_a_change(world):
    before = Publication.current().changed_at

    publish_draft(None)

    assert Publication.current().changed_at > before


def test_a_figure_added_to_a_published_year_by_the_system_still_moves_the_version(world):
    """Set-up and commands act as the system; their public writes are counted too."""
    before = version()

    make_figure(Metric.objects.get(key=REPORTS), year=2023, state=State.objects.get(code="WI"))

    assert version() == before + 1


def test_deleting_selected_public_rows_in_the_admin_goes_through_the_guard(
    world, django_user_model
):
    """ "Delete selected" deletes one by one, so even a superuser's bulk delete is counted."""
    root = django_user_model.objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(root)
    hidden, shown = (
        Metric.objects.get(key="pilot-metric"),
        make_metric(Program.objects.get(slug="cybertipline"), key="unused-public-metric"),
    )
    before = version()

    response = client.post(
        reverse("admin:programs_metric_changelist"),
        {"action": "delete_selected", "_selected_action": [hidden.pk, shown.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Metric.objects.filter(pk__in=[hidden.pk, shown.pk]).exists()
    assert version() == before + 1
