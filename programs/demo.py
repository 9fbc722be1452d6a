"""The demo data: NCMEC's programs and metrics, and every figure of its Minnesota 2023
fact sheet (shared/seed/ncmec-minnesota-2023.md), national and Minnesota, as given there.

No figure here is invented: states other than Minnesota have none.
"""

from decimal import Decimal

from states.models import State

from .models import Edition, Figure, Metric, Program, WorkArea, public_change
from .publishing import edition_publish, editions_ensure

SOURCE = "NCMEC, Minnesota Data fact sheet, 2023"

PROGRAMS = [
    {
        "slug": "cybertipline",
        "name": "CyberTipline",
        "work_area": WorkArea.EXPLOITATION,
        "position": 1,
        "summary": "NCMEC operates the CyberTipline, the national mechanism for members of "
        "the public and online platforms to report suspected child sexual exploitation.",
        "body": "NCMEC operates the CyberTipline, the national mechanism for members of the "
        "public and online platforms to report suspected child sexual exploitation.\n\n"
        "Reports are reviewed and made available to the law enforcement agencies that can "
        "act on them, in the state or territory where they belong.",
    },
    {
        "slug": "child-victim-identification-program",
        "name": "Child Victim Identification Program",
        "work_area": WorkArea.EXPLOITATION,
        "position": 2,
        "summary": "NCMEC also operates the Child Victim Identification Program (CVIP) that "
        "helps identify children depicted in imagery seized by law enforcement during "
        "investigations.",
        "body": "The Child Victim Identification Program (CVIP) helps identify children "
        "depicted in imagery seized by law enforcement during investigations. Law "
        "enforcement agencies submit child sexual exploitation material for NCMEC to review.",
    },
    {
        "slug": "missing-child-case-assistance",
        "name": "Missing Child Case Assistance",
        "work_area": WorkArea.MISSING,
        "position": 1,
        "summary": "NCMEC assists law enforcement, families, and social service agencies on "
        "missing child cases. Children who run away from a social services facility are "
        "uniquely vulnerable to homelessness, gang involvement, and sex trafficking.",
        "body": "NCMEC assists law enforcement, families, and social service agencies on "
        "missing child cases.\n\nChildren who run away from a social services facility are "
        "uniquely vulnerable to homelessness, gang involvement, and sex trafficking.",
    },
    {
        "slug": "child-sex-trafficking-recovery-services",
        "name": "Child Sex Trafficking Recovery Services",
        "work_area": WorkArea.TRAFFICKING,
        "position": 1,
        "summary": "NCMEC leverages open-source data and technology tools to support law "
        "enforcement's work on reports of child sex trafficking. NCMEC also provides "
        "recovery services to assist on child sex trafficking cases, including: (1) "
        "case-based assistance to develop trauma-informed, victim-centered recovery plans; "
        "(2) resources and support to develop effective strategies for youth engagement, "
        "trauma responses, and to address running behavior; and (3) developing "
        "multidisciplinary efforts to prevent re-victimization.",
        "body": "NCMEC leverages open-source data and technology tools to support law "
        "enforcement's work on reports of child sex trafficking.\n\nNCMEC also provides "
        "recovery services to assist on child sex trafficking cases, including: (1) "
        "case-based assistance to develop trauma-informed, victim-centered recovery plans; "
        "(2) resources and support to develop effective strategies for youth engagement, "
        "trauma responses, and to address running behavior; and (3) developing "
        "multidisciplinary efforts to prevent re-victimization.",
    },
    {
        "slug": "team-hope",
        "name": "Team HOPE",
        "work_area": WorkArea.SURVIVORS,
        "position": 1,
        "summary": "NCMEC's Team HOPE is a peer support network of individuals who were "
        "missing or exploited as children or have experienced having a missing or "
        "exploited child.",
        "body": "NCMEC's Team HOPE is a peer support network of individuals who were missing "
        "or exploited as children or have experienced having a missing or exploited child.",
    },
    {
        "slug": "family-advocacy-outreach-network",
        "name": "Family Advocacy Outreach Network",
        "work_area": WorkArea.SURVIVORS,
        "position": 2,
        "summary": "NCMEC also facilitates the Family Advocacy Outreach Network, a network of "
        "experienced mental health professionals who provide free or low-cost therapeutic "
        "services to survivors/families.",
        "body": "The Family Advocacy Outreach Network is a network of experienced mental "
        "health professionals who provide free or low-cost therapeutic services to "
        "survivors and families.",
    },
    {
        "slug": "team-adam",
        "name": "Team Adam",
        "work_area": WorkArea.SURVIVORS,
        "position": 3,
        "summary": "At the request of law enforcement, NCMEC activates Team Adam on incidents "
        "involving critically missing children and to assist on long-term missing children "
        "cases.",
        "body": "At the request of law enforcement, NCMEC activates Team Adam on incidents "
        "involving critically missing children and to assist on long-term missing children "
        "cases.",
    },
    {
        "slug": "ncmec-connect",
        "name": "NCMEC CONNECT",
        "work_area": WorkArea.EDUCATION,
        "position": 1,
        "summary": "NCMEC is committed to providing educational opportunities and resources "
        "to law enforcement and child-serving professionals through in-person education "
        "sessions across the country and online through NCMEC CONNECT.",
        "body": "NCMEC is committed to providing educational opportunities and resources to "
        "law enforcement and child-serving professionals through in-person education "
        "sessions across the country and online through NCMEC CONNECT.",
    },
]

N, S = Metric.Scope.NATIONAL, Metric.Scope.STATE
PCT = Metric.Unit.PERCENT

# (program slug, key, scope, label, sentence, extra fields)
METRICS = [
    (
        "cybertipline",
        "cybertipline-reports-received",
        N,
        "Reports received",
        "In {year}, the CyberTipline received {value} reports related to child sexual "
        "exploitation.",
        {},
    ),
    (
        "cybertipline",
        "cybertipline-content-pieces",
        N,
        "Pieces of reported content",
        "The reports received in {year} contained {value} pieces of reported content.",
        {},
    ),
    (
        "cybertipline",
        "cybertipline-reports-to-law-enforcement",
        S,
        "Reports made available to law enforcement",
        "In {year}, {value} CyberTipline reports were made available to law enforcement in "
        "{state}.",
        {},
    ),
    (
        "child-victim-identification-program",
        "cvip-children-identified",
        N,
        "Children identified with NCMEC's support",
        "NCMEC has supported law enforcement's identification of {value} children.",
        {},
    ),
    (
        "child-victim-identification-program",
        "cvip-submissions-reviewed",
        S,
        "Submissions reviewed",
        "In {year}, NCMEC reviewed {value} submissions of child sexual exploitation material "
        "from {state} law enforcement.",
        {},
    ),
    (
        "missing-child-case-assistance",
        "missing-cases-assisted",
        N,
        "Missing child cases assisted",
        "In {year}, NCMEC assisted law enforcement, families, and social service agencies on "
        "{value} missing child cases.",
        {},
    ),
    (
        "missing-child-case-assistance",
        "missing-cases-runaway-social-services",
        N,
        "Cases of children who ran away from a social services facility",
        "Of these cases, {value} involved children who had run away from a social services "
        "facility.",
        {},
    ),
    (
        "missing-child-case-assistance",
        "missing-runaways-likely-trafficking-percent",
        N,
        "Runaways from social services likely victims of child sex trafficking",
        "Based on NCMEC's analysis, {value} of these children were likely victims of child sex "
        "trafficking.",
        {"unit": PCT},
    ),
    (
        "missing-child-case-assistance",
        "missing-cases-handled",
        S,
        "Missing child cases handled",
        "In {year}, NCMEC handled {value} cases of missing children from {state}.",
        {},
    ),
    (
        "missing-child-case-assistance",
        "missing-cases-social-services",
        S,
        "Children Missing From Social Services Facility",
        "",
        {"parent": "missing-cases-handled"},
    ),
    (
        "missing-child-case-assistance",
        "missing-cases-other",
        S,
        "Other Missing Children Cases",
        "",
        {"parent": "missing-cases-handled"},
    ),
    (
        "missing-child-case-assistance",
        "missing-cases-hhs-orr",
        S,
        "Children Reported Missing by Office of Refugee Resettlement (HHS-ORR)",
        "",
        {"parent": "missing-cases-handled"},
    ),
    (
        "child-sex-trafficking-recovery-services",
        "trafficking-reports-received",
        N,
        "Reports relating to child sex trafficking",
        "In {year}, NCMEC received {value} reports relating to child sex trafficking.",
        {},
    ),
    (
        "child-sex-trafficking-recovery-services",
        "trafficking-agency-engagements",
        S,
        "Engagements with social service agencies",
        "In {year}, NCMEC had {value} engagements with {state} social service agencies on "
        "cases involving child sex trafficking.",
        {},
    ),
    (
        "team-hope",
        "team-hope-survivors-families-supported",
        N,
        "Survivors and families supported",
        "In {year}, Team HOPE supported {value} survivors and families with peer support.",
        {},
    ),
    (
        "team-hope",
        "team-hope-survivors-families",
        S,
        "Survivors and families supported",
        "In {year}, Team HOPE supported {value} survivors/families in {state}.",
        {},
    ),
    (
        "family-advocacy-outreach-network",
        "faon-mental-health-connections",
        S,
        "Survivors and families connected to mental health services",
        "In {year}, NCMEC connected {value} survivors/families to mental health services in "
        "{state}.",
        {},
    ),
    (
        "team-adam",
        "team-adam-incidents",
        N,
        "Incidents Team Adam was activated on",
        "In {year}, at the request of law enforcement, Team Adam was activated on {value} "
        "incidents involving critically missing children.",
        {},
    ),
    (
        "team-adam",
        "team-adam-long-term-cases",
        N,
        "Long-term missing children cases assisted",
        "In {year}, Team Adam provided assistance on {value} long-term missing children cases.",
        {},
    ),
    (
        "ncmec-connect",
        "connect-registered-users",
        N,
        "Registered users",
        "In {year}, NCMEC CONNECT had {value} registered users.",
        {},
    ),
    (
        "ncmec-connect",
        "connect-new-professionals",
        S,
        "New law enforcement and child-serving professionals",
        "In {year}, {value} new law enforcement and child-serving professionals in {state} "
        "joined NCMEC CONNECT.",
        {},
    ),
]

# What each state figure counts, in the fact sheet's own words.
DEFINITIONS = {
    "cybertipline-reports-to-law-enforcement": "CyberTipline reports of suspected child "
    "sexual exploitation made available to law enforcement in the state.",
    "cvip-submissions-reviewed": "Submissions of child sexual exploitation material from the "
    "state's law enforcement that NCMEC reviewed to help identify the children depicted.",
    "missing-cases-handled": "Cases of missing children from the state that NCMEC handled, "
    "broken down into children missing from a social services facility, children reported "
    "missing by the Office of Refugee Resettlement (HHS-ORR), and other cases.",
    "trafficking-agency-engagements": "Engagements with the state's social service agencies "
    "on cases involving child sex trafficking.",
    "team-hope-survivors-families": "Survivors and families in the state supported by Team "
    "HOPE's peer support network.",
    "faon-mental-health-connections": "Survivors and families in the state connected to "
    "mental health services through the Family Advocacy Outreach Network.",
    "connect-new-professionals": "Law enforcement and child-serving professionals in the "
    "state who newly registered with NCMEC CONNECT.",
}

MORE_THAN = Figure.Qualifier.MORE_THAN
ROUNDED = Figure.Qualifier.ROUNDED

# (metric key, state code or None for national, value, qualifier), all for 2023.
FIGURES_2023 = [
    ("cybertipline-reports-received", None, "36200000", ROUNDED),
    ("cybertipline-content-pieces", None, "105000000", MORE_THAN),
    ("cvip-children-identified", None, "27130", ""),
    ("missing-cases-assisted", None, "28886", ""),
    ("missing-cases-runaway-social-services", None, "22442", ""),
    ("missing-runaways-likely-trafficking-percent", None, "19", ""),
    ("trafficking-reports-received", None, "18400", MORE_THAN),
    ("team-hope-survivors-families-supported", None, "5759", ""),
    ("team-adam-incidents", None, "57", ""),
    ("team-adam-long-term-cases", None, "146", ""),
    ("connect-registered-users", None, "18000", MORE_THAN),
    ("cybertipline-reports-to-law-enforcement", "MN", "8611", ""),
    ("cvip-submissions-reviewed", "MN", "128", ""),
    ("missing-cases-handled", "MN", "201", ""),
    ("missing-cases-social-services", "MN", "135", ""),
    ("missing-cases-other", "MN", "57", ""),
    ("missing-cases-hhs-orr", "MN", "9", ""),
    ("trafficking-agency-engagements", "MN", "22", ""),
    ("team-hope-survivors-families", "MN", "66", ""),
    ("faon-mental-health-connections", "MN", "55", ""),
    ("connect-new-professionals", "MN", "91", ""),
]


def _save(model, existing, lookup, values):
    """Create or update one row, through full_clean so the demo obeys the model's rules.

    ``existing`` maps a row's lookup values to the saved row: the demo reads each table
    once instead of once per row (the test suite loads it hundreds of times).
    """
    obj = existing.get(tuple(lookup.values())) or model(**lookup)
    changed = obj.pk is None
    for name, value in values.items():
        field = model._meta.get_field(name)
        new = value.pk if field.is_relation and value is not None else value
        if getattr(obj, field.attname) != new:
            setattr(obj, name, value)
            changed = True
    if changed:
        # The model's rules (clean()) and field checks run; the constraints are left to the
        # database, which enforces them on save anyway, saving a query and two savepoints
        # per constraint per row.
        obj.full_clean(validate_constraints=False)
        obj._change_reason = "Demo data (the seed's Minnesota 2023 fact sheet)"
        obj.save()
    return obj


def demo_data_load() -> dict[str, int]:
    """Load the seed's programs, metrics and 2023 figures; running it again changes nothing."""
    with public_change():
        return _load()


def _load():
    saved_programs = {(p.slug,): p for p in Program.objects.all()}
    programs = {
        spec["slug"]: _save(
            Program,
            saved_programs,
            {"slug": spec["slug"]},
            {**{k: v for k, v in spec.items() if k != "slug"}, "is_published": True},
        )
        for spec in PROGRAMS
    }
    saved_metrics = {(m.key,): m for m in Metric.objects.all()}
    metrics = {}
    for position, (program, key, scope, label, sentence, extra) in enumerate(METRICS, 1):
        extra = dict(extra)
        if "parent" in extra:
            extra["parent"] = metrics[extra["parent"]]
        metrics[key] = _save(
            Metric,
            saved_metrics,
            {"key": key},
            {
                "program": programs[program],
                "scope": scope,
                "label": label,
                "sentence": sentence,
                "position": position,
                "definition": DEFINITIONS.get(key, ""),
                "first_year": 2023,
                **extra,
            },
        )
    edition = Edition.objects.filter(year=2023).first()
    if edition is None:
        editions_ensure([2023], reason="Demo data")
        edition_publish(edition=Edition.objects.get(year=2023), reason="Demo data")
    states = {state.code: state for state in State.objects.all()}
    saved_figures = {
        (f.metric, f.year, f.state): f
        for f in Figure.objects.for_year(2023).select_related("metric", "state")
    }
    for key, code, value, qualifier in FIGURES_2023:
        _save(
            Figure,
            saved_figures,
            {"metric": metrics[key], "year": 2023, "state": states[code] if code else None},
            {"value": Decimal(value), "qualifier": qualifier, "source": SOURCE},
        )
    return {"programs": len(programs), "metrics": len(metrics), "figures": len(FIGURES_2023)}
