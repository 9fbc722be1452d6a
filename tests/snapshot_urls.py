"""Views for tests/test_read_snapshot_connection.py: what a public page might do inside
its snapshot (ncmec_site/read_snapshot.py)."""

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path


def fails(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")
    return HttpResponse("never")


def tries_in_a_block(request):
    """Its own atomic() around its first query, an error caught, then another query."""
    try:
        with transaction.atomic():
            Group.objects.get(pk=-1)
    except Group.DoesNotExist:
        pass
    return HttpResponse(f"{Group.objects.count()} groups")


def writes(request):
    Group.objects.create(name="written by a GET")
    return HttpResponse("written")


urlpatterns = [
    path("fails/", fails),
    path("tries-in-a-block/", tries_in_a_block),
    path("writes/", writes),
]
