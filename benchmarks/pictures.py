"""What a chart's or a map's files cost the server: the SVG built, the PNG rendered.

    .venv/bin/python benchmarks/pictures.py            # 20 renders of each
    .venv/bin/python benchmarks/pictures.py --runs 5

Over a scratch SQLite database holding the demo data (the test settings, the page cache
in memory, emptied before each request), it times, for the demo's national chart (26
years) and its map of the states (56 tiles, by rate): the request for the SVG, the PNG
rendered from that SVG by resvg (``programs.reader.png.render``, nothing cached), the
request for the PNG when the PNG cache holds it (another query string: the page cache
has not seen it), and a request the page cache answers. Also the one-off cost of
unpacking the site's fonts for resvg, once per process. Prints the median and the
range of each, in milliseconds, and the PNG's size. Not a test.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

PICTURES = {
    "chart": "/metrics/cybertipline-reports-received/chart",
    "map": "/metrics/cybertipline-reports-by-state/map",
}


def timed(work, runs):
    """[ms] of ``runs`` calls of ``work``, and its last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def line(name, times, note=""):
    low, high = min(times), max(times)
    print(f"{name:<34} {statistics.median(times):7.1f} ms  ({low:.1f}–{high:.1f}){note}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ncmec_site.settings.test",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SQLITE_PATH=str(Path(tempfile.mkdtemp(prefix="pictures-")) / "db.sqlite3"),
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from programs.reader import png

    call_command("migrate", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    client = Client()

    fonts, _ = timed(png.font_files, 1)
    line("fonts unpacked (once a process)", fonts)
    for name, address in PICTURES.items():

        def fresh(path):
            cache.clear()
            return client.get(path)

        svg_times, svg = timed(lambda address=address: fresh(f"{address}.svg"), runs)
        line(f"{name}: SVG, built", svg_times)
        text = svg.content.decode()
        render_times, drawn = timed(lambda text=text: png.render(text), runs)
        line(f"{name}: PNG, rendered", render_times, f"  {len(drawn) // 1024} KB")
        client.get(f"{address}.png")  # the PNG cache holds it now
        kept_times, _ = timed(
            lambda address=address: client.get(f"{address}.png?n={time.perf_counter_ns()}"),
            runs,
        )
        line(f"{name}: PNG, its render kept", kept_times)
        hit_times, _ = timed(lambda address=address: client.get(f"{address}.png"), runs)
        line(f"{name}: PNG, from the page cache", hit_times)


if __name__ == "__main__":
    main()
