"""Compression of what the page cache does not store: a preview, a page not found, the
admin. Django's GZipMiddleware compresses it; a page the cache stores is answered in the
encoding the reader accepts (tests/test_page_cache.py).

What a reader notices: the page decodes to exactly what it would be uncompressed, smaller.
"""

import gzip

import pytest


@pytest.fixture
def previewing(admin_client):
    admin_client.post("/preview/start/", {"next": "/"})
    return admin_client


def test_a_preview_is_gzipped_and_decodes_to_the_page(demo, previewing):
    plain = previewing.get("/states/minnesota/2023/")
    packed = previewing.get("/states/minnesota/2023/", HTTP_ACCEPT_ENCODING="gzip, br")

    assert packed["Content-Encoding"] == "gzip"
    assert "private" in packed["Cache-Control"]
    assert "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 3
    page = gzip.decompress(packed.content).decode()
    # The same page but the moment it was made (printed at its foot).
    assert (
        page.split("<main")[1].split('class="print-meta"')[0]
        == plain.content.decode().split("<main")[1].split('class="print-meta"')[0]
    )
    assert "8,611" in page and "Preview: not published." in page


def test_a_page_not_found_is_gzipped(db, client):
    response = client.get("/states/nowhere/", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 404
    assert response["Content-Encoding"] == "gzip"
    assert "Page not found" in gzip.decompress(response.content).decode()


def test_a_signed_in_staff_member_out_of_preview_gets_the_stored_page_compressed(
    demo, client, admin_client
):
    public = client.get("/states/minnesota/2023/")
    staff = admin_client.get("/states/minnesota/2023/", HTTP_ACCEPT_ENCODING="gzip")

    assert staff["Content-Encoding"] == "gzip"
    assert gzip.decompress(staff.content) == public.content
    assert staff["ETag"] == public["ETag"]
