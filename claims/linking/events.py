"""Reading accountability events out of English, French and Dutch sentences, for editors to review.

Rules, not a model: each pattern names a kind of event; who it is about comes from the people (or the holders of
the posts) mentioned in the sentence, and who decided comes from a person named after the agent word ("by",
"par", "door"). Sources in other languages are ingested and entity-matched but produce no event proposals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accountability.models import EventKind

_FLAGS = re.IGNORECASE


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _FLAGS)


@dataclass(frozen=True)
class EventPatterns:
    """One language's wording of each kind of event."""

    offer: re.Pattern[str]
    offer_refused: re.Pattern[str]
    offer_accepted: re.Pattern[str]
    responsibility_denied: re.Pattern[str]
    responsibility_accepted: re.Pattern[str]
    resigned: re.Pattern[str]
    dismissed: re.Pattern[str]
    apology: re.Pattern[str]
    resignation_called_for: re.Pattern[str]
    inquiry_opened: re.Pattern[str]
    decided_by: re.Pattern[str]


ENGLISH = EventPatterns(
    offer=_rx(
        r"\b(offer(ed|s|ing)?|tender(ed|s|ing)?|submit(ted|s)?|hand(ed)? in)\b[^.]{0,40}?\bresignations?\b"
        r"|\boffer(ed|s|ing)? to (resign|step down|quit)\b"
    ),
    offer_refused=_rx(r"\b(turned down|refused|rejected|declined|not accepted)\b"),
    offer_accepted=_rx(
        r"\baccept(ed|s)?\b[^.]{0,30}\bresignations?\b|\bresignations? (was|were|has been|have been) accepted\b"
    ),
    responsibility_denied=_rx(
        r"\b(den(y|ied|ies)|reject(ed|s)?|refus(ed|es) to (accept|take))\b[^.]{0,30}\bresponsibility\b"
    ),
    responsibility_accepted=_rx(
        r"\b(accept(ed|s|ing)?|t(ake|ook|akes|aking)|assum(e|ed|es|ing)|bear(s)?|shoulder(ed|s)?)\b[^.]{0,30}"
        r"\bresponsibility\b"
    ),
    resigned=_rx(r"\b(resigned|has resigned|stepped down|steps down|quit (his|her) (post|job))\b"),
    dismissed=_rx(r"\b(dismissed|sacked|fired|removed from (office|his post|her post))\b"),
    apology=_rx(r"\b(apologi[sz](ed|es|ing)|said sorry|issued an apology)\b"),
    resignation_called_for=_rx(r"\bcall(ed|s|ing)? (for|on)\b[^.]{0,60}\bresign"),
    inquiry_opened=_rx(
        r"\b(inquiry|investigation|commission of inquiry)\b[^.]{0,30}\b(opened|launched|set up|announced|ordered)\b"
        r"|\b(opened|launched|set up|announced|ordered)\b[^.]{0,30}\b(inquiry|investigation)\b"
    ),
    decided_by=_rx(r"\bby\b"),
)

FRENCH = EventPatterns(
    offer=_rx(
        r"\b(offert|offre|offrait|offrir|propos[ée]|propose|proposait|proposer|pr[ée]sent[ée]|pr[ée]sente|"
        r"pr[ée]sentait|pr[ée]senter|remis|remet|remettre)\b[^.]{0,30}?\bd[ée]missions?\b"
        r"|\bpropos[ée] de d[ée]missionner\b"
    ),
    offer_refused=_rx(r"\b(refus[ée]e?s?|refusait|rejet[ée]e?s?|rejetait|d[ée]clin[ée]e?s?|pas accept[ée]e?s?)\b"),
    offer_accepted=_rx(
        r"\baccept[ée]e?s?\b[^.]{0,30}\bd[ée]missions?\b|\bd[ée]missions? (a|ont) [ée]t[ée] accept[ée]e?s?\b"
    ),
    responsibility_denied=_rx(
        r"\b(ni[ée]|nie|niait|rejet[ée]|rejette|refus[ée] d'(assumer|endosser)|refuse d'(assumer|endosser))\b"
        r"[^.]{0,30}\bresponsabilit[ée]s?\b"
    ),
    responsibility_accepted=_rx(
        r"\b(assum[ée]|assume|assumait|assumer|endoss[ée]|endosse|endosser|pris|prend|prendre|reconnu|reconna[iî]t)"
        r"\b[^.]{0,30}\bresponsabilit[ée]s?\b"
    ),
    resigned=_rx(
        r"\b(a|ont) d[ée]missionn[ée]\b|\bd[ée]missionne\b|\b(a|ont) quitt[ée] (son|ses|leur|leurs) "
        r"(poste|postes|fonctions)\b"
    ),
    dismissed=_rx(r"\b(limog[ée]e?s?|r[ée]voqu[ée]e?s?|d[ée]mis de ses fonctions|renvoy[ée]e?s?|cong[ée]di[ée]e?s?)\b"),
    apology=_rx(r"\b(pr[ée]sent[ée]|pr[ée]sente|fait|fait part de) (ses|des|leurs) excuses\b|\bs'(est )?excus"),
    resignation_called_for=_rx(r"\b(r[ée]clam|demand|exig)(e|ent|ait|aient|[ée]|[ée]e)\b[^.]{0,60}\bd[ée]mission"),
    inquiry_opened=_rx(
        r"\b(enqu[êe]te|commission d'enqu[êe]te)\b[^.]{0,30}\b(ouverte|lanc[ée]e|ordonn[ée]e|annonc[ée]e|"
        r"mise en place)\b|\b(ouvert|lanc[ée]|ordonn[ée]|annonc[ée])\b[^.]{0,30}\benqu[êe]te\b"
    ),
    decided_by=_rx(r"\bpar\b"),
)

DUTCH = EventPatterns(
    offer=_rx(
        r"\b(bood|boden|biedt|bieden|aangeboden|aanbieden|diende|dienden|ingediend|indienen)\b[^.]{0,40}?"
        r"\bontslag\b|\bontslag (aan|aangeboden|ingediend)\b"
    ),
    offer_refused=_rx(r"\b(weigerde|weigerden|geweigerd|afgewezen|wees [^.]{0,30}\baf\b|niet aanvaard(de|t)?)\b"),
    offer_accepted=_rx(r"\b(aanvaard|aanvaardde|aanvaardt)\b[^.]{0,30}\bontslag\b|\bontslag (werd|is) aanvaard\b"),
    # A Dutch subordinate clause puts the verb last: "... dat hij de verantwoordelijkheid nam".
    responsibility_denied=_rx(
        r"\b(ontkende|ontkent|ontkennen|weigerde|weigert)\b[^.]{0,30}\bverantwoordelijkheid\b"
        r"|\bverantwoordelijkheid\b[^.]{0,20}\b(ontkende|ontkent|ontkennen|weigerde|weigert)\b"
    ),
    responsibility_accepted=_rx(
        r"\b(nam|namen|neemt|nemen|genomen|draagt|droeg|erkende|erkent)\b[^.]{0,30}\bverantwoordelijkheid\b"
        r"|\bverantwoordelijkheid\b[^.]{0,20}\b(nam|namen|neemt|nemen|genomen|draagt|droeg|erkende|erkent)\b"
    ),
    resigned=_rx(
        r"\b(nam|namen|neemt) ontslag\b|\bontslag genomen\b|\b(is|zijn) afgetreden\b|\b(trad|traden|treedt) af\b"
        r"|\b(stapte|stapten|stapt) op\b"
    ),
    # "ontslagen uit het ziekenhuis" is leaving hospital, not a dismissal
    dismissed=_rx(
        r"\b(ontslagen(?! uit (het )?ziekenhuis)|afgezet|uit (zijn|haar) functie ontheven|de laan uitgestuurd)\b"
    ),
    apology=_rx(r"\bverontschuldig|\bexcuses (aan|aangeboden|gemaakt)\b|\bbood [^.]{0,30}excuses\b"),
    resignation_called_for=_rx(
        r"\b(eist|eisen|eiste|eisten|vraagt|vroeg|vroegen|roept|riep|riepen)\b[^.]{0,60}\bontslag\b"
    ),
    inquiry_opened=_rx(
        r"\b(onderzoek|onderzoekscommissie|parlementaire enqu[êe]te)\b[^.]{0,30}\b(geopend|gestart|ingesteld|"
        r"aangekondigd|bevolen)\b|\b(opende|startte|stelde|kondigde)\b[^.]{0,30}\bonderzoek"
    ),
    decided_by=_rx(r"\bdoor\b"),
)

PATTERNS_BY_LANGUAGE = {"en": ENGLISH, "fr": FRENCH, "nl": DUTCH}


def patterns_for(language: str) -> EventPatterns | None:
    """The patterns of a source's language (BCP 47, e.g. "fr-BE"); English when unknown; None when unsupported."""
    code = (language or "en").split("-")[0].lower()
    return PATTERNS_BY_LANGUAGE.get(code)


@dataclass(frozen=True)
class EventStatement:
    """An event kind read from a sentence, with where in the sentence its verb stands."""

    kind: str
    position: int


def event_statements(sentence: str, language: str = "en") -> list[EventStatement]:
    """Event kinds a sentence states, in the order a reviewer would expect: an offer before its outcome."""
    patterns = patterns_for(language)
    if patterns is None:
        return []
    found: list[EventStatement] = []
    offer = patterns.offer.search(sentence)
    if offer:
        found.append(EventStatement(EventKind.RESIGNATION_OFFERED, offer.start()))
        refused = patterns.offer_refused.search(sentence, offer.end())
        accepted = patterns.offer_accepted.search(sentence, offer.end())
        if refused:
            found.append(EventStatement(EventKind.RESIGNATION_REFUSED, refused.start()))
        elif accepted:
            found.append(EventStatement(EventKind.RESIGNATION_ACCEPTED, accepted.start()))
    elif accepted_alone := patterns.offer_accepted.search(sentence):
        found.append(EventStatement(EventKind.RESIGNATION_ACCEPTED, accepted_alone.start()))
    denied = patterns.responsibility_denied.search(sentence)
    if denied:
        found.append(EventStatement(EventKind.RESPONSIBILITY_DENIED, denied.start()))
    elif accepted_responsibility := patterns.responsibility_accepted.search(sentence):
        found.append(EventStatement(EventKind.RESPONSIBILITY_ACCEPTED, accepted_responsibility.start()))
    simple_patterns = [
        (patterns.resignation_called_for, EventKind.RESIGNATION_CALLED_FOR),
        (patterns.dismissed, EventKind.DISMISSED),
        (patterns.apology, EventKind.APOLOGY),
        (patterns.inquiry_opened, EventKind.INQUIRY_OPENED),
    ]
    if not offer and not patterns.resignation_called_for.search(sentence):
        simple_patterns.insert(0, (patterns.resigned, EventKind.RESIGNED))
    for pattern, kind in simple_patterns:
        match = pattern.search(sentence)
        if match:
            found.append(EventStatement(kind, match.start()))
    return found


def decider_position(sentence: str, after: int, language: str = "en") -> int | None:
    """Where the agent phrase ("... by Prime Minister Charles Michel") starts after an outcome verb."""
    patterns = patterns_for(language) or ENGLISH
    match = patterns.decided_by.search(sentence, after)
    return match.end() if match else None
