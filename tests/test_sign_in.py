"""Admin sign-in is throttled: a few wrong passwords for one account from one address lock
that account out from that address, with a page that says so, until the cool-off ends or
a Publisher unlocks it; twenty from one address across accounts lock the address out;
behind the documented proxy a client cannot pick its own address; the password change
form counts wrong old passwords the same way. Everything goes through the real forms."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import Group
from django.db.models import F
from django.test import Client

LOGIN = "/admin/login/"
ATTEMPTS = "/admin/axes/accessattempt/"
HOME, ELSEWHERE = "203.0.113.5", "198.51.100.7"
REFUSAL = (
    "Too many failed sign-ins for this account from your address. Try again in 15 minutes, "
    "or ask a Publisher to unlock it."
)


@pytest.fixture
def account(django_user_model):
    """A Publisher's account, pat, whose password is "right horse": the one signing in."""
    user = django_user_model.objects.create_user("pat", password="right horse", is_staff=True)
    user.groups.add(Group.objects.get(name="Publishers"))
    return user


def sign_in(password, *, address=HOME, username="pat", **extra):
    """A fresh browser at ``address`` posting the admin's sign-in form (``extra``: the
    request's headers, as ``HTTP_X_FORWARDED_FOR``)."""
    browser = Client(REMOTE_ADDR=address, **extra)
    response = browser.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    return browser, response


def signed_in(browser):
    return "_auth_user_id" in browser.session


def lock_out(address=HOME):
    for _ in range(5):
        sign_in("wrong", address=address)


def test_the_fifth_wrong_password_locks_the_account_even_against_the_right_one(account):
    for _ in range(4):
        _, response = sign_in("wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    _, fifth = sign_in("wrong")
    browser, right = sign_in("right horse")

    assert fifth.status_code == 429
    assert REFUSAL in fifth.content.decode()
    assert right.status_code == 429
    assert REFUSAL in right.content.decode()
    assert not signed_in(browser)


def test_after_the_cool_off_the_right_password_signs_in(account):
    lock_out()
    # Sixteen minutes pass for axes, which counts only attempts younger than its cool-off.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )

    browser, response = sign_in("right horse")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert signed_in(browser)


def test_another_address_is_not_locked_out(account):
    lock_out()

    browser, response = sign_in("right horse", address=ELSEWHERE)

    assert response.status_code == 302
    assert signed_in(browser)


def test_a_success_before_the_limit_starts_the_count_again(account):
    for _ in range(4):
        sign_in("wrong")
    sign_in("right horse")
    for _ in range(4):
        sign_in("wrong")

    browser, _ = sign_in("right horse")

    assert signed_in(browser)


# Behind the documented proxy: the nginx block of docs/production.md, read from the page.
PRODUCTION_DOC = Path(__file__).resolve().parent.parent / "docs" / "production.md"
NGINX = "127.0.0.1"  # the proxy's own address, the app's REMOTE_ADDR behind it


def through_the_proxy(client_address, **sent):
    """The headers of a request that ``client_address`` sent with headers ``sent`` (as
    "X-Forwarded-For"), as the documented nginx passes it on: each header it sets with
    proxy_set_header replaces the client's; the others pass as the client sent them."""
    block = re.search(r"```nginx\n(.*?)```", PRODUCTION_DOC.read_text(), re.S)[1]
    headers = {name.replace("_", "-"): value for name, value in sent.items()}
    appended = ", ".join(filter(None, [headers.get("X-Forwarded-For"), client_address]))
    variables = {
        "$remote_addr": client_address,
        "$proxy_add_x_forwarded_for": appended,
        "$scheme": "https",
        "$host": "testserver",
    }
    for name, value in re.findall(r"proxy_set_header\s+(\S+)\s+([^;]+);", block):
        headers[name] = variables.get(value, value)
    meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    return {**meta, "address": NGINX}


def test_behind_the_proxy_a_forged_forwarded_for_does_not_dodge_a_lockout(account, settings):
    settings.BEHIND_PROXY = True
    for forged in range(5):
        sign_in("wrong", **through_the_proxy(HOME, X_Forwarded_For=f"192.0.2.{forged}"))

    browser, right = sign_in("right horse", **through_the_proxy(HOME, X_Forwarded_For=ELSEWHERE))

    assert right.status_code == 429
    assert REFUSAL in right.content.decode()
    assert not signed_in(browser)


def test_behind_the_proxy_one_persons_lockout_is_not_everyones(account, settings):
    settings.BEHIND_PROXY = True
    for _ in range(5):
        sign_in("wrong", **through_the_proxy(HOME))

    browser, response = sign_in("right horse", **through_the_proxy(ELSEWHERE))

    assert response.status_code == 302
    assert signed_in(browser)
    assert AccessAttempt.objects.get().ip_address == HOME


@pytest.mark.parametrize("forwarded", ["junk", "203.0.113.5:41234", "[2001:db8::1]"])
def test_behind_the_proxy_a_forwarded_for_that_is_no_address_is_counted_not_a_500(
    account, settings, forwarded
):
    settings.BEHIND_PROXY = True
    for _ in range(5):
        _, response = sign_in("wrong", address=NGINX, HTTP_X_FORWARDED_FOR=forwarded)
        assert response.status_code in (200, 429)

    assert AccessAttempt.objects.get().ip_address == NGINX  # the proxy's, as without one
    assert sign_in("right horse", address=NGINX)[1].status_code == 429


def test_behind_the_proxy_production_sees_https_whatever_the_client_claims(account, settings):
    settings.BEHIND_PROXY = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # as prod.py
    settings.SECURE_SSL_REDIRECT = True

    _, response = sign_in("right horse", **through_the_proxy(HOME, X_Forwarded_Proto="http"))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"  # signed in, not sent to https://


def test_a_publisher_unlocks_the_account_in_the_admin(account, django_user_model):
    lock_out()
    other = django_user_model.objects.create_user("quinn", password="x", is_staff=True)
    other.groups.add(Group.objects.get(name="Publishers"))
    admin = Client()
    admin.force_login(other)

    listing = admin.get(ATTEMPTS)
    attempt = AccessAttempt.objects.get(username="pat", ip_address=HOME)
    done = admin.post(
        ATTEMPTS, {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True
    )
    browser, response = sign_in("right horse")

    assert listing.status_code == 200
    assert "Access attempts" in admin.get("/admin/").content.decode()
    assert attempt in listing.context["cl"].result_list
    assert f"Unlocked pat from {HOME}." in done.content.decode()
    assert response.status_code == 302
    assert signed_in(browser)


def test_an_editor_can_neither_see_nor_unlock_sign_ins(account, django_user_model):
    lock_out()
    editor = django_user_model.objects.create_user("eddie", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    admin = Client()
    admin.force_login(editor)
    attempt = AccessAttempt.objects.get()

    listing = admin.get(ATTEMPTS)
    unlock = admin.post(ATTEMPTS, {"action": "unlock", "_selected_action": [attempt.pk]})
    delete = admin.post(f"{ATTEMPTS}{attempt.pk}/delete/", {"post": "yes"})
    _, response = sign_in("right horse")

    assert listing.status_code == 403
    assert unlock.status_code == 403
    assert delete.status_code == 403
    assert "Access attempts" not in admin.get("/admin/").content.decode()
    assert response.status_code == 429


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how often a password is checked."""

    checks = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded)


def test_a_refused_sign_in_checks_no_password(account, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    account.set_password("right horse")
    account.save()
    CountingHasher.checks = 0
    lock_out()
    assert CountingHasher.checks == 5  # each failure counted was a password checked

    for _ in range(20):
        sign_in("wrong")
    sign_in("right horse")

    assert CountingHasher.checks == 5  # locked out: refused before any password is checked


def test_the_refusal_names_the_cool_off_it_was_given(account, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    lock_out()

    _, response = sign_in("right horse")

    assert "Try again in 30 minutes, or ask a Publisher to unlock it." in (
        response.content.decode()
    )


# Many usernames from one address: SIGNIN_ADDRESS_FAILURE_LIMIT (20) across every account.
ADDRESS_REFUSAL = (
    "Too many failed sign-ins from your address, for any account. Try again in 15 minutes, "
    "or ask a Publisher to unlock your address."
)


def spray(failures, address=HOME):
    """``failures`` wrong passwords from ``address``, four for each of as many usernames:
    never the five that lock one account out. The last answer."""
    for attempt in range(failures):
        _, response = sign_in("wrong", address=address, username=f"user{attempt // 4}")
    return response


def test_twenty_failures_across_usernames_lock_the_address_out_for_every_account(account):
    below = spray(19)
    twentieth = sign_in("wrong", username="user4")[1]
    browser, right = sign_in("right horse")

    assert below.status_code == 200
    assert twentieth.status_code == 429
    assert ADDRESS_REFUSAL in twentieth.content.decode()
    assert right.status_code == 429
    assert ADDRESS_REFUSAL in right.content.decode()
    assert not signed_in(browser)


def test_nineteen_failures_across_usernames_lock_no_one_out(account):
    spray(19)

    browser, response = sign_in("right horse")

    assert response.status_code == 302
    assert signed_in(browser)


def test_an_address_locked_out_is_not_every_address(account):
    spray(20)

    browser, response = sign_in("right horse", address=ELSEWHERE)

    assert signed_in(browser)


def test_the_address_limit_is_a_setting_and_its_lockout_ends_after_the_cool_off(account, settings):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 3
    locked = spray(3)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    browser, response = sign_in("right horse")

    assert locked.status_code == 429
    assert signed_in(browser)


# The password change form: a wrong old password is a failed sign-in of that account.
PASSWORD_CHANGE = "/admin/password_change/"


NEW_PASSWORD = "Grey Stapler 9"


def change_password(browser, old):
    fields = {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return browser.post(PASSWORD_CHANGE, fields)


@pytest.fixture
def signed_in_browser(account):
    browser = Client(REMOTE_ADDR=HOME)
    browser.force_login(account)
    return browser


def test_the_fifth_wrong_old_password_locks_the_account_out_of_both_forms(
    account, signed_in_browser
):
    for _ in range(4):
        wrong = change_password(signed_in_browser, "wrong")
        assert "Your old password was entered incorrectly" in wrong.content.decode()

    fifth = change_password(signed_in_browser, "wrong")
    right = change_password(signed_in_browser, "right horse")
    _, sign_in_page = sign_in("right horse")

    assert fifth.status_code == 429
    assert right.status_code == 429
    assert REFUSAL in right.content.decode()
    account.refresh_from_db()
    assert account.check_password("right horse")  # unchanged
    assert sign_in_page.status_code == 429


def test_a_locked_out_password_change_checks_no_password(account, signed_in_browser, settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    lock_out()
    CountingHasher.checks = 0

    response = change_password(signed_in_browser, "right horse")

    assert response.status_code == 429
    assert CountingHasher.checks == 0


def test_the_right_old_password_changes_it_and_counts_nothing(account, signed_in_browser):
    response = change_password(signed_in_browser, "right horse")

    assert response.status_code == 302
    assert response["Location"] == "/admin/password_change/done/"
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)
    assert not AccessAttempt.objects.exists()


def test_a_publisher_unlocks_an_address_by_unlocking_its_attempts(account, publisher):
    spray(20)
    attempts = AccessAttempt.objects.filter(ip_address=HOME)

    publisher.post(ATTEMPTS, {"action": "unlock", "_selected_action": [a.pk for a in attempts]})
    browser, _ = sign_in("right horse")

    assert signed_in(browser)
