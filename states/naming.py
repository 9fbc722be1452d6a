"""How readers name a state or territory, read one way everywhere.

A list of states: USPS codes, separated by commas or by repeating the parameter
(``?states=MN,WI``, ``?state=MN&state=WI``, ``--states MN,WI``): ``parse_state_codes``.
"""

import re

CODE = re.compile("[A-Za-z]{2}")  # ASCII letters only


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
