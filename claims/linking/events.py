"""Reading accountability events out of English sentences, for editors to review.

Rules, not a model: each pattern names a kind of event; who it is about comes from the people (or the holders of
the posts) mentioned in the sentence, and who decided comes from a person named after "by". French and Dutch
sources are ingested and entity-matched but produce no event proposals yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accountability.models import EventKind

_FLAGS = re.IGNORECASE
OFFER = re.compile(
    r"\b(offer(ed|s|ing)?|tender(ed|s|ing)?|submit(ted|s)?|hand(ed)? in)\b[^.]{0,40}?\bresignations?\b"
    r"|\boffer(ed|s|ing)? to (resign|step down|quit)\b",
    _FLAGS,
)
OFFER_REFUSED = re.compile(r"\b(turned down|refused|rejected|declined|not accepted)\b", _FLAGS)
OFFER_ACCEPTED = re.compile(
    r"\baccept(ed|s)?\b[^.]{0,30}\bresignations?\b|\bresignations? (was|were|has been|have been) accepted\b", _FLAGS
)
RESPONSIBILITY_DENIED = re.compile(
    r"\b(den(y|ied|ies)|reject(ed|s)?|refus(ed|es) to (accept|take))\b[^.]{0,30}\bresponsibility\b", _FLAGS
)
RESPONSIBILITY_ACCEPTED = re.compile(
    r"\b(accept(ed|s|ing)?|t(ake|ook|akes|aking)|assum(e|ed|es|ing)|bear(s)?|shoulder(ed|s)?)\b[^.]{0,30}"
    r"\bresponsibility\b",
    _FLAGS,
)
RESIGNED = re.compile(r"\b(resigned|has resigned|stepped down|steps down|quit (his|her) (post|job))\b", _FLAGS)
DISMISSED = re.compile(r"\b(dismissed|sacked|fired|removed from (office|his post|her post))\b", _FLAGS)
APOLOGY = re.compile(r"\b(apologi[sz](ed|es|ing)|said sorry|issued an apology)\b", _FLAGS)
RESIGNATION_CALLED_FOR = re.compile(r"\bcall(ed|s|ing)? (for|on)\b[^.]{0,60}\bresign", _FLAGS)
INQUIRY_OPENED = re.compile(
    r"\b(inquiry|investigation|commission of inquiry)\b[^.]{0,30}\b(opened|launched|set up|announced|ordered)\b"
    r"|\b(opened|launched|set up|announced|ordered)\b[^.]{0,30}\b(inquiry|investigation)\b",
    _FLAGS,
)
DECIDED_BY = re.compile(r"\bby\b", _FLAGS)


@dataclass(frozen=True)
class EventStatement:
    """An event kind read from a sentence, with where in the sentence its verb stands."""

    kind: str
    position: int


def event_statements(sentence: str) -> list[EventStatement]:
    """Event kinds a sentence states, in the order a reviewer would expect: an offer before its outcome."""
    found: list[EventStatement] = []
    offer = OFFER.search(sentence)
    if offer:
        found.append(EventStatement(EventKind.RESIGNATION_OFFERED, offer.start()))
        refused = OFFER_REFUSED.search(sentence, offer.end())
        accepted = OFFER_ACCEPTED.search(sentence, offer.end())
        if refused:
            found.append(EventStatement(EventKind.RESIGNATION_REFUSED, refused.start()))
        elif accepted:
            found.append(EventStatement(EventKind.RESIGNATION_ACCEPTED, accepted.start()))
    elif OFFER_ACCEPTED.search(sentence):
        found.append(EventStatement(EventKind.RESIGNATION_ACCEPTED, OFFER_ACCEPTED.search(sentence).start()))  # type: ignore[union-attr]
    denied = RESPONSIBILITY_DENIED.search(sentence)
    if denied:
        found.append(EventStatement(EventKind.RESPONSIBILITY_DENIED, denied.start()))
    else:
        accepted_responsibility = RESPONSIBILITY_ACCEPTED.search(sentence)
        if accepted_responsibility:
            found.append(EventStatement(EventKind.RESPONSIBILITY_ACCEPTED, accepted_responsibility.start()))
    simple_patterns = [
        (RESIGNATION_CALLED_FOR, EventKind.RESIGNATION_CALLED_FOR),
        (DISMISSED, EventKind.DISMISSED),
        (APOLOGY, EventKind.APOLOGY),
        (INQUIRY_OPENED, EventKind.INQUIRY_OPENED),
    ]
    if not offer and not RESIGNATION_CALLED_FOR.search(sentence):
        simple_patterns.insert(0, (RESIGNED, EventKind.RESIGNED))
    for pattern, kind in simple_patterns:
        match = pattern.search(sentence)
        if match:
            found.append(EventStatement(kind, match.start()))
    return found


def decider_position(sentence: str, after: int) -> int | None:
    """Where the agent phrase ("... by Prime Minister Charles Michel") starts after an outcome verb."""
    match = DECIDED_BY.search(sentence, after)
    return match.end() if match else None
