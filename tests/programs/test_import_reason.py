"""An import refused only because its changes to a published edition need a reason: the
error is on the Reason field, the upload is kept, and the reason is given without
choosing the file again. Only the member of staff who uploaded a file may use it; an
import refused for anything else still says to correct the file.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from programs.models import Figure, HeldUpload, PendingChange
from tests.conftest import page_text
from tests.programs.import_helpers import (
    CSV,
    GOOD_ROW,
    IMPORT_URL,
    IMPORTER_PERMISSIONS,
    PROCESS_URL,
    REPORTS,
    confirm,
    csv_file,
    shown_messages,
    staff_with,
    upload,
)

CORRECTION = f"2023,MN,{REPORTS},9000"


@pytest.fixture
def demo(site, db):
    """The demo, built once for this module's tests (``site``), each in a savepoint; 2023
    is published, so the file's changes are staged and need a reason."""


@pytest.fixture
def staff(client, django_user_model, demo):
    return staff_with(client, django_user_model, *IMPORTER_PERMISSIONS)


def refused(client):
    return upload(client, csv_file(CORRECTION, GOOD_ROW), file_name="corrections.csv")


def held_name(response):
    return re.search(r'name="held_upload" value="([^"]+)"', response.content.decode())[1]


def resubmit(client, refusal, reason="NCMEC corrected the count"):
    """The form again, with a reason and no file: what a browser posts from the page."""
    return client.post(
        IMPORT_URL,
        {
            "format": str(CSV),
            "reason": reason,
            "held_upload": held_name(refusal),
            "held_file_name": "corrections.csv",
        },
    )


def test_the_error_is_on_the_reason_field_and_the_page_points_there(staff):
    response = refused(staff)

    form = response.context["form"]
    assert list(form.errors) == ["reason"]
    assert form.errors["reason"] == [
        "2 rows of corrections.csv change the published 2023 edition: say why here (readers "
        "see it in the revision note), then submit again. The file is kept: there is no need "
        "to choose it again."
    ]
    page = response.content.decode()
    assert '<a href="#id_reason">Give it in the Reason field</a>' in page
    assert re.search(r'<input[^>]*name="reason"[^>]*autofocus', page)
    text = page_text(page)
    assert "Correct these rows in the file" not in text
    assert "Your file corrections.csv is kept" in text
    assert "confirm_form" not in response.context
    assert not PendingChange.objects.exists()


def test_the_upload_is_kept_and_the_file_field_is_optional(staff):
    response = refused(staff)

    assert HeldUpload.objects.filter(name=held_name(response)).exists()
    assert not re.search(r'<input[^>]*type="file"[^>]*required', response.content.decode())


def test_the_reason_is_then_given_without_choosing_the_file_again(staff):
    preview = resubmit(staff, refused(staff))

    assert preview.context["result"].report.file_name == "corrections.csv"
    assert "confirm_form" in preview.context
    response = confirm(staff, preview)

    assert shown_messages(response) == [
        "Imported corrections.csv: 2 changes to the published 2023 edition staged for a Publisher."
        " See 2023: what is there, missing and flagged."
    ]
    staged = {(p.state.code, p.value, p.reason) for p in PendingChange.objects.all()}
    assert staged == {("MN", 9000, "NCMEC corrected the count"),
                      ("WI", 1200, "NCMEC corrected the count")}  # fmt: skip
    assert not HeldUpload.objects.exists()  # removed once imported


def test_submitting_again_without_a_reason_refuses_again_and_keeps_the_same_upload(staff):
    first = refused(staff)
    again = resubmit(staff, first, reason="")

    assert list(again.context["form"].errors) == ["reason"]
    assert held_name(again) == held_name(first)
    assert HeldUpload.objects.count() == 1


def test_another_member_of_staff_cannot_use_someone_elses_held_upload(staff, django_user_model):
    refusal = refused(staff)
    other = staff_with(Client(), django_user_model, *IMPORTER_PERMISSIONS, name="other")

    response = resubmit(other, refusal)

    assert "result" not in response.context
    assert response.context["form"].errors["import_file"] == [
        "The file you uploaded before is no longer held (uploads are kept for a few hours): "
        "choose it again."
    ]


def test_another_member_of_staff_cannot_confirm_someone_elses_preview(staff, django_user_model):
    preview = resubmit(staff, refused(staff))
    other = staff_with(Client(), django_user_model, *IMPORTER_PERMISSIONS, name="other")

    response = other.post(PROCESS_URL, preview.context["confirm_form"].initial)

    assert response.status_code == 200
    text = page_text(response.content.decode())
    assert (
        "This preview cannot be confirmed. The file you uploaded before is no longer held "
        "(uploads are kept for a few hours): choose it again. Go to the import form." in text
    )
    assert "Confirm import" not in text
    assert not PendingChange.objects.exists()


def test_an_upload_held_too_long_must_be_chosen_again(staff):
    refusal = refused(staff)
    HeldUpload.objects.update(created=timezone.now() - timedelta(days=1))

    response = resubmit(staff, refusal)

    assert "no longer held" in response.context["form"].errors["import_file"][0]


def test_a_file_with_other_errors_still_says_to_correct_the_file(staff):
    response = upload(staff, csv_file(CORRECTION, f"2023,Minesota,{REPORTS},5"))

    text = page_text(response.content.decode())
    assert "Correct these rows in the file, then upload it again" in text
    assert "reason" not in response.context["form"].errors
    assert not HeldUpload.objects.exists()
    assert Figure.objects.get(metric__key=REPORTS, state__code="MN").value == 8611
