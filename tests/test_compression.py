"""gzip for pages the page cache does not answer: a fact sheet's body, built once per
publication version, is compressed once and joined into each staff member's page.

What a reader notices: the page decodes to exactly what it would be uncompressed, in
any client (Python's gzip here; Chromium in tests/browser/test_pages.py), smaller.
"""

import gzip
import secrets

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from ncmec_site.compression import Fragment, GZipMiddleware, gzip_parts, with_fragment

SESSION = "expiredsession0123456789abcdefgh"  # a session cookie: the page cache passes


@pytest.mark.parametrize(
    "parts",
    [
        [b"<head>", Fragment.of("<p>body</p>" * 500), b"</html>"],
        [b"", Fragment.of(""), b""],
        [Fragment.of("x" * 70_000), Fragment.of("x" * 70_000)],  # beyond deflate's window
        [secrets.token_bytes(5_000), Fragment.of("é\N{MINUS SIGN}" * 3_000), b"z" * 40_000],
    ],
    ids=["frame-body-frame", "empty", "two-fragments-past-the-window", "incompressible"],
)
def test_joined_parts_decode_to_the_parts_in_order(parts):
    raw = b"".join(p.raw if isinstance(p, Fragment) else p for p in parts)

    assert gzip.decompress(gzip_parts(parts)) == raw


def staff_reader(client):
    client.cookies["sessionid"] = SESSION
    return client


def test_a_fact_sheet_out_of_the_page_cache_is_gzipped_and_decodes_to_the_page(client, demo):
    reader = staff_reader(client)
    plain = reader.get("/states/minnesota/2023/")
    packed = reader.get("/states/minnesota/2023/", HTTP_ACCEPT_ENCODING="gzip, br")

    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 3
    page = gzip.decompress(packed.content).decode()
    # The same page but the moment it was made (printed at its foot).
    assert (
        page.split("<main")[1].split('class="print-meta"')[0]
        == (plain.content.decode().split("<main")[1].split('class="print-meta"')[0])
    )
    assert "8,611" in page and "Minnesota" in page


def test_a_client_refusing_gzip_gets_the_page_plain(client, demo):
    response = staff_reader(client).get("/states/minnesota/2023/", HTTP_ACCEPT_ENCODING="gzip;q=0")

    assert not response.has_header("Content-Encoding")
    assert b"8,611" in response.content


def test_a_fragment_is_sent_as_compressed_once_not_compressed_again():
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    body = Fragment.of("<p>the body, built once per version</p>" * 200)
    response = with_fragment(HttpResponse("<main><!--mark--></main>"), "<!--mark-->", body)

    packed = GZipMiddleware(lambda r: response).process_response(request, response)

    assert body.packed in packed.content
    assert gzip.decompress(packed.content) == b"<main>" + body.raw + b"</main>"


def test_a_page_changed_after_its_parts_were_joined_is_compressed_whole():
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    response = with_fragment(
        HttpResponse("<p>before</p><!--mark--><p>after</p>" * 20), "<!--mark-->",
        Fragment.of("<p>the body</p>" * 20),
    )  # fmt: skip
    response.content = response.content.replace(b"after", b"later")  # another middleware

    packed = GZipMiddleware(lambda r: response).process_response(request, response)

    assert packed["Content-Encoding"] == "gzip"
    assert b"later" in gzip.decompress(packed.content)
    assert b"after" not in gzip.decompress(packed.content)
