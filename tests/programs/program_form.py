"""The program form as the admin posts it, with rows of its metrics inline: what the tests
of programs' and metrics' admin pages share."""

from programs.models import WorkArea


def inline(n, **fields):
    """The fields of the program form's nth metric row."""
    return {f"metrics-{n}-{name}": value for name, value in fields.items()}


def program_form(*metric_rows, initial=0, **fields):
    """The program form as the admin posts it, with these new metric rows."""
    data = {
        "name": "ADAM",
        "slug": "adam",
        "work_area": WorkArea.MISSING,
        "summary": "ADAM distributes posters of missing children.",
        "body": "",
        "position": "",
        "metrics-TOTAL_FORMS": str(initial + len(metric_rows)),
        "metrics-INITIAL_FORMS": str(initial),
        "metrics-MIN_NUM_FORMS": "0",
        "metrics-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for n, row in enumerate(metric_rows, start=initial):
        data.update(inline(n, **row))
    return data


def metric_row(key, **fields):
    return {
        "key": key, "label": key.replace("-", " ").capitalize(), "scope": "national",
        "unit": "count", "period": "year", "first_year": "2020", "definition": "",
        "sentence": "", "position": "", **fields,
    }  # fmt: skip
