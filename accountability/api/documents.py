"""People and accountability events as the API shows them (``PersonSerializer``, ``AccountabilityEventSerializer``),
built by PostgreSQL; see ``accountability.api.document_sql``. They read what the selectors read: published terms of a
person; an offer's published outcomes that are not rejected; published sources."""

from __future__ import annotations

from accountability.api.document_sql import (
    datetime_sql,
    incident_ref_sql,
    json_list_sql,
    organisation_ref_sql,
    person_ref_sql,
    source_refs_sql,
)
from accountability.models import OFFER_OUTCOME_KINDS, ReviewState


def post_ref_sql(post: str, organisation: str) -> str:
    """``PostRefSerializer`` of a joined post and its organisation, null without a post."""
    return (
        f"CASE WHEN {post}.id IS NULL THEN NULL ELSE json_build_object('id', {post}.id, 'slug', {post}.slug, "
        f"'title', {post}.title, 'organisation', {organisation_ref_sql(organisation)}) END"
    )


# People (``PersonSerializer``): every name variant and identifier, published terms most recent first.
PERSON_NAMES = json_list_sql(
    "json_build_object('name', n.name, 'kind', n.kind, 'language', n.language)",
    from_where="FROM accountability_personname n WHERE n.person_id = p.id",
    order_by="n.kind, n.name, n.id",
)
PERSON_IDENTIFIERS = json_list_sql(
    "json_build_object('scheme', x.scheme, 'value', x.value)",
    from_where="FROM accountability_personidentifier x WHERE x.person_id = p.id",
    order_by="x.scheme, x.value, x.id",
)
PERSON_TERMS = json_list_sql(
    f"""json_build_object('id', t.id, 'post', {post_ref_sql("po", "o")}, 'started_on', t.started_on,
        'started_on_precision', t.started_on_precision, 'ended_on', t.ended_on,
        'ended_on_precision', t.ended_on_precision, 'end_reason', t.end_reason)""",
    from_where="""FROM accountability_term t JOIN accountability_post po ON po.id = t.post_id
        JOIN accountability_organisation o ON o.id = po.organisation_id
        WHERE t.person_id = p.id AND t.is_published""",
    order_by="t.started_on DESC, t.id",
)
PERSON_DOCUMENT = f"""SELECT json_build_object('id', p.id, 'slug', p.slug, 'name', p.name,
        'description', p.description, 'names', {PERSON_NAMES}, 'identifiers', {PERSON_IDENTIFIERS},
        'terms', {PERSON_TERMS}, 'published_at', {datetime_sql("p.published_at")},
        'updated_at', {datetime_sql("p.updated_at")})
    FROM accountability_person p WHERE p.id = {{row}}.id"""  # noqa: S608 (constant SQL fragments, no input)

# Accountability events (``AccountabilityEventSerializer``): an offer's published outcomes, published sources.
OUTCOME_KINDS = "(" + ", ".join(f"'{kind.value}'" for kind in OFFER_OUTCOME_KINDS) + ")"
EVENT_OUTCOMES = json_list_sql(
    f"""json_build_object('id', x.id, 'kind', x.kind, 'occurred_on', x.occurred_on,
        'decided_by', {person_ref_sql("xd")}, 'summary', x.summary)""",
    from_where=f"""FROM accountability_accountabilityevent x
        LEFT JOIN accountability_person xd ON xd.id = x.decided_by_id
        WHERE x.responds_to_id = e.id AND x.is_published AND x.kind IN {OUTCOME_KINDS}
          AND x.review_state <> '{ReviewState.REJECTED.value}'""",
    order_by="x.occurred_on, x.id",
)
EVENT_SOURCES = source_refs_sql(
    through="accountability_accountabilityevent_sources", owner_column="accountabilityevent_id", owner="e.id"
)
EVENT_DOCUMENT = f"""SELECT json_build_object('id', e.id, 'kind', e.kind, 'person', {person_ref_sql("p")},
        'post', {post_ref_sql("po", "o")}, 'incident', {incident_ref_sql("i")}, 'occurred_on', e.occurred_on,
        'occurred_on_precision', e.occurred_on_precision, 'decided_by', {person_ref_sql("d")},
        'responds_to', e.responds_to_id, 'outcomes', {EVENT_OUTCOMES}, 'summary', e.summary,
        'evidence_sentence', e.evidence_sentence, 'origin', e.origin, 'sources', {EVENT_SOURCES},
        'published_at', {datetime_sql("e.published_at")}, 'updated_at', {datetime_sql("e.updated_at")})
    FROM accountability_accountabilityevent e
    JOIN accountability_person p ON p.id = e.person_id
    LEFT JOIN accountability_post po ON po.id = e.post_id
    LEFT JOIN accountability_organisation o ON o.id = po.organisation_id
    LEFT JOIN accountability_incident i ON i.id = e.incident_id
    LEFT JOIN accountability_person d ON d.id = e.decided_by_id
   WHERE e.id = {{row}}.id"""  # noqa: S608
