"""What 50 wrong passwords for one admin account cost the server, with and without the
sign-in throttle, using the production password hasher (PBKDF2, not the tests' MD5).

Run from the project root (a temporary SQLite database, about a minute):

    .venv/bin/python benchmarks/sign_in.py [--attempts 50]

"Before" signs in through Django's ModelBackend alone, as the site did before django-axes;
"after" through the settings as they are (AXES_FAILURE_LIMIT failures, then refused).
"""

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))  # run as a script, benchmarks/ is sys.path[0]


def attack(client, attempts):
    """CPU and wall seconds of each of ``attempts`` wrong-password sign-ins, and statuses."""
    results = []
    for _ in range(attempts):
        cpu, wall = time.process_time(), time.perf_counter()
        response = client.post("/admin/login/", {"username": "pat", "password": "wrong"})
        results.append((time.process_time() - cpu, time.perf_counter() - wall, response))
    return results


def report(name, results):
    cpu = sum(r[0] for r in results)
    wall = sum(r[1] for r in results)
    statuses = [r[2].status_code for r in results]
    print(f"{name}: {cpu:.2f} s CPU, {wall:.2f} s wall")
    for status in sorted(set(statuses)):
        some = [r for r in results if r[2].status_code == status]
        each = sum(r[0] for r in some) / len(some) * 1000
        print(f"  {len(some)} answered {status}, {each:.0f} ms CPU each")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        os.environ["DJANGO_SETTINGS_MODULE"] = "ncmec_site.settings.test"
        os.environ["DJANGO_SQLITE_PATH"] = str(Path(scratch) / "bench.sqlite3")
        import django

        django.setup()
        from axes.models import AccessAttempt
        from django.conf import global_settings, settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client, override_settings
        from django.test.utils import setup_test_environment

        setup_test_environment()
        logging.disable(logging.WARNING)  # axes logs each failure, Django each 429
        call_command("migrate", verbosity=0)
        with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
            get_user_model().objects.create_user("pat", password="right horse", is_staff=True)
            before = override_settings(
                AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.ModelBackend"],
                AXES_ENABLED=False,
            )
            with before:
                before_results = attack(Client(), args.attempts)
            assert not AccessAttempt.objects.exists()
            after_results = attack(Client(), args.attempts)

    print(f"{args.attempts} wrong passwords, hasher {global_settings.PASSWORD_HASHERS[0]}")
    report("before (no throttle)", before_results)
    report(f"after (limit {settings.AXES_FAILURE_LIMIT})", after_results)


if __name__ == "__main__":
    main()
