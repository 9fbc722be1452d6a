"""A new member of staff's whole job, in Chromium at 1280 px, as they would click it: sign
in, add a program with two metrics (each with its definition and sentence), import
Florida's and New York's 2022 figures for six metrics (twelve figures), read the flag of a
figure typed ten times too large in the preview and on the year's grid, fix the file,
import it again, publish the year as a Publisher, and read the public fact sheet.

Actions, counted as the test takes them (a click or a form sent; typing into a field or
choosing a file is not counted): sign in 1; add the program and its metrics 4 (open the
form, two "Add another Metric", save); import 5 (Programs and figures, Figures, Import,
send the file, confirm); the year's grid 1 (the link in the import's message); import the
fixed file 3 (the grid's Import figures, send, confirm); publish 3 (the message's link to
the grid, "Publish 2022…", "Yes, publish"); the public page 2 (View site, the state). 19
in all, where the issue counted about 40; the test fails at 25. Fields filled: 20 (sign in
2, the program 4, its metrics 6 each, each import its file, whose format the page guesses
from its name), where the issue counted about 55 for two programs and six metrics.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from programs.models import Metric
from states.models import State
from tests.committed import committed_module_data
from tests.conftest import make_figure, make_metric, make_program

from .conftest import SCREENSHOTS

PASSWORD = "a long pass phrase"
JUMP = ("8,611", "86,110")
KNOWN = ("reports-to-police", "families-supported", "trainings-given", "posters-shown")
NEW = (
    ("adam-posters", "ADAM posters distributed", "In {year}, {value} ADAM posters were "
     "distributed in {state}.", "Posters of missing children sent out by the ADAM program."),
    ("adam-recoveries", "Children recovered after an ADAM poster", "In {year}, {value} "
     "children were recovered in {state} after an ADAM poster.", "Children found after a "
     "poster of them was distributed."),
)  # fmt: skip
VALUES = {"FL": (86110, 212, 35, 19, 124502, 7), "NY": (5003, 118, 41, 12, 98311, 4)}


def build_walk():
    """Four state metrics of a published program, Florida's 2021 figure for the first
    (8,611, to be typed ten times larger in 2022), and a Publisher new to the site."""
    program = make_program(name="Existing program", slug="existing-program")
    metrics = [
        make_metric(program, key=key, label=key.replace("-", " ").capitalize(), first_year=2020)
        for key in KNOWN
    ]
    florida = State.objects.get(code="FL")
    make_figure(metrics[0], year=2021, state=florida, value=8611, source="Test source")
    user = get_user_model().objects.create_user("new-staff", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Publishers"))
    return ""


committed_module_data_fixture = committed_module_data(build_walk, name="committed_module_data")


def figures_file(tmp_path, name, florida_reports):
    keys = [*KNOWN, *(key for key, *_ in NEW)]
    lines = ["year,state,metric,value,source"]
    for code, values in VALUES.items():
        for key, value in zip(keys, values, strict=True):
            if code == "FL" and key == KNOWN[0]:
                value = florida_reports
            lines.append(f"2022,{code},{key},{value},Test source")
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def import_file(walk, path):
    """Chooses the file (its format found from its name) and sends it: one action."""
    walk.field("set_input_files", "#id_import_file", path)
    assert walk.page.input_value("#id_format") == "0"  # csv: guessed from the name
    walk.click("input[type=submit][value=Submit]")


class Walk:
    """The staff member's window, counting the actions they take."""

    def __init__(self, page):
        self.page = page
        self.actions = 0
        self.fields = 0
        self.shots = 0

    def click(self, selector):
        self.actions += 1
        self.page.click(selector)
        self.page.wait_for_load_state()

    def field(self, method, selector, *args, **kwargs):
        """Types into a field, ticks it, picks its choice or its file."""
        self.fields += 1
        getattr(self.page, method)(selector, *args, **kwargs)

    def shot(self, name):
        self.shots += 1
        path = SCREENSHOTS / f"staff-walk-{self.shots:02}-{name}-1280.png"
        self.page.screenshot(path=path, full_page=True)

    def text(self):
        return self.page.inner_text("main")


def test_a_new_member_of_staff_publishes_a_year_in_fewer_than_25_actions(live_site, tmp_path):
    context = live_site.browser.new_context(viewport={"width": 1280, "height": 900})
    walk = Walk(context.new_page())
    page = walk.page
    page.goto(live_site.url + "/admin/")
    walk.field("fill", "#id_username", "new-staff")
    walk.field("fill", "#id_password", PASSWORD)
    walk.click("input[type=submit]")
    assert page.title().startswith("Programs, states and figures")

    # A program with two metrics, their definition and sentence in the same form.
    walk.click("a[href$='/admin/programs/program/add/']")
    walk.field("fill", "#id_name", "America's Missing: Broadcast Emergency Response")
    walk.field("select_option", "#id_work_area", "2")
    walk.field(
        "fill", "#id_summary", "Posters of missing children, distributed by the ADAM program."
    )
    walk.field("check", "#id_is_published")
    for n, (key, label, sentence, definition) in enumerate(NEW):
        walk.click(".add-row a")
        walk.field("fill", f"#id_metrics-{n}-key", key)
        walk.field("fill", f"#id_metrics-{n}-label", label)
        walk.field("select_option", f"#id_metrics-{n}-scope", "state")
        walk.field("fill", f"#id_metrics-{n}-first_year", "2020")
        walk.field("fill", f"#id_metrics-{n}-definition", definition)
        walk.field("fill", f"#id_metrics-{n}-sentence", sentence)
    walk.shot("program-form")
    walk.click("input[name=_save]")
    assert "was added successfully" in walk.text()
    assert Metric.objects.get(key="adam-posters").sentence == NEW[0][2]

    # The file, with Florida's reports typed ten times too large: flagged, not refused.
    walk.click(".breadcrumbs a:text-is('Programs and figures')")
    walk.click("a[href$='/admin/programs/figure/']")
    walk.click("a[href$='/admin/programs/figure/import/']")
    import_file(walk, figures_file(tmp_path, "fl-ny-2022.csv", 86110))
    preview = walk.text()
    assert "1 figure to check before you confirm" in preview
    assert "86,110 is 10.0 times 2021's 8,611" in preview
    assert "2022 has no edition yet" in preview
    walk.shot("import-preview")
    walk.click("input[value='Confirm import']")
    assert "12 new figures saved in the draft 2022 edition" in walk.text()

    # The year's grid, from the message: twelve figures there, the flagged one marked.
    walk.click("a:text-is('See 2022: what is there, missing and flagged.')")
    grid = walk.text()
    assert "12 of 336 state figures there" in grid
    assert "86,110" in grid and "10.0 times" in grid
    walk.shot("year-grid")

    # The file fixed and imported again, from the grid.
    walk.click("a:text-is('Import figures')")
    import_file(walk, figures_file(tmp_path, "fl-ny-2022.csv", 8611))
    assert "to check" not in walk.text()
    walk.click("input[value='Confirm import']")
    assert "1 changed figure saved in the draft 2022 edition" in walk.text()

    # Published by the Publisher from the grid, with no flag left to tick.
    walk.click("a:text-is('See 2022: what is there, missing and flagged.')")
    walk.click("a:text-is('Publish 2022…')")
    assert "2022 becomes public: 12 state figures for 2 states; no national figure" in walk.text()
    walk.shot("publish-confirmation")
    walk.click("input[type=submit][value='Yes, publish']")
    assert "Published 2022" in walk.text()

    # What a reader sees.
    walk.click("a:text-is('View site')")
    page.goto(live_site.url + "/states/florida/2022/")
    walk.actions += 1  # the reader's way to the page: counted as one
    body = page.inner_text("main")
    assert "In 2022, 124,502 ADAM posters were distributed in Florida." in body
    assert "8,611" in body

    assert walk.actions < 25, walk.actions
    assert walk.fields == 20, walk.fields
    context.close()
