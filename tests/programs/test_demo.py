from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from programs.corrections import Proposal, pending_changes_publish, pending_changes_stage
from programs.demo import DemoLoad, demo_catalog
from programs.models import Edition, Figure, Metric, Program, Source, public_change
from programs.publishing import edition_unpublish
from tests.conftest import make_metric, make_program, page_text

pytestmark = pytest.mark.django_db

CREATED_ALL = (
    "Demo data: created 8 programs, 55 metrics, 10 sources and 26 editions with 266 figures."
)
NOTHING_TO_ADD = (
    "Demo data: nothing to add; 8 programs, 55 metrics, 10 sources and 26 editions were "
    "already there and were left as they are."
)

# Every figure of the seed (shared/seed/ncmec-minnesota-2023.md), as its fact sheet reads.
SEED_SENTENCES = [
    "In 2023, the CyberTipline received 36.2 million reports related to child sexual "
    "exploitation.",
    "The reports received in 2023 contained more than 105 million pieces of reported content.",
    "In 2023, 8,611 CyberTipline reports were made available to law enforcement in Minnesota.",
    "NCMEC has supported law enforcement's identification of 27,130 children.",
    "In 2023, NCMEC reviewed 128 submissions of child sexual exploitation material from "
    "Minnesota law enforcement.",
    "In 2023, NCMEC assisted law enforcement, families, and social service agencies on 28,886 "
    "missing child cases.",
    "Of these cases, 22,442 involved children who had run away from a social services facility.",
    "Based on NCMEC's analysis, 19% of these children were likely victims of child sex "
    "trafficking.",
    "In 2023, NCMEC handled 201 cases of missing children from Minnesota.",
    "Children Missing From Social Services Facility 135",
    "Other Missing Children Cases 57",
    "Children Reported Missing by Office of Refugee Resettlement (HHS-ORR) 9",
    "In 2023, NCMEC received more than 18,400 reports relating to child sex trafficking.",
    "In 2023, NCMEC had 22 engagements with Minnesota social service agencies on cases "
    "involving child sex trafficking.",
    "In 2023, Team HOPE supported 5,759 survivors and families with peer support.",
    "In 2023, Team HOPE supported 66 survivors/families in Minnesota.",
    "In 2023, NCMEC connected 55 survivors/families to mental health services in Minnesota.",
    "In 2023, at the request of law enforcement, Team Adam was activated on 57 incidents "
    "involving critically missing children.",
    "In 2023, Team Adam provided assistance on 146 long-term missing children cases.",
    "In 2023, NCMEC CONNECT had more than 18,000 registered users.",
    "In 2023, 91 new law enforcement and child-serving professionals in Minnesota joined "
    "NCMEC CONNECT.",
]


def load(*args):
    """Run the set-up as `dev.py serve` does; what the command printed."""
    out = StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue().strip()


def everything():
    """Every program, metric, edition and figure as saved, and every history row."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (Program, Metric, Source, Edition, Figure)
    ] + [model.history.count() for model in (Program, Metric, Source, Edition, Figure)]


def test_the_demo_loads_every_seed_figure_into_an_empty_database(client):
    assert load() == CREATED_ALL

    response = client.get("/states/minnesota/2023/")
    assert response.status_code == 200
    text = page_text(response)
    for sentence in SEED_SENTENCES:
        assert sentence in text
    assert Figure.objects.published().count() == 266
    # The 50 states of the by-state table: no figure is invented for DC or a territory.
    places = set(Figure.objects.for_states().values_list("state__kind", flat=True))
    assert places == {"state"}
    assert Figure.objects.for_states().values("state").distinct().count() == 50
    assert list(Edition.objects.values_list("year", flat=True).order_by("year")) == list(
        range(1998, 2024)
    )
    assert not Edition.objects.exclude(status=Edition.Status.PUBLISHED).exists()


def test_the_demo_metrics_say_what_a_figure_covers_and_how_it_reads_for_one():
    load()

    identified = Metric.objects.get(key="cvip-children-identified")
    assert identified.period == Metric.Period.TO_DATE  # "has supported … 27,130 children"
    # Each metric is collected from the year of its (or its parts') first figure: the
    # CyberTipline since 1998, the by-country table since 2019, the fact sheet's 2023.
    for metric in Metric.objects.exclude(program=None):
        years = Figure.objects.filter(Q(metric=metric) | Q(metric__parent=metric))
        first = years.order_by("year").values_list("year", flat=True).first()
        assert metric.first_year == first, metric.key
    assert Metric.objects.get(key="cybertipline-reports-received").years_label == (
        "collected from 1998"
    )
    incidents = Metric.objects.get(key="team-adam-incidents")
    assert incidents.render_sentence(value="1", year=2024, one=True) == (
        "In 2024, at the request of law enforcement, Team Adam was activated on 1 incident "
        "involving critically missing children."
    )
    for metric in Metric.objects.exclude(sentence=""):
        metric.full_clean()


def test_running_the_demo_twice_changes_nothing_and_writes_no_history():
    load()
    before = everything()

    said = load()

    assert everything() == before
    assert said == NOTHING_TO_ADD


def test_staff_edits_to_a_program_a_metric_and_a_figure_stand_after_the_set_up_runs_again(
    admin_user, minnesota
):
    load()
    with public_change(user=admin_user):  # as the admin saves a Publisher's edit
        program = Program.objects.get(slug="team-hope")
        program.summary = "Team HOPE connects families with others who have lived it."
        program._history_user = admin_user
        program.save()
        metric = Metric.objects.get(key="cvip-submissions-reviewed")
        metric.label = "Submissions reviewed for identification"
        metric._history_user = admin_user
        metric.save()
    figure = Figure.objects.get(metric=metric, year=2023, state=minnesota)
    pending_changes_stage(
        proposals=[
            Proposal(metric, 2023, minnesota, figure, value=Decimal(130), source=figure.source)
        ],
        user=admin_user,
        reason="NCMEC corrected the 2023 count",
    )
    pending_changes_publish(year=2023, user=admin_user)
    before = everything()

    said = load("--force")

    assert everything() == before
    assert Program.objects.get(slug="team-hope").summary == (
        "Team HOPE connects families with others who have lived it."
    )
    assert Metric.objects.get(key="cvip-submissions-reviewed").label == (
        "Submissions reviewed for identification"
    )
    assert Figure.objects.get(metric=metric, year=2023).value == 130
    assert Figure.history.filter(history_change_reason__startswith="Demo").count() == 0
    assert said == NOTHING_TO_ADD


def test_a_figure_staff_withdrew_from_the_published_edition_stays_withdrawn(admin_user):
    load()
    figure = Figure.objects.get(metric__key="team-adam-long-term-cases", year=2023)
    pending_changes_stage(
        proposals=[Proposal(figure.metric, 2023, None, figure, withdraw=True)],
        user=admin_user,
        reason="The count is under review",
    )
    pending_changes_publish(year=2023, user=admin_user)

    said = load("--force")

    assert not Figure.objects.filter(metric__key="team-adam-long-term-cases").exists()
    assert Figure.objects.count() == 265
    assert said == NOTHING_TO_ADD


def test_a_deleted_metric_is_created_again_and_nothing_else_is_touched(admin_user):
    load()
    with public_change(user=admin_user):
        edition_unpublish(edition=Edition.objects.get(year=2023), user=admin_user)
        Figure.objects.get(metric__key="team-adam-long-term-cases").delete()
        Metric.objects.get(key="team-adam-long-term-cases").delete()
    figures = list(Figure.objects.order_by("pk").values())

    said = load("--force")

    metric = Metric.objects.get(key="team-adam-long-term-cases")
    assert metric.program.slug == "team-adam"
    assert metric.label == "Long-term missing children cases assisted"
    # The edition was there, a draft: its figures and status are as staff left them.
    assert list(Figure.objects.order_by("pk").values()) == figures
    assert not Edition.objects.get(year=2023).is_published
    assert said == (
        "Demo data: created 1 metric; 8 programs, 54 metrics, 10 sources and 26 editions "
        "were already there and were left as they are."
    )


def test_figures_that_a_staff_metric_refuses_save_nothing_at_all():
    program = make_program(name="Child Victim Identification", slug="cvip")
    make_metric(program, key="cvip-children-identified", scope="national", first_year=2024)

    with pytest.raises(CommandError, match="cvip-children-identified"):
        load("--force")

    assert list(Program.objects.values_list("slug", flat=True)) == ["cvip"]
    assert Metric.objects.count() == 1
    assert not Edition.objects.exists()


def test_a_staff_metric_with_a_demo_metrics_label_saves_nothing_and_says_which():
    make_metric(key="staff-reports", label="Reports received", scope="national")

    with pytest.raises(CommandError, match="“Reports received” is already the label of the "
                       "national metric “staff-reports”"):  # fmt: skip
        load("--force")

    assert Metric.objects.count() == 1
    assert not Edition.objects.exists()


def test_every_metric_page_of_the_demo_can_say_what_it_counts():
    metrics = [metric for metric in demo_catalog()["metrics"] if metric.get("program")]

    # A definition; or in its stead, the sentence a national metric's page quotes, or the
    # total a part's page names.
    assert all(
        metric.get("definition")
        or (metric["scope"] == "national" and metric.get("sentence"))
        or metric.get("parent")
        for metric in metrics
    )


def test_every_metric_of_the_demo_has_a_label_of_its_own():
    labels = [metric["label"].lower() for metric in demo_catalog()["metrics"]]

    assert len(labels) == len(set(labels)) == 55


@pytest.mark.parametrize(
    ("done", "sentence"),
    [
        (
            DemoLoad((1, 0), (1, 0), (0, 0), (1, 0), 1),
            "Demo data: created 1 program, 1 metric and 1 edition with 1 figure.",
        ),
        (
            DemoLoad((0, 1), (0, 0), (0, 0), (0, 1), 0),
            "Demo data: nothing to add; 1 program and 1 edition were already there and were "
            "left as they are.",
        ),
        (
            DemoLoad((0, 0), (2, 0), (0, 0), (0, 1), 0),
            "Demo data: created 2 metrics; 1 edition was already there and was left as it is.",
        ),
        (
            DemoLoad((0, 1), (0, 0), (1, 0), (1, 0), 0),
            "Demo data: created 1 source and 1 edition with 0 figures; 1 program was already "
            "there and was left as it is.",
        ),
    ],
)
def test_the_demo_says_what_it_did_in_a_sentence(done, sentence):
    assert str(done) == sentence
