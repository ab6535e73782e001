"""Counts in words that agree with their number, in English and in Welsh (CLDR plural rules).

A counted message is written in ICU MessageFormat's plural form, one branch per CLDR category,
with `#` standing for the number:

    "{n, plural, one {# code was not accepted} other {# codes were not accepted}}"

and its Welsh translation (in ihd_cy.ts, like any other message) has the six Welsh categories:

    "{n, plural, zero {# cod} one {# cod} two {# god} few {# chod} many {# chod} other {# cod}}"

Why not Qt's own numerus forms (tr(..., n) and %n): Qt's Welsh rule (numerus.cpp, welshRules)
has five forms and puts 2 to 5 in one, but Welsh mutates after 2 ("2 ddiwrnod", "2 god") and
not after 3 to 5 ("3 diwrnod"), and aspirates after 3 and 6 ("3 chod", "6 chod"). CLDR's
rules for Welsh keep those apart.

Source: Unicode CLDR, Language Plural Rules (cardinal), cy and en —
https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html
  cy: zero n = 0; one n = 1; two n = 2; few n = 3; many n = 6; other (4, 5, 7...)
  en: one i = 1 and v = 0; other
"""

from __future__ import annotations

import re

CATEGORIES = ("zero", "one", "two", "few", "many", "other")
# The categories each language's translations must give (CLDR): the untranslated-string test
# checks every plural message against these.
REQUIRED = {"en": ("other",), "cy": CATEGORIES}  # English "one" only where its words differ
_HEAD = re.compile(r"^\{(\w+), plural,")


def category(n: int, language: str) -> str:
    """The CLDR cardinal category of a whole number `n` in `language` ("en" or "cy")."""
    if language == "cy":
        return {0: "zero", 1: "one", 2: "two", 3: "few", 6: "many"}.get(n, "other")
    return "one" if n == 1 else "other"


def branches(message: str) -> dict[str, str] | None:
    """The category -> words of a plural message; None for a message that is not one."""
    head = _HEAD.match(message)
    if head is None:
        return None
    found: dict[str, str] = {}
    at = head.end()
    while True:
        while at < len(message) and message[at].isspace():
            at += 1
        if at >= len(message) or message[at] == "}":
            break
        name = re.match(r"\w+", message[at:])
        if name is None:
            raise ValueError(f"not a plural category at {at} in {message!r}")
        at += name.end()
        while message[at].isspace():
            at += 1
        if message[at] != "{":
            raise ValueError(f"no words for {name.group()!r} in {message!r}")
        depth, start = 0, at
        for at in range(start, len(message)):
            depth += {"{": 1, "}": -1}.get(message[at], 0)
            if depth == 0:
                break
        found[name.group()] = message[start + 1 : at]
        at += 1
    return found


def choose(message: str, n: int, language: str) -> str:
    """The words for `n` from a plural message, with `#` as "{name}" ready for .format();
    any other message is returned as it is."""
    found = branches(message)
    head = _HEAD.match(message)
    if found is None or head is None:
        return message
    words = found.get(category(n, language), found.get("other", ""))
    return words.replace("#", "{" + head.group(1) + "}")


def counted(translated: str, n: int, **values: object) -> str:
    """A translated plural message with the words for `n` in the display's language, filled
    in: counted(self.tr("{n, plural, one {# day} other {# days}}"), 3) -> "3 days"."""
    from ihd_app.translation import current_language  # here: translation imports formatting

    return choose(translated, n, current_language()).format(n=n, **values)
