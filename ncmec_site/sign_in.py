"""Admin sign-in throttled by django-axes: what it counts, what it answers, who unlocks.

Failures count per username and address together, so someone guessing a Publisher's
password locks that account out from their own address only, not from everywhere. An
address is also locked out, for every account, after SIGNIN_ADDRESS_FAILURE_LIMIT
failures across usernames (someone trying a few passwords on each of many accounts);
axes has one failure limit, so the handler below adds the second. A wrong old password
on the password change form counts as a failed sign-in of that account. A locked-out
attempt is refused before any password is checked: the hasher never runs.
"""

import ipaddress
import math

from axes.admin import AccessAttemptAdmin
from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.shortcuts import render


def client_ip(request):
    """The reader's address: behind our one proxy, the address that proxy saw, last in
    X-Forwarded-For (the documented nginx replaces a client's own header with it; one
    that appends leaves the client's entries before it). Not an address (a proxy that
    adds a port, a client reaching the app past the proxy): the proxy's own, as without
    one; axes stores an address, and anything else was a 500."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


class SignInHandler(AxesDatabaseHandler):
    """axes's handler, with the address's own limit across usernames."""

    def get_failures(self, request, credentials=None):
        """The account's failures from this address; or, once the address has reached its
        own limit, axes's limit itself: either locks out (axes compares this number with
        its one limit)."""
        failures = super().get_failures(request, credentials)
        from_address = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        request.sign_in_address_locked = (from_address or 0) >= (
            settings.SIGNIN_ADDRESS_FAILURE_LIMIT
        )
        if request.sign_in_address_locked:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets: what happened and what to do, in words."""
    minutes = math.ceil(get_cool_off(request).total_seconds() / 60)
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in refused",
        "minutes": minutes,
        "address_locked": getattr(request, "sign_in_address_locked", False),
    }
    return render(request, "admin/locked_out.html", context, status=429)


def password_change(request):
    """The admin's password change, throttled as sign-in is: refused while the account
    or the address is locked out, before the old password is checked; a wrong old
    password counted as a failed sign-in (axes marks the request when it reaches a limit,
    and AxesMiddleware answers with ``locked_out``)."""
    credentials = {"username": request.user.get_username()}
    if request.method == "POST" and not AxesProxyHandler.is_allowed(request, credentials):
        return locked_out(request, credentials=credentials)
    response = admin.site.password_change(request)
    form = (getattr(response, "context_data", None) or {}).get("form")
    if form is not None and form.has_error("old_password", "password_incorrect"):
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return response


class SignInAttemptAdmin(AccessAttemptAdmin):
    """axes's list of failed sign-ins, with an Unlock action for who may delete them
    (the Publishers group)."""

    actions = ["unlock"]

    @admin.action(description="Unlock: let them sign in again now", permissions=["delete"])
    def unlock(self, request, queryset):
        names = sorted({f"{a.username} from {a.ip_address}" for a in queryset})
        queryset.delete()
        self.message_user(request, f"Unlocked {', '.join(names)}.", messages.SUCCESS)
