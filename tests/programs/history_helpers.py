"""What the tests of history share (tests/programs/test_history_*.py): the demo's
Minnesota figure (as a draft), a reason, an object's history page in the admin, and a
page's title and breadcrumb.

Its fixtures reach the tests through tests/programs/conftest.py.
"""

import datetime
import html
import re

import pytest
from django.utils import timezone

from programs.models import Figure
from tests.conftest import page_text

REPORTS = "cybertipline-reports-to-law-enforcement"
REASON = "NCMEC corrected the 2023 count"


@pytest.fixture
def draft_figure(demo_draft, minnesota):
    """The demo's 8,611 CyberTipline reports in Minnesota, 2023, with 2023 a draft edition:
    staff change it directly."""
    return Figure.objects.get(metric__key=REPORTS, year=2023, state=minnesota)


def history_url(obj):
    return f"/admin/programs/{obj._meta.model_name}/{obj.pk}/history/"


def is_recent(moment):
    return timezone.now() - moment < datetime.timedelta(minutes=1)


def title_and_breadcrumb(response):
    """The page's <title> and its breadcrumb trail, as text."""
    page = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S).group(1)
    return html.unescape(title), page_text(crumbs)
