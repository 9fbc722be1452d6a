"""How a figure and a date are written, the same on every page, download and sentence."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

COUNT = "count"
PERCENT = "percent"

EXACT = ""
MORE_THAN = "more_than"
ROUNDED = "rounded"

MILLION = Decimal(1_000_000)


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def _rounded(value: Decimal) -> str:
    """A figure the source rounds: 36,200,000 reads "36.2 million"."""
    if value >= MILLION:
        millions = (value / MILLION).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()
        return f"{_number(millions)} million"
    return _number(value)


def format_figure(value, unit=COUNT, qualifier=EXACT) -> str:
    """Write a figure as a table does, every digit of it: "8,611", "36,210,368", "more
    than 105,000,000", "19%"; only a figure its source rounded reads "36.2 million" (its
    other digits are not known)."""
    if value is None:
        return ""
    value = Decimal(value)
    text = _rounded(value) if qualifier == ROUNDED else _number(value)
    if unit == PERCENT:
        text = f"{_number(value)}%"
    if qualifier == MORE_THAN:
        text = f"more than {text}"
    return text


def format_for_sentence(value, unit=COUNT, qualifier=EXACT) -> str:
    """A figure as a sentence writes it: as ``format_figure``, but a count of a million or
    more rounded as NCMEC's fact sheets write it ("36.2 million" for 36,210,368, "more
    than 105 million"). Tables, downloads and the API give it exactly."""
    if value is not None and unit == COUNT and Decimal(value) >= MILLION:
        text = _rounded(Decimal(value))
        return f"more than {text}" if qualifier == MORE_THAN else text
    return format_figure(value, unit, qualifier)


def format_rate(rate) -> str:
    """ "181.4": a rate per 100,000 residents as pages write it (reader.rates): always one
    decimal, thousands separated; "" for none."""
    return "" if rate is None else f"{rate:,.1f}"


def plain_number(value) -> str:
    """A figure's value as data, the same in every file, export and API response: digits,
    a point for decimals, no thousands separator, no trailing zeros, never an exponent
    ("8611", "91.5", "0")."""
    return format(Decimal(value).normalize(), "f")


def data_number(value) -> int | float:
    """The value plain_number writes, as a number (a JSON number, a spreadsheet cell): an
    int when whole (8611), else a float (91.5). A figure has at most 15 digits, which a
    float keeps: it is written back as the same digits."""
    text = plain_number(value)
    return float(text) if "." in text else int(text)


def word_list(items):
    """ "2022", "2022 and 2023", "2021, 2022 and 2023": items joined as a sentence does."""
    names = [str(item) for item in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# Dates. The site keeps its time in settings.TIME_ZONE (New York): a correction published
# at 23:30 there is of that day everywhere, though it is the next day in UTC. Month names
# written out here, not by strftime, which would follow the server's locale.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def local_date(when) -> datetime.date:
    """The date of ``when`` where the site keeps its time: an aware datetime (as the
    database gives them) in settings.TIME_ZONE; a date, or a naive datetime, as it is."""
    if isinstance(when, datetime.datetime):
        return timezone.localdate(when) if timezone.is_aware(when) else when.date()
    return when


def format_date(when) -> str:
    """A date as readers read it, on every page, PDF, citation, note and message:
    "6 December 2026", the site's own date (``local_date``); "" for none."""
    if when is None:
        return ""
    day = local_date(when)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_datetime(when) -> str:
    """A moment as readers read it: "6 December 2026, 11:30 pm EST", in the site's time
    zone (``format_date``'s date, then the time)."""
    moment = timezone.localtime(when) if timezone.is_aware(when) else when
    hour = moment.hour % 12 or 12
    noon = "am" if moment.hour < 12 else "pm"
    zone = f" {moment:%Z}" if moment.tzinfo else ""
    return f"{format_date(moment)}, {hour}:{moment:%M} {noon}{zone}"


def data_date(when) -> str:
    """A date as data (downloads, the API, <time datetime>, the sitemap): ISO 8601,
    "2026-12-06", the site's own date (``local_date``); "" for none."""
    return "" if when is None else local_date(when).isoformat()


def data_datetime(when) -> str:
    """A moment as data (the data package's ``created``): ISO 8601 to the second, in the
    site's time zone, "2026-12-06T23:30:00-05:00", so that its date is ``data_date``'s."""
    return timezone.localtime(when).isoformat(timespec="seconds")
