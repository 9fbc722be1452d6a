"""The site's icons: the one a browser tab shows (asked for at /favicon.ico by any page
that names none, the admin's too) and the one a phone's home screen shows, each a real
image from static/icons/."""

import io
import re

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def fetched(client, path):
    """The image at ``path`` after its redirects: (response, its bytes)."""
    response = client.get(path, follow=True)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def icon_links(client):
    """[(rel, type, address)] of the icons a page's head names."""
    head = client.get("/").content.decode().split("</head>")[0]
    links = re.findall(r'<link rel="(?:icon|apple-touch-icon)"[^>]*>', head)

    def attribute(link, name):
        found = re.search(rf'{name}="([^"]*)"', link)
        return found[1] if found else ""

    return [
        (attribute(link, "rel"), attribute(link, "type"), attribute(link, "href"))
        for link in links
    ]


def test_the_favicon_at_the_root_is_an_icon_of_the_sizes_a_tab_asks_for(client):
    response, body = fetched(client, "/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = Image.open(io.BytesIO(body))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= icon.info["sizes"]


@pytest.mark.parametrize("path", ["/apple-touch-icon.png", "/apple-touch-icon-precomposed.png"])
def test_a_phones_home_screen_gets_a_180_px_touch_icon_at_the_root(client, path):
    response, body = fetched(client, path)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    icon = Image.open(io.BytesIO(body))
    # Opaque: iOS fills a transparent corner with black.
    assert (icon.format, icon.size, icon.mode) == ("PNG", (180, 180), "RGB")


def test_the_root_addresses_redirect_to_the_static_files_for_a_day(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/icons/favicon.ico"
    assert response["Cache-Control"] == "public, max-age=86400"


def test_every_page_names_its_icons_and_each_is_served_as_an_image(client):
    links = icon_links(client)

    served = {}
    for rel, kind, href in links:
        response, body = fetched(client, href)
        assert response.status_code == 200 and body, href
        served[rel, kind] = response["Content-Type"]
    assert served == {
        ("icon", ""): "image/x-icon",
        ("icon", "image/svg+xml"): "image/svg+xml",
        ("apple-touch-icon", ""): "image/png",
    }
