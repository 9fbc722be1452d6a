"""A year as readers write it, read one way everywhere: the year addresses
(/states/minnesota/2023/), every ``?year=`` of the pages, the downloads' and the API's
year filter, an import file's year column and the commands that take a year.

A year is four ASCII digits, the first not 0 ("2023"); whitespace around them is let
through, as an import's cells and a filter's comma-separated values always were.
"0123", "02023", "２０２３" (full-width digits), "2023.0", "+2023" and "" are not years.
A query string with a malformed year is answered with a 400, an address with one
(which the converter does not match) with a 404.
"""

import argparse
import re

PATTERN = "[1-9][0-9]{3}"  # [0-9], unlike \d, is ASCII only
YEAR = re.compile(PATTERN)
MESSAGE = "The year must be written as four digits, like 2023."


class YearError(ValueError):
    """A text that is not a year; its message is for readers, ``text`` what they wrote."""

    def __init__(self, text, message=MESSAGE):
        super().__init__(message)
        self.text = text


def parse_year(text: str) -> int:
    """The year ``text`` writes, or a YearError."""
    if not isinstance(text, str) or not YEAR.fullmatch(text.strip()):
        raise YearError(text)
    return int(text.strip())


def year_in_query(query, name="year") -> int | None:
    """The one year a query string asks for, or None when it asks for none. An empty
    value counts as none (a form's "latest" choice sends ``?year=``); a malformed one is
    a YearError, even beside a good one (``?year=2023&year=abc``); of several good ones
    the last counts, as ``QueryDict.get`` reads it."""
    year = None
    for value in query.getlist(name):
        if value.strip():
            year = parse_year(value)
    return year


def year_argument(text: str) -> int:
    """parse_year for a command's argument (``type=year_argument``): argparse then says
    what is wrong in the parser's words."""
    try:
        return parse_year(text)
    except YearError as error:
        raise argparse.ArgumentTypeError(f"“{text}”: {error}") from None


class YearConverter:
    """``<year:year>`` in an address: a year as parse_year reads it, without the
    whitespace. ``<int:year>`` took /states/minnesota/02023/ too, the same page at a
    second address (and a second copy in every cache); that is a 404."""

    regex = PATTERN

    def to_python(self, value):
        return parse_year(value)

    def to_url(self, value):
        return str(value)
