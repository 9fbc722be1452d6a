"""What the production set-up answers while its parts fail: Redis hung, PostgreSQL cut.

Run from the project root (not part of the test suite; about a minute):

    .venv/bin/python benchmarks/faults.py                  # builds bench_faults first
    .venv/bin/python benchmarks/faults.py --skip-build --phase-seconds 10

It builds the scratch PostgreSQL database ``bench_faults`` (``benchmarks/scale.py``, a
small scale: the demo and 3 years of 20 metrics), starts a Redis of its own on a free
port (the machine's shared one is never touched) and, in front of PostgreSQL, a TCP
proxy in this process that it can cut, then ``python3 dev.py production`` (gunicorn,
gunicorn.conf.py, ncmec_site.settings.prod) against both. Twenty readers, each its own
keep-alive connection, ask for the public pages in turn: three requests in four at
their own addresses, which the page cache holds once read ("cached"), one with a query
string never asked before, which it cannot hold ("uncached"). Five phases of
``--phase-seconds`` each:

1. normal;
2. Redis hung: SIGSTOP, as a Redis that stops answering but keeps its port;
3. Redis back: SIGCONT;
4. PostgreSQL cut: the proxy closes every connection and refuses new ones at once;
5. PostgreSQL back.

Printed per phase and kind: requests, 200s, 503s, 500s (and any other status or a
failed connection), the slowest answer and the p99. A request asked in one phase and
answered in the next is counted apart, as "a → b". The goals, pass or fail: no 500 in
any phase; with Redis hung a p99 under 1 s; with PostgreSQL cut every cached page 200.
``--strict`` exits 1 when one fails. The tools (``PrivateRedis``, ``CuttableProxy``)
are the same ones tests/test_faults.py uses on a small scale.
"""

import argparse
import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))  # run as a script, benchmarks/ is sys.path[0]

from benchmarks.scale import DEFAULT_SERVER, scratch_url  # noqa: E402
from benchmarks.serving import Server, ServerConfig, free_port  # noqa: E402

DATABASE = "bench_faults"
READERS = 20
PAGES = [
    "/",
    "/programs/cybertipline/",
    "/states/minnesota/2023/",
    "/metrics/cybertipline-reports-to-law-enforcement/",
    "/compare/?states=MN,WI,IA&year=2023",
    "/data/figures.csv?year=2023&state=MN",
    "/api/v1/figures/?year=2023",
    "/sitemap.xml",
]
PHASES = ["normal", "redis hung", "redis back", "postgres cut", "postgres back"]
GOAL_REDIS_HUNG_P99_S = 1.0


class PrivateRedis:
    """A redis-server of its own on a free port, nothing kept on disk."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", "/tmp"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def hang(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def __exit__(self, *exc):
        if self.process is not None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)


class CuttableProxy:
    """A TCP proxy from a free port to ``target`` (host, port), in threads of this
    process; ``cut()`` closes every connection through it and refuses new ones at once
    (as a server gone), ``restore()`` lets them through again."""

    def __init__(self, target):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.open = set()
        self.is_cut = False
        self.closed = False

    def __enter__(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.closed = True
        self.listener.close()
        self.cut()

    def url(self, database_url: str) -> str:
        """``database_url`` through the proxy."""
        parts = urlsplit(database_url)
        user = f"{parts.username}@" if parts.username else ""
        return parts._replace(netloc=f"{user}127.0.0.1:{self.port}").geturl()

    def cut(self):
        with self.lock:
            self.is_cut = True
            for sock in self.open:
                _close(sock)
            self.open.clear()

    def restore(self):
        with self.lock:
            self.is_cut = False

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                if self.is_cut:
                    _close(client)
                    continue
                try:
                    server = socket.create_connection(self.target, timeout=5)
                except OSError:
                    _close(client)
                    continue
                server.settimeout(None)
                self.open |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with self.lock:
            self.open -= {source, sink}
        _close(source)
        _close(sink)


def _close(sock):
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class Readers:
    """``READERS`` threads asking for the pages in turn, each answer recorded under the
    phase it was asked in."""

    def __init__(self, base):
        self.host, self.port = urlsplit(base).hostname, urlsplit(base).port
        self.phase = PHASES[0]
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses = defaultdict(Counter)  # (phase, kind): {status: n}
        self.times = defaultdict(list)  # (phase, kind): [seconds]
        self.asked = 0

    def run(self):
        threads = [threading.Thread(target=self._read, args=(n,)) for n in range(READERS)]
        for thread in threads:
            thread.start()
        return threads

    def _read(self, reader):
        connection = None
        turn = reader
        while not self.stop.is_set():
            page = PAGES[turn % len(PAGES)]
            kind = "uncached" if turn % 4 == 3 else "cached"
            turn += 1
            with self.lock:
                self.asked += 1
                unique = self.asked
            if kind == "uncached":
                page += ("&" if "?" in page else "?") + f"reader={reader}-{unique}"
            phase, started = self.phase, time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
                connection.request("GET", page, headers={"X-Forwarded-Proto": "https"})
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                status = "no answer"
                if connection is not None:
                    connection.close()
                connection = None
            elapsed = time.perf_counter() - started
            if self.phase != phase:
                phase = f"{phase} → {self.phase}"
            with self.lock:
                self.statuses[(phase, kind)][status] += 1
                self.times[(phase, kind)].append(elapsed)


def p99(values):
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else max(values, default=0)


def report(readers):
    print(f"\n{'phase':<30}{'kind':<10}{'requests':>9}{'200':>7}{'503':>7}{'500':>6}"
          f"{'other':>7}{'slowest':>10}{'p99':>9}")  # fmt: skip
    results = {}
    transitions = [f"{a} → {b}" for a, b in zip(PHASES, PHASES[1:], strict=False)]
    for phase in PHASES + transitions:
        for kind in ("cached", "uncached"):
            if phase in transitions and not readers.statuses[(phase, kind)]:
                continue
            statuses, times = readers.statuses[(phase, kind)], readers.times[(phase, kind)]
            total = sum(statuses.values())
            other = total - statuses[200] - statuses[503] - statuses[500]
            results[(phase, kind)] = (statuses, times)
            print(
                f"{phase:<30}{kind:<10}{total:>9}{statuses[200]:>7}{statuses[503]:>7}"
                f"{statuses[500]:>6}{other:>7}{max(times, default=0):>9.3f}s"
                f"{p99(times):>8.3f}s"
            )
            strange = {k: v for k, v in statuses.items() if k not in (200, 503, 500)}
            if strange:
                print(f"{'':<40}other answers: {dict(strange)}")
    return results


def goals(results):
    """(goal, passed) pairs."""
    errors = sum(statuses[500] for statuses, _ in results.values())
    hung = [t for kind in ("cached", "uncached") for t in results[("redis hung", kind)][1]]
    cut, _ = results[("postgres cut", "cached")]
    return [
        (f"no 500 in any phase ({errors})", errors == 0),
        (
            f"Redis hung: p99 {p99(hung):.3f} s under {GOAL_REDIS_HUNG_P99_S:.0f} s",
            bool(hung) and p99(hung) < GOAL_REDIS_HUNG_P99_S,
        ),
        (
            f"PostgreSQL cut: every cached page 200 ({cut[200]} of {sum(cut.values())})",
            sum(cut.values()) > 0 and cut[200] == sum(cut.values()),
        ),
    ]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-build", action="store_true", help=f"Reuse {DATABASE}.")
    parser.add_argument("--postgres", default=DEFAULT_SERVER, help="The PostgreSQL server.")
    parser.add_argument("--phase-seconds", type=float, default=6, help="Seconds per phase.")
    parser.add_argument("--strict", action="store_true", help="Exit 1 if a goal is missed.")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    url = scratch_url(args.postgres, DATABASE)
    if not args.skip_build:
        from benchmarks import scale

        print(f"Building {DATABASE} (the demo, 3 years of 20 metrics)...", flush=True)
        scale.build(url, years=3, metrics=20, quiet=True)
    target = urlsplit(url)
    started = datetime.now(UTC)
    with (
        PrivateRedis() as redis,
        CuttableProxy((target.hostname, target.port or 5432)) as proxy,
        Server(ServerConfig(), proxy.url(url), free_port(), redis_url=redis.url) as server,
    ):
        print(f"Serving {server.base} (Redis :{redis.port}, PostgreSQL through :{proxy.port})")
        readers = Readers(server.base)
        threads = readers.run()
        actions = {
            "redis hung": redis.hang,
            "redis back": redis.resume,
            "postgres cut": proxy.cut,
            "postgres back": proxy.restore,
        }
        try:
            for phase in PHASES:
                actions.get(phase, lambda: None)()
                readers.phase = phase
                print(f"  {phase}...", flush=True)
                time.sleep(args.phase_seconds)
        finally:
            readers.stop.set()
            redis.resume()
            proxy.restore()
            for thread in threads:
                thread.join()
        errors = server.output()
    print(f"\nbenchmarks/faults.py, {started:%Y-%m-%d %H:%M} UTC, {READERS} readers, "
          f"{args.phase_seconds:g} s a phase")  # fmt: skip
    results = report(readers)
    print()
    failed = False
    for goal, passed in goals(results):
        print(f"{'pass' if passed else 'FAIL'}  {goal}")
        failed |= not passed
    if "Traceback" in errors:
        # Django logs each 5xx with its exception: a 503's is the database out of reach.
        print("\nThe last of the server's log (Django logs each 5xx with its exception):")
        print(errors[-1500:])
    if failed and args.strict:
        sys.exit(1)


if __name__ == "__main__":
    main()
