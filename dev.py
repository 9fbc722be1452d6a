#!/usr/bin/env python3
"""The project's everyday commands, on a machine with nothing but Python 3.11+.

    python3 dev.py serve   set up .venv, migrate SQLite, load the demo data (into a database
                           that holds nothing else), serve :8000
    python3 dev.py test    set up .venv with the test tools (and, as root, Debian's Chromium
                           for the browser tests), lint, check, run every test
    python3 dev.py production
                           the production set-up, locally: collectstatic, migrate, and
                           gunicorn (gunicorn.conf.py) with ncmec_site.settings.prod on
                           PostgreSQL (DATABASE_URL, required) and Redis (DJANGO_REDIS_URL)

Extra arguments after ``test`` go to pytest, after ``production`` to gunicorn. Uses only
the standard library, so it runs before anything is installed.
"""

import ctypes.util
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's, which tests/browser drive (their conftest.py)
BROWSER_PACKAGES = ("chromium", "fonts-dejavu-core")


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


# The system libraries WeasyPrint (the fact sheet PDFs) loads, and Debian's packages.
SYSTEM_LIBRARIES = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz": "libharfbuzz0b",
    "harfbuzz-subset": "libharfbuzz-subset0",
    "fontconfig": "libfontconfig1",
    "gobject-2.0": "libglib2.0-0",
}


def ensure_system_libraries():
    """Install WeasyPrint's libraries with apt-get where they are missing (as root only)."""
    if not sys.platform.startswith("linux"):
        return
    missing = [pkg for lib, pkg in SYSTEM_LIBRARIES.items() if not ctypes.util.find_library(lib)]
    if missing:
        apt_install(missing, "the fact sheet PDFs (WeasyPrint) need them")


def apt_install(packages, why):
    """Install Debian packages with apt-get, as root only; otherwise say how."""
    listed = " ".join(packages)
    if not shutil.which("apt-get") or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print(f"Missing: {listed} ({why}). Install them: sudo apt-get install {listed}")
        return
    print(f"Installing {listed} with apt-get: {why}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages, env=env)


def ensure_venv(extras):
    """Create .venv and install the project; reinstall only when pyproject.toml changes."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs before any venv exists
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    ensure_system_libraries()
    spec = f".[{extras}]" if extras else "."
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'base'}"
    if not stamp.exists() or stamp.read_text() != digest:
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-e", spec)
        stamp.write_text(digest)


def ensure_browser():
    """Debian's Chromium and a stable font for tests/browser, installed with apt-get where
    missing (`playwright install` downloads a browser, which cannot work here).

    Only as root with apt-get; otherwise say how, and the browser tests fail saying so too.
    """
    if not CHROMIUM.exists():
        apt_install(BROWSER_PACKAGES, f"the browser tests drive {CHROMIUM}; without it they fail")


def serve(args):
    ensure_venv("")
    run(PYTHON, "manage.py", "migrate", "--no-input")
    demo_load()
    address = args[0] if args else "127.0.0.1:8000"
    print(f"\nServing the site at http://{address}/ (admin: python manage.py createsuperuser)\n")
    os.execv(str(PYTHON), [str(PYTHON), "manage.py", "runserver", address])


def demo_load(python=PYTHON, env=None):
    """Load the demo into the database (the checkout's db.sqlite3, or DATABASE_URL's) unless
    it holds more than the demo: load_demo_data then refuses, saying why, and the site is
    served as it is. Whether the demo was loaded."""
    print("+", python, "manage.py load_demo_data", flush=True)
    done = subprocess.run([str(python), "manage.py", "load_demo_data"], cwd=ROOT, env=env)
    if done.returncode:
        print("The demo was not loaded (above): serving the database as it is.", flush=True)
    return done.returncode == 0


def test(args):
    ensure_venv("test")
    ensure_browser()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ncmec_site.settings.test"}
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(PYTHON, "manage.py", "check", env=env)
    run(PYTHON, "manage.py", "makemigrations", "--check", "--dry-run", env=env)
    # A worker per core, each taking a whole test file at a time (a file's shared data is
    # built once); "-n 0" among the arguments runs it in one process.
    run(PYTHON, "-m", "pytest", "-n", "auto", "--dist", "loadfile", *args, env=env)


# What production needs, with defaults for a machine of one's own (prod has none of these).
PRODUCTION_DEFAULTS = {
    "DJANGO_REDIS_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
    "DJANGO_SITE_URL": "http://127.0.0.1:8000/",
    # So that a request saying X-Forwarded-Proto: https (as a TLS proxy's do, and the
    # benchmarks') is taken for HTTPS; real production sets it only behind such a proxy.
    "DJANGO_BEHIND_PROXY": "true",
}


def production(args):
    if not os.environ.get("DATABASE_URL"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/ncmec python3 dev.py production"
        )
    ensure_venv("")
    env = {
        **PRODUCTION_DEFAULTS,
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ncmec_site.settings.prod",
    }
    if not env.get("DJANGO_SECRET_KEY"):
        # A new key each start signs everyone out: fine here, never in real production.
        env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
        print("DJANGO_SECRET_KEY is not set: using a random one for this run only.")
    run(PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0", env=env)
    run(PYTHON, "manage.py", "migrate", "--no-input", env=env)
    print(
        "\nServing the production set-up (gunicorn.conf.py). It redirects plain HTTP to "
        "HTTPS: send X-Forwarded-Proto: https (DJANGO_BEHIND_PROXY is on here), or set "
        "DJANGO_SECURE_SSL_REDIRECT=false to browse it.\n",
        flush=True,
    )
    gunicorn = BIN / "gunicorn"
    os.chdir(ROOT)
    os.execve(str(gunicorn), [str(gunicorn), "-c", "gunicorn.conf.py", *args], env)


COMMANDS = {"serve": serve, "test": test, "production": production}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    try:
        COMMANDS[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
