"""Which language a text is in, as a two-letter BCP-47 primary subtag.

trafilatura only reports what the page declares (``<html lang>``); detection uses ``py3langid``, whose model
ships inside the package (no download at run time), and which is deterministic, unlike ``langdetect``.
"""

from __future__ import annotations

import re
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_CONFIDENCE = 0.5
MIN_LETTERS = 20
_SAMPLE_CHARACTERS = 5000
_PRIMARY_SUBTAG = re.compile(r"^\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*\s*$")


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def normalize_language_tag(tag: str | None) -> str | None:
    """``'en-GB'`` → ``'en'``, ``'NL_be'`` → ``'nl'``; ``None`` for anything not shaped like a language tag."""
    match = _PRIMARY_SUBTAG.match(tag or "")
    if not match:
        return None
    primary = match.group(1).lower()
    return primary if len(primary) == 2 else None


def detect_language(text: str) -> str | None:
    """The most probable language of ``text``, or ``None`` when it is too short or the guess is not confident."""
    sample = text[:_SAMPLE_CHARACTERS]
    if sum(character.isalpha() for character in sample) < MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    return normalize_language_tag(str(language))
