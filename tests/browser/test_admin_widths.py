"""Every list of the admin, and a program's form with its metrics, fits a 1280 px window
with the whole demo in it (NCMEC's record, the 50 states' 2023 figures): no column cut off
behind a scroll bar, nothing past the window's edge. A screenshot of each is saved under
build/screenshots/ (admin-<model>-1280.png)."""

from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from programs.corrections import Proposal, pending_changes_stage
from programs.models import Figure, Program
from tests.committed import committed_data

from .conftest import SCREENSHOTS, build_data

WIDTH = 1280
CHANGELISTS = sorted(
    f"{model._meta.app_label}_{model._meta.model_name}" for model in admin.site._registry
)

# What reaches past the window, and every region that scrolls sideways because what is
# in it is wider (a list's table in Django's .results, an inline's table).
OVERFLOWS = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const past = [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > edge)
    .map(el => `${el.outerHTML.slice(0, 100)} ends at ${el.getBoundingClientRect().right} px`);
  const cut = [...document.querySelectorAll("#content *")]
    .filter(el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
    .filter(el => el.scrollWidth > el.clientWidth + 1)
    .map(el => `${el.outerHTML.slice(0, 100)} shows ${el.clientWidth} of ${el.scrollWidth} px`);
  return [...past.slice(0, 5), ...cut];
}"""


@pytest.fixture(scope="module")
def committed_module_data(django_db_setup, django_db_blocker):
    """The browser suite's data (the whole demo), a staged correction and a failed
    sign-in, so that no list is empty; signed in as a superuser, who sees every list."""
    with django_db_blocker.unblock(), committed_data(build_admin_data) as session:
        yield session


def build_admin_data():
    build_data()
    publisher = get_user_model().objects.create_superuser("browser-admin", password="x")
    figure = Figure.objects.filter(state__code="WI", year=2023).select_related("metric").first()
    correction = Proposal(figure.metric, 2023, figure.state, figure, value=Decimal(9_101))
    pending_changes_stage(
        proposals=[correction], user=publisher, reason="Wisconsin's count was corrected."
    )
    AccessAttempt.objects.create(
        username="someone@example.org",
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
        "like Gecko) Chrome/120.0.0.0 Safari/537.36",
        path_info="/admin/login/",
        get_data="next=/admin/",
        post_data="username=someone@example.org",
        failures_since_start=3,
    )
    client = Client()
    client.force_login(publisher)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def fits(tab, name):
    tab.screenshot(path=SCREENSHOTS / f"admin-{name}-{WIDTH}.png", full_page=True)
    return tab.evaluate("document.documentElement.scrollWidth"), tab.evaluate(OVERFLOWS)


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_each_admin_list_fits_1280_px(open_page, changelist):
    tab = open_page(reverse(f"admin:{changelist}_changelist"), width=WIDTH, signed_in=True)
    assert tab.locator("#changelist").count() == 1, f"{tab.url} is not a list"

    scroll_width, overflows = fits(tab, changelist.split("_", 1)[1])

    assert scroll_width <= WIDTH
    assert not overflows, f"{changelist} at {WIDTH} px:\n" + "\n".join(overflows)


def test_a_programs_form_with_its_metrics_fits_1280_px(open_page):
    program = Program.objects.get(slug="cybertipline")  # the most metrics: 35
    path = reverse("admin:programs_program_change", args=[program.pk])
    tab = open_page(path, width=WIDTH, signed_in=True)

    scroll_width, overflows = fits(tab, "program-form")

    rows = tab.locator("textarea[name$='-definition']:not([name*='__prefix__'])")
    assert rows.count() == program.metrics.count()
    assert scroll_width <= WIDTH
    assert not overflows, "\n".join(overflows)
