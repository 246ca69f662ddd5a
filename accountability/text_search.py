"""The accent-insensitive text expressions that searches filter on and that the search indexes are built over.

Claims and sources keep their full-text document in a stored generated column (``search_document``, GIN-indexed):
searches filter on it and rank with it without parsing any text again.

``immutable_unaccent`` (created by a migration) is ``unaccent`` with the dictionary named, declared immutable so
PostgreSQL can index it; a query uses an index only when it filters on exactly the indexed expression, so both
come from here.
"""

from __future__ import annotations

from django.contrib.postgres.search import CombinedSearchVector, SearchVector
from django.db.models import BooleanField, F, Func, TextField, Value

CREATE_IMMUTABLE_UNACCENT = """
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN public.unaccent('public.unaccent'::regdictionary, $1);
"""
DROP_IMMUTABLE_UNACCENT = "DROP FUNCTION IF EXISTS immutable_unaccent(text);"


def unaccented(field: str) -> Func:
    return Func(F(field), function="immutable_unaccent", output_field=TextField())


def unaccented_value(text: str) -> Func:
    return Func(Value(text), function="unaccent", output_field=TextField())


def text_document(field: str) -> SearchVector:
    """The indexed full-text document of one text field (simple configuration, accents removed)."""
    return SearchVector(unaccented(field), config="simple")


def claim_search_document() -> SearchVector:
    """What a claim's stored ``search_document`` holds: its text, accents removed, weighted A."""
    return SearchVector(unaccented("text"), config="simple", weight="A")


def source_search_document() -> CombinedSearchVector:
    """What a source's stored ``search_document`` holds: title and publisher weighted A, the text D (a word in
    the title ranks above the same word deep in the text)."""
    title = SearchVector(unaccented("title"), unaccented("publisher_name"), config="simple", weight="A")
    return title + SearchVector(unaccented("text"), config="simple", weight="D")


def incident_search_document() -> CombinedSearchVector:
    """What an incident's stored ``search_document`` holds: its name weighted A, its location and description B."""
    name = SearchVector(unaccented("name"), config="simple", weight="A")
    return name + SearchVector(unaccented("location"), unaccented("description"), config="simple", weight="B")


class StrictWordSimilar(Func):
    """``query <<% field``: a run of whole words of the field is trigram-similar to the query, at least
    ``pg_trgm.strict_word_similarity_threshold`` (0.4, set per connection: a letter or two wrong in a name);
    served by a trigram index on the field."""

    arg_joiner = " <<%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, query: str, field: str) -> None:
        super().__init__(unaccented_value(query), unaccented(field))
