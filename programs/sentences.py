"""The sentences fact sheets write around a figure, from templates staff write.

A template may use ``{year}``, ``{value}`` and ``{state}`` and nothing else: no format
specs, no attribute or index lookups. ``str.format`` is never called on one, so no
template, however it was saved, can make a page build a huge string or read an
attribute: ``{value:>3000000000}`` is refused when saved, and rendering does plain
substitution only.
"""

import re

PLACEHOLDERS = ("year", "value", "state")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def placeholders(template: str) -> list[str]:
    """The placeholders a template uses, in order; ValueError saying what is wrong if any."""
    names = []
    for match in _TOKEN.finditer(template):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            raise ValueError(
                f"The sentence has a lone “{token}”. Placeholders are written {{year}}, "
                "{value} and {state}; write {{ or }} for a brace itself."
            )
        if name not in PLACEHOLDERS:
            raise ValueError(
                f"“{{{name}}}” is not a placeholder. Use only {{year}}, {{value}} and "
                "{state}, exactly as written here."
            )
        names.append(name)
    return names


def render(template: str, **values) -> str:
    """Fill a template in; raises ValueError if it is not one that placeholders() accepts."""
    placeholders(template)

    def fill(match):
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        return str(values.get(match.group(1), ""))

    return _TOKEN.sub(fill, template)
