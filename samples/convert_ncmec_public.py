"""Convert NCMEC's public tables (samples/ncmec-public/, copied verbatim from the
project's shared data) into the site's import files, which the demo loads:

    python3 samples/convert_ncmec_public.py

writes samples/cybertipline-*.csv in the import format (year, state, metric, value,
qualifier, source, note; docs/importing.md). Run once when the tables change; the files
are committed, and tests/programs/test_demo_tables.py checks them against the tables.

What becomes what (the metrics are in programs/demo_catalog/):
- reports per year: cybertipline-reports-received, national, 1998-2022. Its 2023 figure
  is the fact sheet's "36.2 million" given exactly: it is in the fact sheet's file
  (ncmec-figures-2023.csv), with this table as its source, so that the seed alone (what
  most tests load) has it.
- reports by state: cybertipline-reports-by-state for the 50 states, and each state's
  population (population); the "Subtotal" and "Unspecified" rows are the two parts of
  the United States row of the by-country table, whose 2023 figure is the "Total";
  the Total's population is population-united-states.
- the United States row of the by-country table: cybertipline-reports-united-states.
- report contents: the "total" rows are the reports per year again (not repeated);
  the rest are a metric each, the user locations and kinds of exploitation being the
  two breakdowns of the reports received, the photos, videos and other files the parts
  of the pieces of reported content.
- recipients: a metric for each recipient and level of detail.
Uses only the standard library.
"""

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLES = HERE / "ncmec-public"
COLUMNS = ["year", "state", "metric", "value", "qualifier", "source", "note"]

APPENDIX_A = "OJJDP–NCMEC Transparency Report, calendar year 2023, Appendix A"
TRANSPARENCY = "OJJDP–NCMEC Transparency Reports, calendar years 2022 and 2023"
BY_STATE = "NCMEC, 2023 CyberTipline Reports by State"
CENSUS = "U.S. Census Bureau, Vintage 2023 population estimates (July 1, 2023)"
BY_COUNTRY = "NCMEC, CyberTipline Reports by Country, {year}"

USER_LOCATION = {
    "U.S.": "cybertipline-user-in-united-states",
    "international": "cybertipline-user-international",
    "unknown": "cybertipline-user-location-unknown",
}
KIND = {
    "child pornography": "cybertipline-incident-child-pornography",
    "misleading words/images online": "cybertipline-incident-misleading-words-images",
    "online enticement of children": "cybertipline-incident-online-enticement",
    "child sex trafficking": "cybertipline-incident-child-sex-trafficking",
    "obscene material sent to a child": "cybertipline-incident-obscene-material",
    "misleading domain name": "cybertipline-incident-misleading-domain-name",
    "child sexual molestation": "cybertipline-incident-child-sexual-molestation",
    "child sex tourism": "cybertipline-incident-child-sex-tourism",
}
ATTACHMENTS = {
    "photos": "cybertipline-content-photos",
    "videos": "cybertipline-content-videos",
    "other": "cybertipline-content-other-files",
    "unique photos": "cybertipline-content-unique-photos",
    "similar photos": "cybertipline-content-similar-photos",
    "unique videos": "cybertipline-content-unique-videos",
    "similar videos": "cybertipline-content-similar-videos",
}
REPORTS = {
    "with unique photos/videos": "cybertipline-reports-unique-media",
    "with similar photos/videos": "cybertipline-reports-similar-media",
}
CONTENTS = {"user location": USER_LOCATION, "kind of exploitation": KIND,
            "attachments": ATTACHMENTS, "reports": REPORTS}  # fmt: skip
RECIPIENTS = {
    "internet crimes against children units": "icac",
    "local law enforcement": "local",
    "federal law enforcement": "federal",
    "international law enforcement": "international",
}


def number(text):
    """A published number ("10,407") as digits ("10407")."""
    return str(int(text.replace(",", "")))


def read(name):
    with open(TABLES / name, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def row(year, metric, value, source, state="US"):
    return {"year": year, "state": state, "metric": metric, "value": number(value),
            "qualifier": "", "source": source, "note": ""}  # fmt: skip


def per_year():
    rows = [row(r["year"], "cybertipline-reports-received", r["reports"], APPENDIX_A)
            for r in read("cybertipline-reports-per-year.csv") if r["year"] != "2023"]  # fmt: skip
    return sorted(rows, key=lambda r: int(r["year"]))


def by_state():
    rows = []
    for r in read("cybertipline-reports-by-state-2023.csv"):
        year, place = r["year"], r["state"]
        if place == "Subtotal":
            rows.append(row(year, "cybertipline-united-states-in-a-state", r["reports"], BY_STATE))
        elif place == "Unspecified":
            rows.append(row(year, "cybertipline-united-states-state-unspecified", r["reports"],
                            BY_STATE))  # fmt: skip
        elif place == "Total":  # its reports are the by-country table's 2023 figure
            rows.append(row(year, "population-united-states", r["population"], CENSUS))
        else:
            rows.append(row(year, "cybertipline-reports-by-state", r["reports"], BY_STATE, place))
            rows.append(row(year, "population", r["population"], CENSUS, place))
    return rows


def united_states():
    return [row(r["year"], "cybertipline-reports-united-states", r["reports"],
                BY_COUNTRY.format(year=r["year"]))
            for r in read("cybertipline-reports-united-states-by-country-table.csv")]  # fmt: skip


def contents():
    rows = []
    for r in read("cybertipline-report-contents-2020-2023.csv"):
        if r["category"] == "reports" and r["label"] == "total":
            continue  # the reports received, from Appendix A
        metric = CONTENTS[r["category"]][r["label"]]
        rows.append(row(r["year"], metric, r["quantity"], TRANSPARENCY))
    return rows


def recipients():
    return [row(r["year"], f"cybertipline-to-{RECIPIENTS[r['recipients']]}-{r['level_of_detail']}",
                r["reports"], TRANSPARENCY)
            for r in read("cybertipline-report-recipients-2020-2023.csv")]  # fmt: skip


FILES = {
    "cybertipline-reports-per-year-1998-2022.csv": per_year,
    "cybertipline-reports-by-state-2023.csv": by_state,
    "cybertipline-reports-united-states-2019-2023.csv": united_states,
    "cybertipline-report-contents-2020-2023.csv": contents,
    "cybertipline-report-recipients-2020-2023.csv": recipients,
}


def main():
    for name, rows_of in FILES.items():
        with open(HERE / name, "w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows_of())
        print(f"wrote samples/{name}")


if __name__ == "__main__":
    main()
