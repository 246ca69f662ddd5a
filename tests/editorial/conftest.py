"""Fixtures for the editorial screens: signed-in editors by role, and matcher proposals to review."""

from __future__ import annotations

import pytest
from django.test import Client

from accountability.models import EventKind, RecordOrigin, ReviewState
from accountability.roles import CONTRIBUTOR, EDITOR, PUBLISHER, role_assign
from tests.factories import AccountabilityEventFactory, ClaimLinkFactory, SourceFactory, UserFactory

ADMIN = "/admin/"


@pytest.fixture
def reviewer(db):  # type: ignore[no-untyped-def]
    return role_assign(UserFactory(username="reviewer"), EDITOR)


@pytest.fixture
def publisher(db):  # type: ignore[no-untyped-def]
    return role_assign(UserFactory(username="publisher"), PUBLISHER)


@pytest.fixture
def contributor(db):  # type: ignore[no-untyped-def]
    return role_assign(UserFactory(username="contributor"), CONTRIBUTOR)


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reviewer_client(reviewer) -> Client:  # type: ignore[no-untyped-def]
    return signed_in(reviewer)


def proposed_link(**fields):  # type: ignore[no-untyped-def]
    """A link the matcher suggested, with the explanation it stores."""
    sentence = fields.pop("sentence", "Ankara said Belgium ignored Turkey's warning that Bakrawi was a militant.")
    explanation = {
        "score": round(fields.get("confidence", 0.7) * 1.45, 4),
        "sentence": sentence,
        "sentence_index": 5,
        "signals": {"text_cosine": 0.61, "lexical_coverage": 0.2, "entity_overlap": 0.1, "date_window": 0.05},
        "shared_people": fields.pop("shared_people", []),
        "shared_organisations": fields.pop("shared_organisations", []),
    }
    return ClaimLinkFactory(explanation=explanation, **fields)


def proposed_event(**fields):  # type: ignore[no-untyped-def]
    source = fields.pop("source", None) or SourceFactory()
    defaults = {
        "kind": EventKind.RESIGNATION_OFFERED,
        "origin": RecordOrigin.MATCHER,
        "review_state": ReviewState.PROPOSED,
        "evidence_sentence": "Interior Minister Jan Jambon offered his resignation.",
    }
    event = AccountabilityEventFactory(**{**defaults, **fields})
    event.sources.add(source)
    return event
