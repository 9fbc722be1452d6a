"""An SVG file (reader.picture_svg) as a PNG, rendered on the server by resvg.

resvg (the ``resvg-py`` wheel, pinned in pyproject.toml) is one self-contained library:
no browser, no system library, and it loads nothing the SVG names (the files have no
link, image or stylesheet). It is given the site's own font and no other, so a PNG
looks the same on every machine, a fresh one without fonts included: Source Sans 3,
which static/fonts/ ships as WOFF2 for the PDFs. resvg reads TrueType, so the WOFF2
files are unpacked once per process into a folder of their own, removed at exit, and
named "Source Sans 3" (the files call the family "Source Sans 3 ExtraLight", whatever
their weight).

A render takes a few hundred milliseconds (benchmarks: docs/benchmarks.md), a hundred
times an SVG's, so beside the page cache, which stores a PNG per address, a PNG is kept
under its SVG's own digest: another query string for the same picture (the page cache's
miss) costs the SVG and no render. The SVG holds everything the picture shows, its
citation's dates included, so the digest changes whenever the picture does.
"""

import atexit
import functools
import hashlib
import shutil
import tempfile
from pathlib import Path

import resvg_py
from django.conf import settings
from django.core.cache import cache

WIDTH = 1600  # px: a slide's width, twice a chart file's
FAMILY = "Source Sans 3"
FONTS = ("source-sans-3-latin-400-normal", "source-sans-3-latin-700-normal")
CACHE_SECONDS = 60 * 60 * 24


@functools.cache
def font_files():
    """The site's fonts as TrueType files: [path], written once per process."""
    from fontTools.ttLib import TTFont

    folder = Path(tempfile.mkdtemp(prefix="ncmec-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    paths = []
    for name in FONTS:
        font = TTFont(Path(settings.BASE_DIR) / "static" / "fonts" / f"{name}.woff2")
        font.flavor = None  # TrueType, unpacked
        names = font["name"]
        style = names.getDebugName(2)  # "Regular", "Bold"
        for record in list(names.names):
            if record.nameID in (1, 16):
                names.setName(FAMILY, record.nameID, record.platformID,
                              record.platEncID, record.langID)  # fmt: skip
            elif record.nameID == 4:
                names.setName(f"{FAMILY} {style}", 4, record.platformID,
                              record.platEncID, record.langID)  # fmt: skip
        path = folder / f"{name}.ttf"
        font.save(path)
        paths.append(str(path))
    return paths


def png(svg):
    """``svg`` (a whole file, as text) drawn ``WIDTH`` pixels wide on white, as PNG bytes:
    rendered, or as rendered before."""
    key = f"png:{WIDTH}:{hashlib.sha256(svg.encode()).hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = render(svg)
        cache.set(key, found, CACHE_SECONDS)
    return found


def render(svg, *, width=WIDTH):
    """``svg`` drawn ``width`` pixels wide on white with the site's font, as PNG bytes."""
    return resvg_py.svg_to_bytes(
        svg_string=svg,
        width=width,
        background="#ffffff",
        skip_system_fonts=True,
        font_files=font_files(),
        font_family=FAMILY,
        sans_serif_family=FAMILY,
    )
