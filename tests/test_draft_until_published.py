"""A draft is staff's alone until it is published: asking for the staff preview without
being staff (anonymous, or signed in as a reader) leads to the sign-in page and shows no
draft; the home page's year and the data package's date and version move when a draft is
published, not before. On the site of tests/draft_helpers.py.
"""

import json
from decimal import Decimal

from ncmec_site.preview import PREVIEW_COOKIE
from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.formatting import data_datetime
from programs.models import Edition, Metric
from programs.publishing import edition_publish
from programs.reader.published import last_changed
from states.models import State
from tests.conftest import make_figure
from tests.draft_helpers import DRAFT_YEAR, secrets_in

# The shared fixture (tests/draft_helpers.py) this module's tests use.


# The staff preview, refused to anyone not staff


def test_preview_start_sends_an_anonymous_reader_to_the_login_page(site_with_drafts, anonymous):
    response = anonymous.post("/preview/start/", {"next": f"/states/minnesota/{DRAFT_YEAR}/"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert anonymous.get(f"/states/minnesota/{DRAFT_YEAR}/").status_code == 404
    assert not secrets_in(anonymous.get("/states/minnesota/").content.decode())


def test_a_logged_in_reader_who_is_not_staff_gets_no_preview(
    site_with_drafts, client, django_user_model
):
    reader = django_user_model.objects.create_user("reader", password="x")
    client.force_login(reader)

    response = client.post("/preview/start/", {"next": f"/states/minnesota/{DRAFT_YEAR}/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    # Even a session that says "preview" shows nothing to someone who is not staff.
    session = client.session
    session["preview_drafts"] = True
    session.save()
    client.cookies[PREVIEW_COOKIE] = "1"  # the marker /preview/start/ would have set

    assert client.get(f"/states/minnesota/{DRAFT_YEAR}/").status_code == 404
    page = client.get("/states/minnesota/").content.decode()
    assert not secrets_in(page)
    assert "Preview: not published" not in page


# Publishing: what readers see moves then, not before


def test_the_data_package_dates_and_versions_only_what_is_published(site_with_drafts, anonymous):
    def last_publication():
        return data_datetime(last_changed())

    before = anonymous.get("/data/datapackage.json").json()
    assert before["created"] == last_publication()
    assert str(DRAFT_YEAR) not in json.dumps(before)
    assert not secrets_in(json.dumps(before, ensure_ascii=False))

    # More drafts and staged corrections change nothing a reader sees...
    make_figure(Metric.objects.get(key="missing-cases-handled"), year=DRAFT_YEAR, value=7)
    wyoming = State.objects.get(code="WY")
    metric = Metric.objects.get(key="connect-new-professionals")
    pending_changes_stage(
        proposals=[Proposal(metric, 2023, wyoming, None, value=Decimal(3))], reason="Later"
    )
    assert anonymous.get("/data/datapackage.json").json() == before

    # ...until they are published.
    pending_changes_publish(year=2023)
    after = anonymous.get("/data/datapackage.json").json()
    assert int(after["version"]) > int(before["version"])
    assert after["created"] == last_publication()


def test_the_home_page_shows_the_latest_published_year_until_the_draft_is_published(
    site_with_drafts, anonymous
):
    before = anonymous.get("/")

    assert before.context["year"] == 2023
    assert "National figures, 2023" in before.content.decode()
    assert "987,654" not in before.content.decode()

    edition_publish(edition=Edition.objects.get(year=DRAFT_YEAR))
    after = anonymous.get("/")

    assert after.context["year"] == DRAFT_YEAR
    assert f"National figures, {DRAFT_YEAR}" in after.content.decode()
    assert "987,654" in after.content.decode()
    assert anonymous.get(f"/states/minnesota/{DRAFT_YEAR}/").status_code == 200
