"""A new program or metric goes after the others unless given a position: left blank, its
position is assigned as it is saved, on every path (the admin's form, its inline, code),
so that it never jumps ahead of the others on the fact sheets."""

from django.urls import reverse

from programs.models import Metric, Program, WorkArea
from tests.conftest import main_of, make_figure, make_metric, make_program, page_text
from tests.programs.program_form import metric_row, program_form


def test_a_new_program_goes_last_in_its_work_area(db):
    first = make_program(name="Zeta", position=7)
    make_program(name="Elsewhere", work_area=WorkArea.EDUCATION, position=40)

    new = make_program(name="Alpha")

    assert new.position == 8
    assert list(Program.objects.filter(work_area=first.work_area)) == [first, new]


def test_a_new_metric_goes_last_in_its_program(db):
    program = make_program()
    make_metric(program, position=3)
    make_metric(make_program(), position=9)  # another program's

    assert make_metric(program).position == 4
    assert make_metric(make_program()).position == 1  # the first of its program


def test_a_position_given_is_kept_and_a_blank_one_is_allowed(db):
    program = Program(name="Given", slug="given", work_area=WorkArea.MISSING, summary="S.")
    program.full_clean()  # a blank position is no error: saving fills it in
    program.position = 0
    program.save()

    assert Program.objects.get(slug="given").position == 0


def test_a_program_added_in_the_admin_with_no_position_goes_last(db, admin_client):
    earlier = make_program(work_area=WorkArea.MISSING, position=5)

    response = admin_client.post(reverse("admin:programs_program_add"), program_form())

    assert response.status_code == 302
    assert Program.objects.get(slug="adam").position == 6
    assert list(Program.objects.filter(work_area=WorkArea.MISSING))[0] == earlier


def test_metrics_added_in_the_program_form_go_last_in_their_order(db, admin_client):
    program = make_program(slug="adam", work_area=WorkArea.MISSING, is_published=False)
    existing = make_metric(program, position=4)
    data = program_form(
        metric_row("adam-a"),
        metric_row("adam-b"),
        initial=1,
        name=program.name,
        position=program.position,
        **{
            "metrics-0-id": existing.pk, "metrics-0-program": program.pk,
            "metrics-0-key": existing.key, "metrics-0-label": existing.label,
            "metrics-0-scope": existing.scope, "metrics-0-unit": existing.unit,
            "metrics-0-period": existing.period, "metrics-0-first_year": existing.first_year,
            "metrics-0-definition": "", "metrics-0-sentence": existing.sentence,
            "metrics-0-position": "4",
        },
    )  # fmt: skip

    response = admin_client.post(reverse("admin:programs_program_change", args=[program.pk]), data)

    assert response.status_code == 302, response.context["errors"]
    positions = dict(Metric.objects.filter(program=program).values_list("key", "position"))
    assert positions == {existing.key: 4, "adam-a": 5, "adam-b": 6}


def test_a_new_program_reads_after_the_others_on_the_fact_sheet(demo, minnesota, anonymous):
    program = make_program(name="A new program", work_area=WorkArea.EXPLOITATION)
    metric = make_metric(
        program, sentence="In {year}, {value} posters were new in {state}.", definition="D."
    )
    make_figure(metric, state=minnesota, value=5)

    text = page_text(main_of(anonymous.get("/states/minnesota/2023/")))

    cybertipline = text.index("CyberTipline reports were made available to law enforcement")
    assert cybertipline < text.index("5 posters were new in Minnesota")
