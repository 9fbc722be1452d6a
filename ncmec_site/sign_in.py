"""Admin sign-in throttled by django-axes: what it counts, what it answers, who unlocks.

Failures count per username and address together, so someone guessing a Publisher's
password locks that account out from their own address only, not from everywhere. A
locked-out attempt is refused before any password is checked: the hasher never runs.
"""

import math

from axes.admin import AccessAttemptAdmin
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import render


def client_ip(request):
    """The reader's address: behind our one proxy, the address that proxy saw, last in
    X-Forwarded-For (the documented nginx replaces a client's own header with it; one
    that appends leaves the client's entries before it)."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets: what happened and what to do, in words."""
    minutes = math.ceil(get_cool_off(request).total_seconds() / 60)
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in refused",
        "minutes": minutes,
    }
    return render(request, "admin/locked_out.html", context, status=429)


class SignInAttemptAdmin(AccessAttemptAdmin):
    """axes's list of failed sign-ins, with an Unlock action for who may delete them
    (the Publishers group)."""

    actions = ["unlock"]

    @admin.action(description="Unlock: let them sign in again now", permissions=["delete"])
    def unlock(self, request, queryset):
        names = sorted({f"{a.username} from {a.ip_address}" for a in queryset})
        queryset.delete()
        self.message_user(request, f"Unlocked {', '.join(names)}.", messages.SUCCESS)
