"""Reads whose query plans PostgreSQL keeps: server-side parameters and prepared statements, for a block of code.

Django binds parameters on the client by default (the values are written into the SQL text), so PostgreSQL parses
and plans every query afresh: about 2.5 ms for a claim's API document, several times the cost of running it. Inside
``prepared_statements()`` the cursors the connection opens send parameters apart from the SQL, and psycopg prepares
a query the second time its text is seen on the connection; from then on PostgreSQL reuses its plan (custom plans
for the first five runs, then a generic plan when that costs no more).

It is meant for plain reads: the statements django-pghistory sends with a write (its context and the write in one
call) are two statements in one, which a server-side bound query cannot be. Nothing connects until a query runs
(an answer from the cache needs no database), and outside the block cursors are Django's usual ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.base import ServerBindingCursor
from django.http import HttpRequest, HttpResponseBase

# The public site's pages and the API: their GETs only read.
READ_NAMESPACES = {"accountability", "claims", "api-v1"}
# psycopg prepares a query once it has run this many times on a connection.
PREPARE_AFTER = 2


@contextmanager
def prepared_statements(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    wrapper = connections[using]
    if "create_cursor" in vars(wrapper):  # already inside the block
        yield
        return
    django_create_cursor = wrapper.create_cursor
    thresholds: dict[Any, int | None] = {}

    def create_cursor(name: str | None = None) -> Any:
        if name is not None:  # named (server-side) cursors stay Django's
            return django_create_cursor(name)
        connection = wrapper.connection
        if connection not in thresholds:
            thresholds[connection] = connection.prepare_threshold
            connection.prepare_threshold = PREPARE_AFTER
        return ServerBindingCursor(connection)

    wrapper.create_cursor = create_cursor
    try:
        yield
    finally:
        del wrapper.create_cursor
        for connection, threshold in thresholds.items():
            if not connection.closed:
                connection.prepare_threshold = threshold


class PreparedReadsMiddleware:
    """GETs of the public site and of the API run their queries as prepared statements (an official's page: about 95
    -> 50 ms on the full-size dataset). The block covers the view and its template; the session middleware saves a
    session after it, with Django's usual cursors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with ExitStack() as reads:
            request._prepared_reads = reads  # type: ignore[attr-defined]
            return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict) -> None:
        match = request.resolver_match
        if request.method in ("GET", "HEAD") and match and set(match.namespaces) & READ_NAMESPACES:
            request._prepared_reads.enter_context(prepared_statements())  # type: ignore[attr-defined]
