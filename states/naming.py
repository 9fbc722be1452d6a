"""How readers name a state or territory, read one way everywhere.

One state: its USPS code ("MN", "mn"), its name ("Minnesota", "MINNESOTA") or its slug
("minnesota"), for the pages' addresses, the state picker, the API, the commands and
an import file's state column (``find_state``, ``StateIndex``, ``State.objects.lookup``).
The nation, where a state may be left out: "US", "USA", "United States" or "national".

A list of states: USPS codes, separated by commas or by repeating the parameter
(``?states=MN,WI``, ``?state=MN&state=WI``, ``--states MN,WI``): ``parse_state_codes``.
"""

import re

MAX_NAME_LENGTH = 100  # no state's name is longer (State.name); a longer text names none
CODE = re.compile("[A-Za-z]{2}")  # ASCII letters only
NATIONAL_NAMES = frozenset({"us", "usa", "united states", "national"})


class StateCodeError(ValueError):
    """An item of a list of states that is not a USPS code; its message is for readers,
    ``text`` what they wrote."""

    def __init__(self, text):
        shown = "".join(c if c.isprintable() else "�" for c in text[:20])
        if len(text) > 20:
            shown += "…"
        super().__init__(f"“{shown}” is not a state code: write its two letters, like MN or WI.")
        self.text = text


def parse_state_codes(values) -> list[str]:
    """The USPS codes ``values`` write (a text, or several as a repeated parameter gives
    them), upper-cased, in order, each once. Blank items (an empty picker, a trailing
    comma) are left out; anything but two ASCII letters is a StateCodeError. Whether a
    code names a state is the caller's to look up."""
    if isinstance(values, str):
        values = [values]
    codes = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            if not CODE.fullmatch(item):
                raise StateCodeError(item)
            if item.upper() not in codes:
                codes.append(item.upper())
    return codes


def name_key(text):
    """``text`` as a state's names are compared (stripped, in lower case), or None when
    it can name no state: empty, longer than any name, or holding a control character
    (a NUL cannot even reach PostgreSQL)."""
    if not isinstance(text, str):
        return None
    key = text.strip().lower()
    if not key or len(key) > MAX_NAME_LENGTH or not key.isprintable():
        return None
    return key


def names_of(state):
    """Every name a reader may give ``state``, as name_key writes them."""
    return state.code.lower(), state.name.lower(), state.slug


def names_the_nation(text):
    """Whether ``text`` names the United States as a whole ("US", "national")."""
    return name_key(text) in NATIONAL_NAMES


class StateIndex:
    """``states`` by each of their names: many looked up without a query (an import's
    rows, a page's address against the states it has read already)."""

    def __init__(self, states):
        self.by_name = {}
        for state in states:
            for name in names_of(state):
                self.by_name.setdefault(name, state)

    def find(self, text):
        """The state ``text`` names, or None."""
        key = name_key(text)
        return None if key is None else self.by_name.get(key)


def find_state(text, states):
    """The state of ``states`` that ``text`` names by USPS code, name or slug, in any
    case, or None. ``states``: a list read already (no query) or a queryset (one query,
    none when ``text`` can name no state)."""
    if name_key(text) is None:
        return None
    return StateIndex(states).find(text)
