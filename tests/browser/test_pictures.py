"""A chart's files download from its page as a reader clicks them, at a desktop's width
and a phone's, and its embed code shows it in another site's page, which may frame
nothing else of the site."""

import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.etree import ElementTree

import pytest

from .conftest import SCREENSHOTS, WIDTHS

METRIC = "/metrics/cybertipline-reports-received/"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_charts_files_download_from_its_page(open_page, tmp_path, width):
    page = open_page(METRIC, width=width)
    links = page.locator(".picture-links .download-link")

    saved = {}
    for kind in ("SVG", "PNG", "CSV"):
        with page.expect_download() as event:
            links.get_by_role("link", name=kind, exact=True).click()
        download = event.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        saved[kind] = (download.suggested_filename, path.read_bytes())

    name, svg = saved["SVG"]
    assert name == "ncmec-cybertipline-reports-received-chart.svg"
    title = ElementTree.fromstring(svg).find("{http://www.w3.org/2000/svg}title").text
    assert title == "CyberTipline: reports received, United States, 1998–2023"
    name, png = saved["PNG"]
    assert name.endswith("-chart.png") and png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24])[0] == 1600
    name, csv = saved["CSV"]
    assert csv.decode().splitlines()[-1].startswith("2023,cybertipline-reports-received,")


@pytest.fixture
def partner_page(open_page, live_site):
    """``partner_page(code, width)``: a page of another site holding ``code``, served at
    127.0.0.1 on a port of its own, another origin than the live server's localhost (a
    loopback address: Chromium lets no page from the internet frame a local one)."""
    servers = []

    def open_partner(code, width):
        html = f"<!doctype html><html lang=en><title>Partner</title><h1>Story</h1>{code}"

        class Partner(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(html.encode())

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Partner)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        page = open_page(METRIC, width=width)  # a window of its own, then elsewhere
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        return page

    yield open_partner
    for server in servers:
        server.shutdown()
        server.server_close()


def framed(page):
    """The document the page's frame holds: its own, or Chromium's error page. The embed
    code's frame loads lazily, so the page's load event does not wait for it: this waits
    for the frame to leave about:blank and load."""
    frame = page.locator("iframe").element_handle().content_frame()
    frame.wait_for_url(lambda url: url != "about:blank")
    return frame.evaluate("document.body ? document.body.innerHTML : ''")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_embed_code_shows_the_chart_in_another_sites_page(
    open_page, live_site, partner_page, width
):
    page = open_page(METRIC, width=width)
    page.get_by_text("Embed this chart").click()
    box = page.locator("#embed-chart-code")
    assert box.is_visible() and box.get_attribute("readonly") is not None
    code = box.input_value().replace("http://testserver", live_site.url)
    assert code.startswith('<iframe src="')

    partner = partner_page(code, width)

    inside = framed(partner)
    assert '<svg class="chart chart--large"' in inside
    assert "CyberTipline: reports received, United States, 1998–2023" in inside
    partner.screenshot(path=SCREENSHOTS / f"embedded-chart-{width}.png", full_page=True)


def test_another_site_may_frame_no_other_page(live_site, partner_page):
    code = f'<iframe src="{live_site.url}{METRIC}" title="The metric page"></iframe>'

    partner = partner_page(code, 1280)

    assert "chart--large" not in framed(partner)
