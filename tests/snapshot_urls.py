"""Views for tests/test_read_snapshot_connection.py: what a public page might do inside
its snapshot (programs/page_cache.py)."""

from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path
from django.utils.timezone import now


def fails(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")
    return HttpResponse("never")


def tries_in_a_block(request):
    """Its own atomic() around its first query, an error caught, then another query."""
    try:
        with transaction.atomic():
            Session.objects.get(pk="no-such-session")
    except Session.DoesNotExist:
        pass
    return HttpResponse(f"{Session.objects.count()} sessions")


def writes(request):
    Session.objects.create(session_key="written-by-a-get", session_data="", expire_date=now())
    return HttpResponse("written")


def isolation(request):
    """The transaction the page runs in, as PostgreSQL says it."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")
        level = cursor.fetchone()[0]
        cursor.execute("SHOW transaction_read_only")
        read_only = cursor.fetchone()[0]
    return HttpResponse(f"{level}, read only {read_only}")


urlpatterns = [
    path("isolation/", isolation),
    path("fails/", fails),
    path("tries-in-a-block/", tries_in_a_block),
    path("writes/", writes),
]
