"""The admin for programs, metrics and figures, as staff use it."""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models.signals import pre_save
from django.test.utils import CaptureQueriesContext

from programs.figure_files import Table
from programs.importing import figures_import
from programs.models import Figure, Metric, Program
from states.models import State
from tests.conftest import make_edition, make_figure, make_metric, make_program

FIGURES = "/admin/programs/figure/"
MISMATCH = (
    "Missing child cases handled, Minnesota, 2023: the 3 parts add up to 190, but the total is "
    "201; the parts of a total add up to it (is a part missing, or mistyped?)."
)


def listed(response):
    """The figures in the changelist's table."""
    return set(response.context["cl"].result_list)


@pytest.fixture
def viewer_client(staff):
    """A client logged in as a staff member who may only view figures."""
    staff.user.user_permissions.add(Permission.objects.get(codename="view_figure"))
    return staff


@pytest.fixture
def figures(minnesota):
    """Two national figures in one program and two state figures in another."""
    national = make_metric(scope=Metric.Scope.NATIONAL, label="Reports received")
    per_state = make_metric(label="Cases handled")
    return SimpleNamespace(
        national=national,
        per_state=per_state,
        national_2022=make_figure(national, year=2022, value=10),
        national_2023=make_figure(national, year=2023, value=20),
        minnesota=make_figure(per_state, state=minnesota, value=30),
        wisconsin=make_figure(per_state, state=State.objects.get(code="WI"), value=40),
    )


def add_figure_data(metric, **fields):
    return {
        "metric": metric.pk,
        "year": 2023,
        "state": "",
        "value": "5",
        "qualifier": "",
        "source": "",
        "note": "",
        **fields,
    }


# Pages


def admin_urls():
    program = Program.objects.get(slug="cybertipline")
    metric = Metric.objects.get(key="missing-cases-handled")
    figure = Figure.objects.get(metric=metric)
    return [
        "/admin/programs/program/",
        "/admin/programs/program/add/",
        f"/admin/programs/program/{program.pk}/change/",
        "/admin/programs/metric/",
        "/admin/programs/metric/add/",
        f"/admin/programs/metric/{metric.pk}/change/",
        "/admin/programs/figure/",
        "/admin/programs/figure/add/",
        f"/admin/programs/figure/{figure.pk}/change/",
    ]


@pytest.mark.usefixtures("demo")
def test_every_programs_admin_page_opens_for_a_superuser(admin_client):
    for url in admin_urls():
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.usefixtures("demo")
def test_programs_admin_pages_send_anonymous_visitors_to_the_login_page(client):
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/?next="), url


@pytest.mark.usefixtures("demo")
def test_staff_without_permissions_is_refused_the_figure_list(staff):
    assert staff.get(FIGURES).status_code == 403


@pytest.mark.usefixtures("demo")
def test_staff_who_may_only_view_figures_sees_them_but_cannot_add_one(viewer_client):
    response = viewer_client.get(FIGURES)

    assert response.status_code == 200
    assert len(listed(response)) == Figure.objects.count()
    assert viewer_client.get(f"{FIGURES}add/").status_code == 403


@pytest.mark.usefixtures("demo")
def test_program_page_lists_its_metrics_inline(admin_client):
    program = Program.objects.get(slug="cybertipline")

    response = admin_client.get(f"/admin/programs/program/{program.pk}/change/")

    assert response.context["inline_admin_formsets"][0].formset.queryset.count() == 3
    assert response.context["inline_admin_formsets"][0].formset.initial_form_count() == 3
    for key in (
        "cybertipline-reports-received",
        "cybertipline-content-pieces",
        "cybertipline-reports-to-law-enforcement",
    ):
        assert f'value="{key}"'.encode() in response.content


# The figure list


@pytest.mark.usefixtures("demo")
def test_figure_list_shows_the_place_and_the_value_as_readers_see_it(admin_client):
    response = admin_client.get(FIGURES)

    assert response.status_code == 200
    assert len(listed(response)) == Figure.objects.count()
    for text in ("United States", "Minnesota", "36,210,368", "more than 18,400", "8,611", "19%"):
        assert text.encode() in response.content, text


def test_figure_list_filters_by_year(admin_client, figures):
    response = admin_client.get(FIGURES, {"year": 2022})

    assert listed(response) == {figures.national_2022}


def test_figure_list_filters_by_program(admin_client, figures):
    response = admin_client.get(
        FIGURES, {"metric__program__id__exact": figures.per_state.program_id}
    )

    assert listed(response) == {figures.minnesota, figures.wisconsin}


def test_figure_list_place_filter_shows_only_national_figures(admin_client, figures):
    response = admin_client.get(FIGURES, {"place": "national"})

    assert listed(response) == {figures.national_2022, figures.national_2023}


def test_figure_list_place_filter_shows_only_state_figures(admin_client, figures):
    response = admin_client.get(FIGURES, {"place": "state"})

    assert listed(response) == {figures.minnesota, figures.wisconsin}


def test_figure_list_filters_by_state(admin_client, figures, minnesota):
    response = admin_client.get(FIGURES, {"state__id__exact": minnesota.pk})

    assert listed(response) == {figures.minnesota}


def test_figure_list_search_finds_figures_by_state_name(admin_client, figures):
    response = admin_client.get(FIGURES, {"q": "wisconsin"})

    assert listed(response) == {figures.wisconsin}


def test_figure_list_search_finds_figures_by_state_code(admin_client, figures):
    response = admin_client.get(FIGURES, {"q": "MN"})

    assert listed(response) == {figures.minnesota}


def test_figure_list_search_finds_figures_by_metric_label(admin_client, figures):
    response = admin_client.get(FIGURES, {"q": "reports received"})

    assert listed(response) == {figures.national_2022, figures.national_2023}


def test_figure_list_makes_as_many_queries_for_40_figures_as_for_2(admin_client, minnesota):
    # Each figure has its own metric, program and state, so anything read per row shows.
    states = list(State.objects.exclude(code="MN"))[:40]
    make_figure(state=states.pop())
    make_figure(state=states.pop())
    admin_client.get(FIGURES)  # Warm any per-process caches before counting.

    with CaptureQueriesContext(connection) as with_2:
        assert len(listed(admin_client.get(FIGURES))) == 2
    for state in states:
        make_figure(state=state)
    with CaptureQueriesContext(connection) as with_40:
        assert len(listed(admin_client.get(FIGURES))) == 40

    assert len(with_40) == len(with_2)


@pytest.mark.usefixtures("demo")
def test_figure_list_warns_when_breakdown_parts_do_not_add_up(admin_client):
    # The demo's parts are 135 + 57 + 9 = 201; 135 + 46 + 9 is 190.
    Figure.objects.filter(metric__key="missing-cases-other").update(value=46)

    response = admin_client.get(FIGURES)

    assert [(m.level_tag, m.message) for m in response.context["messages"]] == [
        ("warning", MISMATCH)
    ]
    assert MISMATCH.encode() in response.content


@pytest.mark.usefixtures("demo")
def test_figure_list_does_not_warn_when_breakdown_parts_add_up(admin_client):
    response = admin_client.get(FIGURES)

    assert response.status_code == 200
    assert list(response.context["messages"]) == []
    assert b"the parts add up to" not in response.content


@pytest.mark.usefixtures("demo")
def test_breakdown_warning_is_not_shown_to_staff_refused_the_figure_list(staff):
    Figure.objects.filter(metric__key="missing-cases-other").update(value=46)
    staff.get(FIGURES)
    staff.user.user_permissions.add(Permission.objects.get(codename="view_program"))

    response = staff.get("/admin/programs/program/")

    assert response.status_code == 200
    assert b"the parts add up to" not in response.content


# Adding and changing figures


def test_adding_a_state_to_a_national_figure_shows_the_error_and_saves_nothing(
    admin_client, minnesota
):
    metric = make_metric(scope=Metric.Scope.NATIONAL, key="reports-received")

    response = admin_client.post(f"{FIGURES}add/", add_figure_data(metric, state=minnesota.pk))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["state"] == [
        "“reports-received” is a national metric: leave the state blank."
    ]
    assert "“reports-received” is a national metric: leave the state blank." in (
        response.content.decode()
    )
    assert not Figure.objects.exists()


def test_adding_a_percent_over_100_shows_the_error_and_saves_nothing(admin_client):
    metric = make_metric(scope=Metric.Scope.NATIONAL, unit=Metric.Unit.PERCENT)

    response = admin_client.post(f"{FIGURES}add/", add_figure_data(metric, value="101"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["value"] == [
        "A percent cannot be more than 100."
    ]
    assert b"A percent cannot be more than 100." in response.content
    assert not Figure.objects.exists()


def test_adding_a_figure_records_who_saved_it(admin_client, admin_user):
    metric = make_metric(scope=Metric.Scope.NATIONAL)
    make_edition(2023, published=False)

    response = admin_client.post(f"{FIGURES}add/", add_figure_data(metric, value="42"))

    assert response.status_code == 302
    figure = Figure.objects.get()
    assert figure.value == 42
    assert figure.updated_by == admin_user


def test_saving_a_program_records_who_saved_it(admin_client, admin_user):
    program = make_program(name="Team HOPE", slug="team-hope")

    response = admin_client.post(
        f"/admin/programs/program/{program.pk}/change/",
        {
            "name": "Team HOPE",
            "slug": "team-hope",
            "work_area": program.work_area,
            "summary": "A peer support network.",
            "body": "",
            "position": 3,
            "is_published": "on",
            "metrics-TOTAL_FORMS": 0,
            "metrics-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.summary == "A peer support network."
    assert program.updated_by == admin_user


# Links to the public site


@pytest.mark.usefixtures("demo")
def test_program_list_links_to_the_public_page_of_a_published_program(admin_client):
    response = admin_client.get("/admin/programs/program/")

    assert b'<a href="/programs/cybertipline/">/programs/cybertipline/</a>' in response.content


def test_program_list_gives_no_public_link_for_an_unpublished_program(admin_client):
    make_program(slug="draft-program", is_published=False)

    response = admin_client.get("/admin/programs/program/")

    assert b"/programs/draft-program/" not in response.content
    assert b"Not published" in response.content


def test_unpublished_program_page_has_no_view_on_site_button(admin_client):
    published = make_program(is_published=True)
    draft = make_program(is_published=False)

    assert b"View on site" in (
        admin_client.get(f"/admin/programs/program/{published.pk}/change/").content
    )
    assert b"View on site" not in (
        admin_client.get(f"/admin/programs/program/{draft.pk}/change/").content
    )


# An import writes the figure between the form's checks and its save


@contextmanager
def import_before_the_next_figure_save(row):
    """While open, the next figure the admin saves is preceded by an import of ``row``
    (year, state, metric key, value): the project's importer writes the same figure after
    the form's validate_unique passed, as a concurrent import would. The importer writes
    with SQL of its own, so it fires no signal back."""
    done = []

    def import_first(sender, instance, **kwargs):
        if not done:
            done.append(True)
            table = Table(columns=("year", "state", "metric", "value"), rows=[row], first_row=2)
            assert figures_import(table=table).ok

    pre_save.connect(import_first, sender=Figure)
    try:
        yield done
    finally:
        pre_save.disconnect(import_first, sender=Figure)


@pytest.mark.parametrize("place", ["state", "national"])
def test_adding_a_figure_an_import_saved_a_moment_before_shows_a_sentence_not_a_500(
    admin_client, minnesota, place
):
    scope = Metric.Scope.STATE if place == "state" else Metric.Scope.NATIONAL
    metric = make_metric(scope=scope, label="Cases handled", key="cases-handled")
    make_edition(2024, published=False)
    state = minnesota if place == "state" else None
    data = add_figure_data(metric, year=2024, state=state.pk if state else "", value="42")

    with import_before_the_next_figure_save(("2024", state.code if state else "US",
                                             metric.key, "7")) as imported:  # fmt: skip
        response = admin_client.post(f"{FIGURES}add/", data)

    assert imported
    assert response.status_code == 200
    where = "Minnesota" if state else "United States"
    sentence = (
        f"A figure for {where}, Cases handled, 2024 was saved by someone else a moment ago: "
        "reload to edit it."
    )
    assert response.context["adminform"].form.non_field_errors() == [sentence]
    assert sentence in response.content.decode()
    # The form keeps what was typed; the admin saved nothing of its own.
    assert response.context["adminform"].form["value"].value() == "42"
    assert not Figure.objects.filter(value=42).exists()
