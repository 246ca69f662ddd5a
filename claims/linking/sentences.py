"""Who a sentence names: people, organisations, posts resolved to their holder that day, and who decided."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from accountability.models import EventKind
from claims.linking.entities import ORGANISATION, PERSON, POST, Mention, NameIndex, post_holders_on
from claims.linking.events import decider_position, event_statements


@dataclass
class SentenceEntities:
    people: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    deciders: set[int] = field(default_factory=set)
    post_of_person: dict[int, int] = field(default_factory=dict)


def _resolve(mentions: list[Mention], holders: dict[int, int]) -> tuple[set[int], set[int], dict[int, int]]:
    people, organisations, post_of_person = set(), set(), {}
    for mention in mentions:
        if mention.kind == PERSON:
            people.add(mention.entity_id)
        elif mention.kind == ORGANISATION:
            organisations.add(mention.entity_id)
        elif mention.kind == POST and mention.entity_id in holders:
            person_id = holders[mention.entity_id]
            people.add(person_id)
            post_of_person[person_id] = mention.entity_id
    return people, organisations, post_of_person


def sentence_entities(
    sentence: str, names: NameIndex, day: datetime.date, language: str = "en"
) -> tuple[SentenceEntities, list]:
    mentions = names.find(sentence)
    statements = event_statements(sentence, language)
    holders = post_holders_on({m.entity_id for m in mentions if m.kind == POST}, day)
    entities = SentenceEntities()
    entities.people, entities.organisations, entities.post_of_person = _resolve(mentions, holders)
    outcome = next(
        (s for s in statements if s.kind in (EventKind.RESIGNATION_REFUSED, EventKind.RESIGNATION_ACCEPTED)), None
    )
    if outcome is not None:
        agent_start = decider_position(sentence, outcome.position, language)
        if agent_start is not None:
            agent_mentions = names.find(sentence[agent_start:])
            agent_holders = post_holders_on({m.entity_id for m in agent_mentions if m.kind == POST}, day)
            deciders, _, _ = _resolve(agent_mentions, agent_holders)
            entities.deciders = deciders
            entities.people -= deciders
    return entities, statements
