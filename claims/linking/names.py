"""Name keys that make spelling and transliteration variants meet.

``al-Bakrawi``, ``El Bakraoui`` and ``Bakraoui`` all reduce to the key ``bakraui``: accents and case are folded,
name particles (al, el, van, de...) are dropped, and the common French/English transliterations of Arabic
(``ou``/``w``, doubled letters, ``dj``/``j``, ``kh``/``k``) are folded together.
"""

from __future__ import annotations

import re

from accountability.records import normalize_name

NAME_PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "ad",
        "ed",
        "as",
        "at",
        "az",
        "ben",
        "bin",
        "ibn",
        "abu",
        "bou",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "du",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "ter",
        "ten",
        "mc",
    ]
)
_TRANSLITERATIONS = [
    (re.compile(r"ou"), "u"),
    (re.compile(r"w"), "u"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"kh"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
]


def token_key(token: str) -> str:
    key = token
    for pattern, replacement in _TRANSLITERATIONS:
        key = pattern.sub(replacement, key)
    return key


def name_tokens(text: str) -> list[str]:
    return normalize_name(text).split()


def name_key(name: str) -> tuple[str, ...]:
    """The variant-insensitive key of a whole name; empty when the name is only particles."""
    return tuple(token_key(token) for token in name_tokens(name) if token not in NAME_PARTICLES)


def surname_key(name: str) -> tuple[str, ...] | None:
    """The key of the last meaningful token, used alone when it names exactly one known person."""
    key = name_key(name)
    if len(key) < 2 or len(key[-1]) < 4:
        return None
    return key[-1:]
