"""gunicorn's settings for production: ``gunicorn -c gunicorn.conf.py``.

``python3 dev.py production`` runs it. Each value can be set from the environment; the
defaults were chosen with ``benchmarks/pages.py`` (docs/benchmarks.md, "gunicorn set-ups"
gives the figures). Command-line options override both.
"""

import os

import gunicorn.http.wsgi

wsgi_app = "ncmec_site.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is the name platforms (Heroku, Render, Dokku) set for the worker count.
workers = int(os.environ.get("GUNICORN_WORKERS", os.environ.get("WEB_CONCURRENCY", "2")))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A request that runs longer than this is stuck: the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Keep-alive for a load balancer or proxy in front, which reuses its connections.
keepalive = 5
# Replace each worker after about this many requests (0: never), should a leak appear. Off
# by default: a replaced worker drops its kept-alive connections, and none leaks today.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# Errors go to stderr; the access log is off unless asked for ("-" for stdout), since
# the proxy in front usually keeps one and writing it costs every request.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Load the app before forking: a broken setting stops the server at once, not each worker.
preload_app = True
# gunicorn 25.1+ opens a control socket at one path per user ($HOME/.gunicorn/): two
# servers on one machine (a benchmark beside a colleague's) would take each other's.
control_socket_disable = True

# gunicorn names itself in a Server header on every answer ("Server: gunicorn"): telling
# a scanner what runs here helps only the scanner. Its responses read this name when
# each is made (gunicorn.http.wsgi.Response), so an empty one goes out as "Server: ".
gunicorn.http.wsgi.SERVER = ""
