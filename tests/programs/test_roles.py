"""Who may do what: anonymous visitors, Editors, Publishers and superusers, against each
thing staff do with figures and editions.

Editors and Publishers are the groups the migration creates, used as they are: a test
that passes here passes because of the migration's permissions, not ones added by hand.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.demo import demo_data_load
from programs.models import Edition, Figure
from states.models import State
from tests.conftest import add_draft_2024, confirm_editions_action, once_per_module

FIGURES_URL = reverse("admin:programs_figure_changelist")
IMPORT_URL = reverse("admin:programs_figure_import")
PROCESS_URL = reverse("admin:programs_figure_process_import")
EXPORT_URL = reverse("admin:programs_figure_export")
EDITIONS_URL = reverse("admin:programs_edition_changelist")
REPORTS = "cybertipline-reports-to-law-enforcement"
DRAFT_SENTENCE = "In 2024, 4,321 things happened."
BANNER = "Preview: not published."

GROUPS = {"editor": "Editors", "publisher": "Publishers"}
ALLOWED, LOGIN, REFUSED = "allowed", "sent to the login page", "refused"


@once_per_module
def demo_and_a_draft():
    """The demo (2023, published) and a 2024 draft edition of three figures."""
    demo_data_load(seed_only=True)
    add_draft_2024(State.objects.get(code="MN"))


@pytest.fixture
def world(demo_and_a_draft, minnesota):
    """The module's demo and draft (each test in a savepoint), and its editions and
    figures as the test finds them."""
    return SimpleNamespace(
        draft=Edition.objects.get(year=2024),
        published=Edition.objects.get(year=2023),
        figure=Figure.objects.get(metric__key=REPORTS, state=minnesota, year=2023),
        draft_figure=Figure.objects.get(year=2024, state=minnesota),
    )


def log_in(client, django_user_model, role):
    if role == "anonymous":
        return client
    if role == "superuser":
        user = django_user_model.objects.create_superuser("root", password="x")
    else:
        user = django_user_model.objects.create_user(role, password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=GROUPS[role]))
    client.force_login(user)
    return client


def refusal(response):
    """LOGIN or REFUSED for a response that did not do the thing."""
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/?next=")
        return LOGIN
    assert response.status_code in (200, 403)
    return REFUSED


# Each action does the thing as a browser would, and says how it went.


def view_figure_list(client, world):
    response = client.get(FIGURES_URL)
    if response.status_code == 200:
        assert world.figure in response.context["cl"].result_list
        return ALLOWED
    return refusal(response)


def edit_a_figure(client, world):
    # A draft's figure: staff edit it directly (a published one takes a pending change).
    figure = world.draft_figure
    response = client.post(
        reverse("admin:programs_figure_change", args=[figure.pk]),
        {
            "metric": figure.metric_id,
            "year": figure.year,
            "state": figure.state_id,
            "value": "9000",
            "qualifier": figure.qualifier,
            "source": figure.source,
            "note": figure.note,
            "change_reason": "NCMEC corrected the count",
            "_save": "Save",
        },
    )
    saved = Figure.objects.get(pk=figure.pk).value
    if response.status_code == 302 and response["Location"].startswith(FIGURES_URL):
        assert saved == 9000
        return ALLOWED
    assert saved == figure.value
    return refusal(response)


def import_figures(client, world):
    page = client.get(IMPORT_URL)
    data = f"year,state,metric,value\n2024,WI,{world.draft_figure.metric.key},1200\n".encode()
    preview = client.post(
        IMPORT_URL, {"format": "0", "import_file": SimpleUploadedFile("f.csv", data)}
    )
    if page.status_code == 200 and preview.status_code == 200:
        client.post(PROCESS_URL, preview.context["confirm_form"].initial)
        assert Figure.objects.get(year=2024, state__code="WI").value == 1200
        return ALLOWED
    assert Figure.objects.get(year=2024, state__code="WI").value == 888
    assert refusal(page) == refusal(preview)
    return refusal(preview)


def export_figures(client, world):
    fields = ("year", "state", "metric", "value", "qualifier", "source", "note")
    data = {"format": "0", "resource": "0", **{f"figureresource_{f}": "on" for f in fields}}
    response = client.post(EXPORT_URL, data)
    if response.status_code == 200 and response.get("Content-Disposition", "").startswith(
        "attachment;"
    ):
        assert REPORTS in response.content.decode("utf-8-sig")
        return ALLOWED
    return refusal(response)


def publish_an_edition(client, world):
    return _edition_action(client, world.draft, "publish")


def unpublish_an_edition(client, world):
    return _edition_action(client, world.published, "unpublish")


def _edition_action(client, edition, action):
    before = edition.status
    offered = client.get(EDITIONS_URL)
    response = confirm_editions_action(
        client, {"action": action, "_selected_action": [edition.pk]}
    )
    edition.refresh_from_db()
    if edition.status != before:
        assert offered.status_code == 200
        assert f'value="{action}"' in offered.content.decode()
        return ALLOWED
    if offered.status_code == 200:
        # Shown the editions, but not offered the action.
        assert f'value="{action}"' not in offered.content.decode()
    return refusal(response)


def preview_drafts(client, world):
    start = client.post("/preview/start/", {"next": "/"})
    page = client.get("/").content.decode()
    if start.status_code == 302 and start["Location"] == "/":
        assert BANNER in page
        assert DRAFT_SENTENCE in page
        return ALLOWED
    assert BANNER not in page
    assert DRAFT_SENTENCE not in page
    return refusal(start)


ACTIONS = {
    "view admin": view_figure_list,
    "edit": edit_a_figure,
    "import": import_figures,
    "export": export_figures,
    "publish": publish_an_edition,
    "unpublish": unpublish_an_edition,
    "preview": preview_drafts,
}

EDITOR_MAY = {"view admin", "edit", "import", "export", "preview"}
EXPECTED = {
    "anonymous": dict.fromkeys(ACTIONS, LOGIN),
    "editor": {action: ALLOWED if action in EDITOR_MAY else REFUSED for action in ACTIONS},
    "publisher": dict.fromkeys(ACTIONS, ALLOWED),
    "superuser": dict.fromkeys(ACTIONS, ALLOWED),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", EXPECTED)
def test_permission_matrix(client, django_user_model, world, role, action):
    client = log_in(client, django_user_model, role)

    assert ACTIONS[action](client, world) == EXPECTED[role][action]


# The matrix's refusals, as the people refused see them


def test_the_groups_exist_after_migrating(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Publishers"}


def test_an_editor_is_not_offered_publish_or_unpublish(client, django_user_model, world):
    editor = log_in(client, django_user_model, "editor")

    response = editor.get(EDITIONS_URL)

    assert response.status_code == 200
    assert {2023, 2024} <= {e.year for e in response.context["cl"].result_list}
    content = response.content.decode()
    assert "Publish the selected editions" not in content
    assert "Unpublish the selected editions" not in content


def test_a_publisher_is_offered_publish_and_unpublish(client, django_user_model, world):
    publisher = log_in(client, django_user_model, "publisher")

    content = publisher.get(EDITIONS_URL).content.decode()

    assert "Publish the selected editions" in content
    assert "Unpublish the selected editions" in content


def test_an_editor_posting_publish_leaves_the_edition_a_draft(client, django_user_model, world):
    editor = log_in(client, django_user_model, "editor")

    response = editor.post(
        EDITIONS_URL,
        {"action": "publish", "_selected_action": [world.draft.pk], "confirmed": "yes"},
    )

    assert response.status_code in (200, 403)
    world.draft.refresh_from_db()
    assert world.draft.status == Edition.Status.DRAFT
    assert world.draft.published_at is None


def test_an_editor_cannot_change_an_edition_page(client, django_user_model, world):
    editor = log_in(client, django_user_model, "editor")
    url = reverse("admin:programs_edition_change", args=[world.draft.pk])

    response = editor.post(url, {"publish_at_0": "2020-01-01", "publish_at_1": "09:00"})

    assert response.status_code == 403
    world.draft.refresh_from_db()
    assert world.draft.publish_at is None


def test_anonymous_preview_start_goes_to_the_login_page(client, world):
    response = client.post("/preview/start/", {"next": "/"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.parametrize(("role", "may_publish"), [("editor", False), ("publisher", True)])
def test_only_a_publisher_may_publish_a_program(
    client, django_user_model, world, role, may_publish
):
    client = log_in(client, django_user_model, role)
    program = world.figure.metric.program

    form = client.get(reverse("admin:programs_program_change", args=[program.pk]))

    assert ("is_published" in form.context["adminform"].form.fields) is may_publish
