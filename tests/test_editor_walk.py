"""An Editor, trying every admin address that can write, changes nothing the public sees.

The site holds the demo's published 2023 edition, a 2024 draft, an unpublished program,
a dated note on a published metric, a staged correction and a published revision. A
superuser opens every form the admin has (add, change, each old version in the
history, each delete confirmation) and every action, and an account in Editors posts
them back as a browser would, with the public text changed, published flags turned
on, and schedules set in the past; it also imports a file that corrects a published
figure and adds one. The cron command then runs. Before and after, an anonymous reader
reads every public page: they must be the same, byte for byte, and the publication
version must not have moved.
"""

import contextlib
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.models import Edition, Figure, Metric, MetricNote, Publication, public_change
from states.models import State
from tests.conftest import (
    add_draft_2024,
    forget_caches,
    make_figure,
    make_metric,
    make_program,
    signed_in,
)
from tests.test_draft_leaks import crawl

REPORTS = "cybertipline-reports-to-law-enforcement"
# Text fields readers see; an edit appends this, so a leak is easy to spot.
EDITED = " EDITED-BY-EDITOR"
NUMBER_FIELDS = {"value", "position"}
FLAG_FIELDS = {"is_published", "withdraw"}


class Forms(HTMLParser):
    """Every <form> of a page, with what a browser would submit from it."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._form["fields"].append((attrs["name"], None, kind))
            elif kind in ("checkbox", "radio"):
                self._form["fields"].append((attrs["name"], attrs.get("value") or "on", kind))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form["fields"].append((attrs["name"], attrs.get("value", ""), kind))
        elif tag == "select" and attrs.get("name"):
            self._select = [attrs["name"], None, "multiple" in attrs, []]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select[1] is None:
                self._select[1] = value  # the first option, if none is selected
            if "selected" in attrs:
                self._select[3].append(value)
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, first, multiple, chosen = self._select
            values = chosen if multiple else (chosen[-1:] or [first or ""])
            for value in values:
                self._form["fields"].append((name, value, "select"))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form["fields"].append((name, text.removeprefix("\n"), "textarea"))
            self._textarea = None


def the_form(response):
    """The page's main form (not the log-out form) as {name: [values]} and field kinds."""
    parser = Forms()
    parser.feed(response.content.decode())
    forms = [f for f in parser.forms if f["attrs"].get("id") != "logout-form"]
    forms = [f for f in forms if f["attrs"].get("method", "get").lower() == "post"]
    assert forms, f"no form on {response.wsgi_request.path}"
    data, kinds = {}, {}
    for name, value, kind in forms[0]["fields"]:
        kinds[name] = kind
        if value is not None:
            data.setdefault(name, []).append(value)
    return data, kinds


def edited(data, kinds):
    """The form as a hostile Editor would send it: public text and figures changed,
    flags on, schedules in the past."""
    data = {name: list(values) for name, values in data.items()}
    for name, kind in kinds.items():
        field = name.rsplit("-", 1)[-1]
        if field in ("csrfmiddlewaretoken",) or name.endswith(("TOTAL_FORMS", "FORMS")):
            continue
        if field in FLAG_FIELDS:
            data[name] = ["on"]
        elif field in NUMBER_FIELDS and data.get(name) and data[name][0]:
            with contextlib.suppress(ValueError):
                data[name] = [str(int(float(data[name][0])) + 1)]
        elif field in ("publish_at_0",):
            data[name] = ["2001-01-01"]
        elif field in ("publish_at_1",):
            data[name] = ["09:00:00"]
        elif kind in ("text", "textarea") and field not in ("key", "slug", "year"):
            data[name] = [(data.get(name) or [""])[0] + EDITED]
    data.setdefault("change_reason", ["Because I can"])
    data.setdefault("reason", ["Because I can"])
    return data


@pytest.fixture
def site_with_everything(demo, minnesota):
    """Everything the admin can show, with something of each kind readers see."""
    add_draft_2024(minnesota)
    hidden = make_program(name="Pilot Program", slug="pilot-program", is_published=False)
    make_figure(make_metric(hidden), year=2023, value=321)
    reports = Figure.objects.get(metric__key=REPORTS, year=2023, state=minnesota)
    with public_change():
        MetricNote.objects.create(
            metric=reports.metric, first_year=2023, text="Counted by the suspect's state."
        )
    proposal = Proposal(reports.metric, 2023, minnesota, reports, value=8650, qualifier="")
    pending_changes_stage(proposals=[proposal], reason="First correction")
    pending_changes_publish(year=2023, summary="A first correction.")
    reports.refresh_from_db()
    pending_changes_stage(
        proposals=[Proposal(reports.metric, 2023, minnesota, reports, value=8700, qualifier="")],
        reason="A correction waiting for a Publisher",
    )


def public_pages():
    """Every page and download an anonymous reader can reach, as text."""
    pages = crawl(Client(raise_request_exception=False))
    return {url: (r.status_code, r.crawled_text) for url, r in pages.items()}


def readers_see(urls):
    """{address: text} of these pages for an anonymous reader, rendered now."""
    forget_caches()
    reader = Client()
    return {url: reader.get(url).content.decode() for url in urls}


def url_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def history_ids(obj):
    attribute = getattr(obj._meta, "simple_history_manager_attribute", None)
    if attribute is None:
        return []
    manager = getattr(type(obj), attribute)
    return list(manager.filter(id=obj.pk).values_list("history_id", flat=True))


def attempts(root):
    """(what, address, data) of every write the admin offers, with a superuser's forms."""
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        info = f"admin:{opts.app_label}_{opts.model_name}"
        objects = list(model_admin.get_queryset(root.get("/admin/").wsgi_request)[:40])
        add_url = url_or_none(f"{info}_add")
        for obj in objects:
            change_url = url_or_none(f"{info}_change", obj.pk)
            form_page = root.get(change_url)
            if form_page.status_code == 200 and b'method="post"' in form_page.content:
                data = edited(*the_form(form_page))
                yield f"change {opts.model_name} {obj}", change_url, data
                yield (
                    f"save {opts.model_name} {obj} as new",
                    change_url,
                    {
                        **data,
                        "_saveasnew": ["1"],
                    },
                )
                if add_url:
                    yield f"add a copy of {opts.model_name} {obj}", add_url, data
            delete_url = url_or_none(f"{info}_delete", obj.pk)
            if delete_url:
                yield f"delete {opts.model_name} {obj}", delete_url, {"post": ["yes"]}
            for version in history_ids(obj):
                url = url_or_none(f"{info}_simple_history", obj.pk, version)
                page = root.get(url)
                data = edited(*the_form(page)) if page.status_code == 200 else {}
                yield f"revert {opts.model_name} {obj} to version {version}", url, data
                yield f"revert {opts.model_name} {obj} with only the token", url, {}
        changelist = url_or_none(f"{info}_changelist")
        actions = model_admin.get_actions(root.get(changelist).wsgi_request)
        for action in actions:
            yield (
                f"action {action} on every {opts.model_name}",
                changelist,
                {
                    "action": [action],
                    "_selected_action": [str(obj.pk) for obj in objects],
                    "confirmed": ["yes"],
                    "select_across": ["1"],
                    "index": ["0"],
                },
            )
        if model is Edition:
            for obj in objects:
                for action in ("publish", "unpublish", "discard_pending"):
                    url = reverse("admin:programs_edition_confirm", args=[obj.pk, action])
                    yield f"confirm {action} {obj}", url, {"confirmed": ["yes"]}


def import_attempt(editor):
    """A file that corrects a published figure and adds one to the published year."""
    content = (
        "year,state,metric,value\n"
        f"2023,MN,{REPORTS},9999\n"
        f"2023,WI,{REPORTS},4444\n"
        "2024,MN,cvip-submissions-reviewed,55\n"
    ).encode()
    preview = editor.post(
        reverse("admin:programs_figure_import"),
        {
            "import_file": SimpleUploadedFile("fix.csv", content),
            "format": "0",
            "resource": "0",
            "reason": "Because I can",
        },
    )
    if preview.status_code == 200 and preview.context and "confirm_form" in preview.context:
        editor.post(
            reverse("admin:programs_figure_process_import"),
            preview.context["confirm_form"].initial,
        )


def test_an_editor_changes_nothing_the_public_sees_through_any_admin_address(site_with_everything):
    root = signed_in("root", superuser=True, raise_request_exception=False)
    editor = signed_in("editor", "Editors", raise_request_exception=False)
    before, version = public_pages(), Publication.current().version
    assert len(before) > 100
    tried, server_errors, bumped = [], [], []

    for what, url, data in list(attempts(root)):
        response = editor.post(url, data)
        tried.append((what, data))
        if response.status_code >= 500:
            server_errors.append(what)
        if Publication.current().version != version:
            bumped.append(what)
            version = Publication.current().version
    import_attempt(editor)
    call_command("publish_due_editions")

    after = public_pages()
    changed = sorted(url for url in set(before) | set(after) if before.get(url) != after.get(url))
    assert not changed, f"Public pages changed: {changed[:10]}"
    assert not bumped, f"The publication version moved after: {bumped}"
    assert not server_errors, f"Server errors: {server_errors}"
    # The walk reached what it set out to: every kind of write, on the public rows.
    kinds = {what.split(" ", 1)[0] for what, _ in tried}
    assert {"change", "save", "add", "delete", "revert", "action", "confirm"} <= kinds
    for model in ("program", "metric", "figure", "edition", "pendingchange", "state"):
        assert any(what.startswith(f"change {model} ") for what, _ in tried), model
    assert any(what.startswith("revert program") for what, _ in tried)
    # A metric's dated notes are edited inline on the metric's page.
    assert any(EDITED in "".join(data.get("notes-0-text", [])) for _, data in tried)


def test_the_same_walk_by_a_publisher_does_change_the_public_pages(site_with_everything):
    """The walk above is a real attempt: a Publisher posting the same forms gets through."""
    root = signed_in("root", superuser=True, raise_request_exception=False)
    publisher = signed_in("publisher", "Publishers", raise_request_exception=False)
    reports = Metric.objects.get(key=REPORTS)
    # The pages that show the program's summary (the whole crawl is the test above's).
    shown = ["/programs/", reports.program.get_absolute_url(), "/api/v1/programs/"]
    before, version = readers_see(shown), Publication.current().version
    program = reverse("admin:programs_program_change", args=[reports.program_id])

    data, _ = the_form(root.get(program))
    data["summary"] = [data["summary"][0] + EDITED]
    response = publisher.post(program, data)

    assert response.status_code == 302
    after = readers_see(shown)
    assert all(EDITED.strip() in after[url] and EDITED.strip() not in before[url] for url in shown)
    assert Publication.current().version == version + 1


def test_an_editor_may_still_edit_what_readers_do_not_see(site_with_everything):
    """The guard refuses public writes only: a draft figure is the Editor's to change."""
    editor = signed_in("editor", "Editors", raise_request_exception=False)
    root = signed_in("root", superuser=True, raise_request_exception=False)
    draft = Figure.objects.get(year=2024, state__code="WI")
    url = reverse("admin:programs_figure_change", args=[draft.pk])
    version = Publication.current().version
    # Rendered afresh before and after: the same page, whatever other tests' factories
    # named their metrics ("Metric 889" once made a search for the value fail).
    before = readers_see(["/states/wisconsin/"])

    response = editor.post(url, edited(*the_form(root.get(url))))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.value == 889
    assert Publication.current().version == version
    assert readers_see(["/states/wisconsin/"]) == before
    assert State.objects.get(code="WI")  # the states are untouched reference data
