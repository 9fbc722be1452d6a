"""What benchmarks/pages.py drives: the production server (``dev.py production``) on a
scratch database, wrk against it, and plain requests to check what it answers."""

import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import brotli

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCH_REDIS_URL = "redis://127.0.0.1:6379/14"  # flushed before each server start

# Production settings redirect plain HTTP to HTTPS: every request says it came over
# HTTPS (as a TLS-terminating proxy would), so pages are measured, not redirects.
HTTPS = {"X-Forwarded-Proto": "https"}
GZIP = {"Accept-Encoding": "gzip"}
# What a browser says over HTTPS (Chromium's, but zstd): the page cache and WhiteNoise
# answer it with Brotli.
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
# A made-up session cookie: the page cache answers it as any other reader.
SESSION = {"Cookie": "sessionid=benchmark"}

# wrk prints this from the summary of a run, as one JSON line. A `response()` hook would
# see each status, but it makes wrk hand every body to Lua, which slows the client more
# than the fastest pages: each page's status is checked beforehand instead (check()),
# and wrk's own count of 4xx/5xx answers and socket errors must stay at zero.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "bytes": %d, "p99_us": %d, "p50_us": %d, '
    .. '"status_errors": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(99),
    latency:percentile(50), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class ServerConfig:
    """A gunicorn configuration to measure: worker class, workers, threads, pool."""

    worker_class: str = ""  # empty: gunicorn.conf.py's defaults
    workers: int = 0
    threads: int = 0
    pool: bool = False

    @classmethod
    def parse(cls, text, pool=False):
        """``sync:2:1``, ``gthread:2:4`` or ``gthread:2:4:pool``; ``default`` for the
        configuration file's own values."""
        parts = text.split(":")
        if parts == ["default"]:
            return cls(pool=pool)
        if len(parts) not in (3, 4) or not parts[1].isdigit() or not parts[2].isdigit():
            raise ValueError(f"--server wants class:workers:threads[:pool], not {text!r}")
        if len(parts) == 4 and parts[3] != "pool":
            raise ValueError(f"the fourth part of --server can only be 'pool': {text!r}")
        return cls(parts[0], int(parts[1]), int(parts[2]), pool or len(parts) == 4)

    def __str__(self):
        name = (
            f"{self.worker_class} {self.workers}x{self.threads}"
            if self.worker_class
            else "gunicorn.conf.py defaults"
        )
        return f"{name}, {'psycopg pool' if self.pool else 'persistent connections'}"

    def env(self):
        env = {"DJANGO_DB_POOL": "1" if self.pool else "0"}
        if self.worker_class:
            env |= {
                "GUNICORN_WORKER_CLASS": self.worker_class,
                "GUNICORN_WORKERS": str(self.workers),
                "GUNICORN_THREADS": str(self.threads),
            }
        return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``python3 dev.py production`` on ``database_url``, in its own process group, its
    cache in ``redis_url`` (flushed as it starts)."""

    def __init__(self, config: ServerConfig, database_url: str, port: int,
                 redis_url: str = BENCH_REDIS_URL):  # fmt: skip
        self.config, self.database_url, self.port = config, database_url, port
        self.redis_url = redis_url
        self.base = f"http://127.0.0.1:{port}"
        # Kept open while the server runs, closed (and so removed) by __exit__.
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-server-", suffix=".log")  # noqa: SIM115
        self.process = None

    def __enter__(self):
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()
        if _answers(self.base + "/health/"):
            raise SystemExit(f"Something already answers at {self.base}: not ours to measure.")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
            "DATABASE_URL": self.database_url,
            "DJANGO_REDIS_URL": self.redis_url,
            # Every request says X-Forwarded-Proto: https, as the TLS proxy would.
            "DJANGO_BEHIND_PROXY": "true",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            **self.config.env(),
        }
        self.process = subprocess.Popen(
            [sys.executable, "dev.py", "production"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so that stopping it stops its workers too
        )
        deadline = time.monotonic() + 180
        while not _answers(self.base + "/health/ready/"):  # PostgreSQL and Redis too
            if self.process.poll() is not None or time.monotonic() > deadline:
                output = self.output()
                self.__exit__()
                raise SystemExit(f"The server did not start ({self.config}):\n{output}")
            time.sleep(0.5)
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def output(self):
        self.log.seek(0)
        return self.log.read()[-3000:]

    def static_css(self):
        """The address of site.css under its hashed name, from collectstatic's manifest."""
        manifest = json.loads((PROJECT_ROOT / "staticfiles" / "staticfiles.json").read_text())
        return "/static/" + manifest["paths"]["css/site.css"]


def _answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is an answer to report, not to follow


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url, headers):
    """(status, body as sent, body decoded) for one GET."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener.open(request, timeout=60) as response:
            status, body, encoding = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, body, encoding = error.code, error.read(), error.headers
    decoders = {"gzip": gzip.decompress, "br": brotli.decompress}
    decoded = decoders.get(encoding.get("Content-Encoding"), lambda data: data)(body)
    return status, body, decoded


def check(url, headers):
    """Fail loudly unless the page answers 2xx; the bytes it sends (as sent, and raw)."""
    status, sent, _ = fetch(url, {**HTTPS, **headers})
    if not 200 <= status < 300:
        raise SystemExit(f"{url} answered {status} with {headers}: {sent[:300]!r}")
    _, raw, _ = fetch(
        url, {**HTTPS, **{k: v for k, v in headers.items() if k != "Accept-Encoding"}}
    )
    return len(sent), len(raw)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("Installing wrk with apt-get (Debian's package).", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: install it with `sudo apt-get install wrk`.")


def wrk(url, headers, *, duration, connections, threads=2):
    """One wrk run; its summary (req/s, p99 in ms). Fails on any error answer."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s"]
        args += ["-s", script.name]
        for name, value in {**HTTPS, **headers}.items():
            args += ["-H", f"{name}: {value}"]
        result = subprocess.run([*args, url], capture_output=True, text=True, check=True)
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no summary for {url}:\n{result.stdout}{result.stderr}")
    summary = json.loads(line[4:])
    if summary["status_errors"]:
        raise SystemExit(f"{url}: wrk saw {summary['status_errors']} 4xx or 5xx answers.")
    summary["rps"] = summary["requests"] / (summary["duration_us"] / 1e6)
    summary["p99_ms"] = summary["p99_us"] / 1000
    return summary
