"""The WSGI application gunicorn runs (gunicorn.conf.py): Django's, answering HEAD
without a body.

Django leaves a HEAD answer's body to the server: its runserver drops it, gunicorn sends
it (and logs "WSGI app sent body bytes on a no-body response"), and a client keeping
the connection alive could read those bytes as its next answer. Dropped here, after
every middleware, so every answer is covered: a page, one from the page cache, a
download, the API, an error page, the admin. The headers stay GET's, Content-Length
included (RFC 9110 9.3.2); a streamed download's generator is closed unread.
"""

import os

import django
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncmec_site.settings.prod")


class Application(WSGIHandler):
    def get_response(self, request):
        response = super().get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                response.streaming_content = []
            else:
                response.content = b""
        return response


django.setup(set_prefix=False)  # as django.core.wsgi.get_wsgi_application does
application = Application()
