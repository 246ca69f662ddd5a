"""Recognising the people, organisations and posts the record knows, by every name and spelling variant."""

from __future__ import annotations

import datetime
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Q

from accountability.models import Organisation, PersonName, PersonNameKind, Post, Term
from accountability.records import normalize_name
from claims.linking.names import NAME_PARTICLES, name_key, surname_key, token_key

PERSON, ORGANISATION, POST = "person", "organisation", "post"


@dataclass(frozen=True)
class Mention:
    kind: str
    entity_id: int
    start: int  # token offsets in the sentence's key sequence
    end: int
    surface: str


@dataclass
class NameIndex:
    """Every known name as a key sequence, mapped to the entities it can mean."""

    entries: dict[tuple[str, ...], set[tuple[str, int]]] = field(default_factory=lambda: defaultdict(set))
    longest: int = 1

    def add(self, key: tuple[str, ...], kind: str, entity_id: int) -> None:
        if key:
            self.entries[key].add((kind, entity_id))
            self.longest = max(self.longest, len(key))

    def find(self, text: str) -> list[Mention]:
        """Longest matches first, left to right; a name that could mean two entities is skipped."""
        tokens = [token for token in normalize_name(text).split() if token not in NAME_PARTICLES]
        keys = [token_key(token) for token in tokens]
        mentions: list[Mention] = []
        position = 0
        while position < len(keys):
            for length in range(min(self.longest, len(keys) - position), 0, -1):
                candidates = self.entries.get(tuple(keys[position : position + length]))
                if candidates and len(candidates) == 1:
                    [(kind, entity_id)] = candidates
                    surface = " ".join(tokens[position : position + length])
                    mentions.append(Mention(kind, entity_id, position, position + length, surface))
                    position += length
                    break
            else:
                position += 1
        return mentions


_cached_index: tuple[tuple, NameIndex] | None = None
_checked_at = 0.0
_cache_lock = threading.Lock()


def names_version() -> tuple:
    """Changes whenever a name, person, organisation or post is added, edited or removed: one cheap query."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT (SELECT count(*) FROM accountability_personname), (SELECT max(id) FROM accountability_personname),
                   (SELECT max(updated_at) FROM accountability_person),
                   (SELECT count(*) FROM accountability_organisation),
                   (SELECT max(updated_at) FROM accountability_organisation),
                   (SELECT count(*) FROM accountability_post), (SELECT max(updated_at) FROM accountability_post)
            """
        )
        return tuple(cursor.fetchone() or ())


def current_name_index() -> NameIndex:
    """The process's name index, rebuilt only when names, organisations or posts changed (checked at most every
    ``MATCHER_INDEX_CHECK_SECONDS``)."""
    global _cached_index, _checked_at
    with _cache_lock:
        now = time.monotonic()
        if _cached_index is not None and now - _checked_at < settings.MATCHER_INDEX_CHECK_SECONDS:
            return _cached_index[1]
        version = names_version()
        if _cached_index is None or _cached_index[0] != version:
            _cached_index = (version, build_name_index())
        _checked_at = now
        return _cached_index[1]


def build_name_index() -> NameIndex:
    """All people (every name variant, and a surname that names one person only), organisations and posts."""
    index = NameIndex()
    surnames: dict[tuple[str, ...], set[int]] = defaultdict(set)
    names = PersonName.objects.filter(person__merged_into__isnull=True).values_list("person_id", "name", "kind")
    for person_id, name, kind in names:
        index.add(name_key(name), PERSON, person_id)
        if kind in (PersonNameKind.PRIMARY, PersonNameKind.VARIANT):
            surname = surname_key(name)
            if surname:
                surnames[surname].add(person_id)
    for surname, people in surnames.items():
        if len(people) == 1 and surname not in index.entries:
            index.add(surname, PERSON, next(iter(people)))
    for organisation_id, organisation_name, aliases in Organisation.objects.filter(
        merged_into__isnull=True
    ).values_list("id", "name", "aliases"):
        for alias in [organisation_name, *aliases]:
            index.add(name_key(alias), ORGANISATION, organisation_id)
    for post_id, title, aliases in Post.objects.values_list("id", "title", "aliases"):
        for alias in [title, *aliases]:
            index.add(name_key(alias), POST, post_id)
    return index


def post_holders_on(post_ids: set[int], day: datetime.date) -> dict[int, int]:
    """Who held each of these posts on that day: {post_id: person_id}."""
    if not post_ids:
        return {}
    terms = Term.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day), post_id__in=post_ids, started_on__lte=day
    ).values_list("post_id", "person_id")
    return dict(terms)
