"""Reads whose query plans PostgreSQL keeps: server-side parameters and prepared statements, for a block of code.

Django binds parameters on the client by default (the values are written into the SQL text), so PostgreSQL parses
and plans every query afresh: about 2.5 ms for a claim's API document, several times the cost of running it. Inside
``prepared_statements()`` the connection sends parameters apart from the SQL, and psycopg prepares a query the
second time its text is seen; from then on PostgreSQL reuses its plan (custom plans for the first five runs, then a
generic plan when that costs no more).

It is meant for plain reads: the statements django-pghistory sends with a write (its context and the write in one
call) are two statements in one, which a server-side bound query cannot be. Outside the block the connection is
as Django made it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.base import ServerBindingCursor

# psycopg prepares a query once it has run this many times on a connection.
PREPARE_AFTER = 2


@contextmanager
def prepared_statements(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    wrapper = connections[using]
    wrapper.ensure_connection()
    connection = wrapper.connection
    if connection.cursor_factory is ServerBindingCursor:  # already inside the block (or configured so)
        yield
        return
    cursor_factory, prepare_threshold = connection.cursor_factory, connection.prepare_threshold
    connection.cursor_factory, connection.prepare_threshold = ServerBindingCursor, PREPARE_AFTER
    try:
        yield
    finally:
        connection.cursor_factory, connection.prepare_threshold = cursor_factory, prepare_threshold
