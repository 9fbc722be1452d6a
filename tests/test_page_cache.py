"""The page cache: anonymous readers get stored pages, and a publish changes all of them.

What a reader, a browser or a CDN notices: the same page, no slower for a crowd; a
new figure on every page the moment it is published, never a draft; gzip or Brotli when
asked; a 304 for a page they hold; the same stored page whoever asks, signed in or with
any cookie; and the admin and a staff preview never served from (or stored in) it.
"""

import gzip
import io
from datetime import timedelta
from decimal import Decimal

import brotli
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.models import Figure, Publication
from programs.models.publication import VERSION_KEY
from states.models import State
from tests.conftest import make_figure

# Each page type, and the text of a figure it shows: Minnesota's CyberTipline reports to
# law enforcement in 2023, or the nation's CyberTipline reports received.
STATE_FIGURE = ("cybertipline-reports-to-law-enforcement", 8611, "8,611", "8,612")
NATIONAL_FIGURE = ("cybertipline-reports-received", 36_210_368, "36.2 million", "36.3 million")
PAGES = [
    pytest.param("/", NATIONAL_FIGURE, id="home"),
    pytest.param("/programs/cybertipline/", STATE_FIGURE, id="program"),
    pytest.param("/states/minnesota/2023/", STATE_FIGURE, id="fact-sheet"),
    pytest.param("/metrics/cybertipline-reports-to-law-enforcement/", STATE_FIGURE, id="metric"),
    pytest.param("/compare/?states=MN&year=2023", STATE_FIGURE, id="compare"),
    pytest.param("/data/figures.csv?state=MN", STATE_FIGURE, id="csv"),
    pytest.param("/data/figures.json?state=MN", STATE_FIGURE, id="json"),
    pytest.param("/api/v1/figures/?state=MN", STATE_FIGURE, id="api"),
]


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def text(response):
    return body(response).decode()


def correct(key, old, new):
    """Stage, then publish, a correction of one published figure."""
    figure = Figure.objects.get(metric__key=key, value=old)
    proposal = Proposal(
        figure.metric,
        figure.year,
        figure.state,
        figure,
        value=Decimal(new),
        qualifier=figure.qualifier,
    )
    pending_changes_stage(proposals=[proposal], reason="Corrected")
    return pending_changes_publish


@pytest.mark.parametrize(("url", "figure"), PAGES)
def test_a_publish_changes_every_page_type_at_once_and_a_staged_change_none(
    demo, client, url, figure
):
    key, old, old_text, new_text = figure
    new = old + 1 if old < 1_000_000 else 36_300_000
    # A page writes the figure for readers; a download or the API the plain number.
    old_shown, new_shown = {old_text, str(old)}, {new_text, str(new)}
    first = client.get(url)
    before = text(first)
    assert any(shown in before for shown in old_shown)

    publish = correct(key, old, new)
    assert text(client.get(url)) == before  # staged is not published: the page stands

    publish(year=2023)
    after = client.get(url)
    now = text(after)

    assert after.status_code == 200
    assert any(shown in now for shown in new_shown)
    assert not any(shown in now for shown in old_shown)
    assert after["ETag"] != first["ETag"]


def test_the_sitemap_gains_a_state_year_when_its_first_figure_is_published(demo, client):
    before = client.get("/sitemap.xml").content.decode()
    assert "/states/wisconsin/2023/" not in before

    make_figure(state=State.objects.get(code="WI"))

    assert "/states/wisconsin/2023/" in client.get("/sitemap.xml").content.decode()


def test_a_new_release_stores_every_page_anew(demo, client, settings):
    """A deploy's templates or a data migration (a state renamed) change pages without a
    publication: DJANGO_RELEASE names the release in every key."""
    first = client.get("/states/minnesota/2023/")
    State.objects.filter(code="MN").update(name="Minnesota (renamed)")  # a data migration

    same_release = client.get("/states/minnesota/2023/")
    settings.PAGE_CACHE_RELEASE = "the-next-release"
    next_release = client.get("/states/minnesota/2023/")

    assert same_release.content == first.content
    assert "Minnesota (renamed) fact sheet" in next_release.content.decode()
    assert next_release["ETag"] != first["ETag"]


def test_a_stored_page_costs_no_query_and_a_publish_builds_it_again(
    demo, client, django_assert_num_queries
):
    first = client.get("/states/minnesota/2023/")

    with django_assert_num_queries(0):
        again = client.get("/states/minnesota/2023/")
    correct(*STATE_FIGURE[:2], 8612)(year=2023)
    after = client.get("/states/minnesota/2023/")

    assert again.content == first.content
    assert "8,612" in after.content.decode() and "8,612" not in first.content.decode()


def test_a_reader_who_accepts_gzip_gets_the_same_page_gzipped(demo, client):
    plain = client.get("/programs/cybertipline/")
    packed = client.get("/programs/cybertipline/", HTTP_ACCEPT_ENCODING="br;q=0, gzip")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 3
    assert packed["ETag"] == plain["ETag"] and packed["ETag"].startswith('W/"')
    assert set(packed["Vary"].replace(" ", "").split(",")) >= {"Accept-Encoding", "Cookie"}


@pytest.mark.parametrize("first", ["br", "identity"], ids=["stored-for-brotli", "stored-plain"])
def test_a_reader_who_accepts_brotli_gets_the_same_page_smaller_than_gzip(demo, client, first):
    # Whichever reader comes first, every encoding is stored.
    client.get("/programs/cybertipline/", HTTP_ACCEPT_ENCODING=first)
    brotli_page = client.get("/programs/cybertipline/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    gzip_page = client.get("/programs/cybertipline/", HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get("/programs/cybertipline/")

    assert brotli_page["Content-Encoding"] == "br"
    assert brotli.decompress(brotli_page.content) == plain.content
    assert int(brotli_page["Content-Length"]) == len(brotli_page.content)
    assert len(brotli_page.content) < len(gzip_page.content)
    assert brotli_page["ETag"] == plain["ETag"]
    assert "Accept-Encoding" in brotli_page["Vary"]


def test_a_download_streams_gzipped_to_its_first_reader_and_is_stored(demo, client):
    url = "/data/figures.csv?state=MN"
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    streamed = gzip.decompress(body(first))

    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get(url)

    assert first["Content-Encoding"] == again["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(again)) == streamed == body(plain)
    assert "8611" in streamed.decode()
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Type"] == "text/csv; charset=utf-8"


def test_a_page_says_a_cdn_may_keep_it_and_serve_it_stale_while_it_revalidates(demo, client):
    response = client.get("/states/minnesota/2023/")

    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert control == {"public", "max-age=300", "stale-while-revalidate=86400"}
    assert response["Last-Modified"]


def test_a_conditional_get_for_a_page_the_reader_holds_is_a_304_without_a_body(demo, client):
    first = client.get("/programs/cybertipline/")
    by_etag = client.get("/programs/cybertipline/", HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get("/programs/cybertipline/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    cache.clear()  # the page has left the cache; the reader's copy still holds
    after_eviction = client.get("/programs/cybertipline/", HTTP_IF_NONE_MATCH=first["ETag"])

    for response in (by_etag, by_date, after_eviction):
        assert (response.status_code, response.content) == (304, b"")
        assert response["ETag"] == first["ETag"]


def test_a_head_request_gets_the_headers_and_no_body(demo, client):
    get = client.get("/states/minnesota/2023/")
    head = client.head("/states/minnesota/2023/")

    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(get.content))
    assert head["ETag"] == get["ETag"]


def test_staff_are_never_served_a_stored_page_nor_stored_one(demo, client, admin_client):
    public = client.get("/states/minnesota/2023/")
    admin_client.post("/preview/start/", {"next": "/"})
    reports = Figure.objects.get(value=8611)
    make_figure(reports.metric, year=2024, state=reports.state, value=987_654, draft=True)

    preview = admin_client.get("/states/minnesota/2024/")
    public_2024 = client.get("/states/minnesota/2024/")

    assert "987,654" in preview.content.decode()
    assert "private" in preview["Cache-Control"]
    assert "ETag" not in preview
    assert public_2024.status_code == 404  # a draft year: nothing stored leaked it
    assert client.get("/states/minnesota/2023/").content == public.content


@pytest.mark.parametrize(
    "url", ["/admin/login/", "/health/", "/health/ready/", "/states/nowhere/"]
)
def test_the_admin_the_health_check_and_missing_pages_are_not_stored(db, client, url):
    first = client.get(url)

    assert "public" not in first.get("Cache-Control", "")
    assert not [key for key in cache._cache if ":page:" in key]


def test_another_address_or_query_string_is_another_page(demo, client):
    national = client.get("/compare/?year=2023")
    minnesota = client.get("/compare/?states=MN&year=2023")

    assert national.content != minnesota.content
    assert national["ETag"] != minnesota["ETag"]


def test_a_publish_is_seen_at_once_though_the_cache_knew_the_old_version(demo, client):
    first = client.get("/states/minnesota/2023/")
    assert cache.get(VERSION_KEY) == Publication.current().token  # what every process reads

    correct(*STATE_FIGURE[:2], 8613)(year=2023)
    Publication.announce()  # as the publish commits (a test's transaction never does)

    assert cache.get(VERSION_KEY) == Publication.current().token
    after = client.get("/states/minnesota/2023/")
    assert "8,613" in after.content.decode() and "8,613" not in first.content.decode()


def test_the_publication_version_command_prints_a_new_version_after_a_publish(demo):
    before = io.StringIO()
    call_command("publication_version", stdout=before)

    correct(*STATE_FIGURE[:2], 8612)(year=2023)
    after = io.StringIO()
    call_command("publication_version", stdout=after)

    assert int(after.getvalue()) > int(before.getvalue()) > 0


def test_a_version_number_seen_again_after_a_restore_never_finds_its_old_pages(demo, client):
    first = client.get("/states/minnesota/2023/")
    stored = Publication.current()
    # A backup restored, then a publish that happens to make the same version number:
    # a new figure, the same number, another time.
    Figure.objects.filter(value=8611).update(value=8614)
    Publication.objects.filter(pk=1).update(
        version=stored.version, changed_at=stored.changed_at + timedelta(hours=1)
    )
    cache.delete(VERSION_KEY)  # a minute later: the version the cache knew expired

    after = client.get("/states/minnesota/2023/")

    assert "8,611" in first.content.decode()
    assert "8,614" in after.content.decode()


@override_settings(
    CACHES={
        "default": {"BACKEND": "ncmec_site.cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
)
def test_pages_are_served_when_redis_is_down(demo, client):
    response = client.get("/states/minnesota/2023/", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert "8,611" in gzip.decompress(response.content).decode()


def test_a_client_refusing_gzip_gets_the_page_plain(demo, client):
    response = client.get("/programs/cybertipline/", HTTP_ACCEPT_ENCODING="gzip;q=0, identity")

    assert "Content-Encoding" not in response
    assert b"CyberTipline" in response.content


def test_if_none_match_star_on_a_missing_page_is_still_a_404(db, client):
    response = client.get("/states/nowhere/", HTTP_IF_NONE_MATCH="*")

    assert response.status_code == 404


def test_an_api_304_carries_its_cors_headers_even_after_the_page_left_the_cache(demo, client):
    first = client.get("/api/v1/figures/?state=MN")
    cache.clear()

    again = client.get("/api/v1/figures/?state=MN", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"


def test_staff_out_of_preview_and_any_cookie_get_the_stored_page(
    demo, client, admin_client, django_assert_num_queries
):
    first = client.get("/states/minnesota/2023/")
    made_up = Client()
    made_up.cookies["sessionid"] = "made-up"
    made_up.cookies["preview"] = "1"  # a marker this site did not sign

    with django_assert_num_queries(0):
        staff = admin_client.get("/states/minnesota/2023/")
        anyone = made_up.get("/states/minnesota/2023/")

    assert staff.content == anyone.content == first.content
    assert staff["ETag"] == first["ETag"]
    correct(*STATE_FIGURE[:2], 8612)(year=2023)
    assert "8,612" in admin_client.get("/states/minnesota/2023/").content.decode()


def test_staff_in_preview_see_the_draft_even_when_the_published_sheet_is_built(
    demo, client, admin_client
):
    admin_client.get("/states/minnesota/2023/")  # the published sheet, built and kept
    figure = Figure.objects.get(value=8611)
    proposal = Proposal(figure.metric, 2023, figure.state, figure, value=Decimal(8699))
    pending_changes_stage(proposals=[proposal], reason="Corrected")
    admin_client.post("/preview/start/", {"next": "/"})

    preview = admin_client.get("/states/minnesota/2023/").content.decode()
    public = client.get("/states/minnesota/2023/").content.decode()

    assert "8,699" in preview
    assert "8,699" not in public and "8,611" in public
