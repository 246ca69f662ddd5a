"""Claims as the API shows them (``ClaimSerializer``, ``ClaimDetailSerializer``), built by PostgreSQL; see
``accountability.api.document_sql``. They read what the selectors read: published, unmerged subjects; the whole status
history with its published evidence; the links the public may see (``PUBLIC_LINK_STATES``, published sources)."""

from __future__ import annotations

from accountability.api.document_sql import (
    datetime_sql,
    full_name_sql,
    incident_ref_sql,
    json_list_sql,
    organisation_ref_sql,
    person_ref_sql,
    source_ref_sql,
    source_refs_sql,
)
from claims.models import LinkReviewState, Stance
from claims.selectors import API_DETAIL_LINKS_PER_STANCE, PUBLIC_LINK_STATES

PUBLIC_LINKS = "(" + ", ".join(f"'{LinkReviewState(state).value}'" for state in PUBLIC_LINK_STATES) + ")"
PUBLIC_LINK_ROWS = f"""FROM claims_claimlink l JOIN claims_source s ON s.id = l.source_id
    WHERE l.claim_id = c.id AND l.review_state IN {PUBLIC_LINKS} AND s.is_published"""

SUBJECT_PEOPLE = json_list_sql(
    person_ref_sql("p"),
    from_where="""FROM claims_claim_subject_people sp JOIN accountability_person p ON p.id = sp.person_id
        WHERE sp.claim_id = c.id AND p.is_published AND p.merged_into_id IS NULL""",
    order_by="p.name, p.id",
)
SUBJECT_ORGANISATIONS = json_list_sql(
    organisation_ref_sql("o"),
    from_where="""FROM claims_claim_subject_organisations so
        JOIN accountability_organisation o ON o.id = so.organisation_id
        WHERE so.claim_id = c.id AND o.is_published AND o.merged_into_id IS NULL""",
    order_by="o.name, o.id",
)
EVIDENCE = source_refs_sql(
    through="claims_claimstatuschange_evidence", owner_column="claimstatuschange_id", owner="h.id"
)
STATUS_HISTORY = json_list_sql(
    f"""json_build_object('from_status', h.from_status, 'to_status', h.to_status,
        'changed_at', {datetime_sql("h.changed_at")}, 'changed_by', {full_name_sql("u")}, 'reason', h.reason,
        'evidence', {EVIDENCE})""",
    from_where="""FROM claims_claimstatuschange h LEFT JOIN auth_user u ON u.id = h.changed_by_id
        WHERE h.claim_id = c.id""",
    order_by="h.changed_at, h.id",
)
LINK_COUNTS = (
    "(SELECT json_build_object("
    + "".join(f"'{stance.value}', count(*) FILTER (WHERE l.stance = '{stance.value}'), " for stance in Stance)
    + f"'total', count(*)) {PUBLIC_LINK_ROWS})"
)
CLAIM_FIELDS = f"""
    'id', c.id, 'slug', c.slug, 'text', c.text, 'headline', c.headline, 'language', c.language, 'status', c.status,
    'first_made_on', c.first_made_on, 'first_made_on_precision', c.first_made_on_precision,
    'claimant_person', {person_ref_sql("cp")}, 'claimant_organisation', {organisation_ref_sql("co")},
    'subject_people', {SUBJECT_PEOPLE}, 'subject_organisations', {SUBJECT_ORGANISATIONS},
    'incident', {incident_ref_sql("i")}, 'status_history', {STATUS_HISTORY}, 'link_counts', {LINK_COUNTS},
    'links_url', settings.links_url_before || c.slug || settings.links_url_after"""
CLAIM_TIMES = f"""
    'published_at', {datetime_sql("c.published_at")}, 'updated_at', {datetime_sql("c.updated_at")}"""
QUOTE = f"""CASE WHEN q.id IS NULL THEN NULL ELSE json_build_object('id', q.id, 'text', q.text,
    'speaker', {person_ref_sql("qp")}, 'speaker_organisation', {organisation_ref_sql("qo")}, 'said_to', q.said_to,
    'said_on', q.said_on, 'language', q.language) END"""
LINK = f"""json_build_object('id', l.id, 'stance', l.stance, 'source', {source_ref_sql("s")}, 'quote', {QUOTE},
    'confidence', l.confidence, 'origin', l.origin, 'review_state', l.review_state,
    'reviewed_by', {full_name_sql("u")}, 'reviewed_at', {datetime_sql("l.reviewed_at")})"""
STRONGEST_LINKS = f"""COALESCE((
    SELECT json_agg(strongest.document ORDER BY strongest.stance, strongest.confidence DESC, strongest.id)
      FROM (SELECT l.id, l.stance, l.confidence, {LINK} AS document,
                   row_number() OVER (PARTITION BY l.stance ORDER BY l.confidence DESC, l.id) AS position
              FROM claims_claimlink l JOIN claims_source s ON s.id = l.source_id
              LEFT JOIN auth_user u ON u.id = l.reviewed_by_id
              LEFT JOIN claims_quote q ON q.id = l.quote_id AND q.is_published
              LEFT JOIN accountability_person qp ON qp.id = q.speaker_id
              LEFT JOIN accountability_organisation qo ON qo.id = q.speaker_organisation_id
             WHERE l.claim_id = c.id AND l.review_state IN {PUBLIC_LINKS} AND s.is_published) strongest
     WHERE strongest.position <= {API_DETAIL_LINKS_PER_STANCE}), '[]')"""  # noqa: S608 (constant SQL fragments)
CLAIM_ROW = """
    FROM claims_claim c
    LEFT JOIN accountability_person cp ON cp.id = c.claimant_person_id
    LEFT JOIN accountability_organisation co ON co.id = c.claimant_organisation_id
    LEFT JOIN accountability_incident i ON i.id = c.incident_id
   WHERE c.id = {row}.id"""

CLAIM_DOCUMENT = f"SELECT json_build_object({CLAIM_FIELDS}, {CLAIM_TIMES}) {CLAIM_ROW}"
CLAIM_DETAIL_DOCUMENT = (
    f"SELECT json_build_object({CLAIM_FIELDS}, 'links', {STRONGEST_LINKS}, {CLAIM_TIMES}) {CLAIM_ROW}"
)
