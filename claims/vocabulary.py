"""Vocabularies of the words stored texts use, kept by PostgreSQL triggers: a misspelt search word is matched
against them (``selectors.word_spellings``) instead of against every text."""

from __future__ import annotations

import pgtrigger


def _vocabulary_insert(table: str, word: str, words_of: str) -> str:
    """A trigger's body adding words to a vocabulary ``table``: the lexemes ``words_of`` gives (each called ``word``),
    as a full-text document holds them (``simple`` configuration, accents removed), in one order so that concurrent
    writers never wait on each other crosswise."""
    return f"""
    INSERT INTO {table} (word)
    SELECT DISTINCT {word}.lexeme FROM {words_of} AS {word}
    ORDER BY 1
    ON CONFLICT DO NOTHING;
    RETURN NULL;
"""  # noqa: S608 - names of our own tables and SQL of our own, fixed at import


def vocabulary_triggers(
    *, table: str, word: str, column: str, new_rows: str, on_insert: str, on_update: str
) -> list[pgtrigger.Trigger]:
    """The triggers adding the words of a model's ``column`` to the vocabulary ``table``: one per insert statement
    (saves, ``bulk_create`` and COPY alike; ``new_rows`` names the inserted rows) and one per row whose ``column``
    an update changes."""
    words = "unnest(to_tsvector('simple', immutable_unaccent({}.{})))"
    return [
        pgtrigger.Trigger(
            name=on_insert,
            operation=pgtrigger.Insert,
            when=pgtrigger.After,
            level=pgtrigger.Statement,
            referencing=pgtrigger.Referencing(new=new_rows),
            func=_vocabulary_insert(table, word, f"{new_rows}, {words.format(new_rows, column)}"),
        ),
        pgtrigger.Trigger(
            name=on_update,
            operation=pgtrigger.UpdateOf(column),
            when=pgtrigger.After,
            condition=pgtrigger.Q(**{f"old__{column}__df": pgtrigger.F(f"new__{column}")}),
            func=_vocabulary_insert(table, word, words.format("NEW", column)),
        ),
    ]
