"""How sources come in: submitted (admin, API, import, feed), fetched safely, extracted, de-duplicated, linked.

Every way in calls ``source_submit``; fetching and linking happen in Celery tasks enqueued after commit.
A refused or failed fetch is recorded on the source with its reason; it never raises out of a batch.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from accountability.recording import Actor, recording, save_validated
from claims.canonical import canonical_url, content_hash
from claims.ingestion.errors import FetchFailed, FetchRefused
from claims.ingestion.extract import extract_article
from claims.ingestion.fetch import fetch_url
from claims.models import FetchState, Source
from claims.near_duplicates import find_original, simhash
from claims.services import source_record


@dataclass(frozen=True)
class Submission:
    source: Source
    is_new: bool


def source_submit(
    *,
    actor: Actor,
    url: str = "",
    text: str = "",
    title: str = "",
    language: str = "",
    published_at: datetime.datetime | None = None,
    publisher_name: str = "",
) -> Submission:
    """Store the source once and schedule its processing: a URL is fetched, pasted text is linked directly."""
    source, created = source_record(
        actor=actor,
        url=url,
        text=text,
        title=title,
        language=language,
        published_at=published_at,
        publisher_name=publisher_name,
    )
    if created:
        source_schedule_processing(source)
    return Submission(source=source, is_new=created)


def source_schedule_processing(source: Source) -> None:
    from claims import tasks

    if source.fetch_state == FetchState.PENDING:
        transaction.on_commit(lambda: tasks.fetch_source.delay(source.pk))
    else:
        _mark_near_duplicate(source)
        transaction.on_commit(lambda: tasks.link_source.delay(source.pk))


def _mark_near_duplicate(source: Source) -> None:
    fingerprint = simhash(source.text) if source.text else None
    if fingerprint is None:
        return
    original_id = find_original(source_id=source.pk, fingerprint=fingerprint, published_at=source.published_at)
    Source.objects.filter(pk=source.pk).update(simhash=fingerprint, duplicate_of_id=original_id)
    source.simhash, source.duplicate_of_id = fingerprint, original_id


def source_fetch(*, source_id: int) -> Source:
    """Fetch and extract a pending source. Idempotent: a source already fetched, refused or failed is left as
    it is. Transient failures raise ``FetchFailed`` (the task retries); everything else is recorded."""
    source = Source.objects.get(pk=source_id)
    if source.fetch_state != FetchState.PENDING:
        return source
    try:
        document = fetch_url(source.url)
    except FetchRefused as refusal:
        return _record_fetch_problem(source, FetchState.REFUSED, refusal.reason_code, refusal.message)
    except FetchFailed as failure:
        if failure.is_transient:
            raise
        return _record_fetch_problem(source, FetchState.FAILED, failure.reason_code, failure.message)
    article = extract_article(document.text, url=document.final_url)
    if not article.text.strip():
        return _record_fetch_problem(source, FetchState.FAILED, "no_text", "No article text could be extracted.")
    with recording(None, action="source_fetch"):
        locked = Source.objects.select_for_update().get(pk=source_id)
        if locked.fetch_state != FetchState.PENDING:
            return locked
        final_canonical = canonical_url(document.final_url)
        if final_canonical != locked.canonical_url and Source.objects.filter(canonical_url=final_canonical).exists():
            final_canonical = locked.canonical_url  # the redirect target is already stored under its own row
        locked.canonical_url = final_canonical
        locked.text = article.text
        locked.content_hash = content_hash(article.text)
        locked.title = locked.title or article.title or ""
        locked.author = article.author or ""
        locked.publisher_name = locked.publisher_name or article.site_name or ""
        locked.language = locked.language or article.language or ""
        locked.published_at = locked.published_at or article.published_at
        locked.fetched_at = document.fetched_at
        locked.fetch_state = FetchState.FETCHED
        locked.fetch_error_code = locked.fetch_error = ""
        try:
            save_validated(locked)
        except ValidationError as error:
            return _record_fetch_problem(locked, FetchState.FAILED, "invalid_metadata", str(error))
        _mark_near_duplicate(locked)
    return locked


def _record_fetch_problem(source: Source, state: str, code: str, message: str) -> Source:
    Source.objects.filter(pk=source.pk).update(
        fetch_state=state, fetch_error_code=code[:40], fetch_error=message, fetched_at=timezone.now()
    )
    source.refresh_from_db()
    return source


@dataclass
class ImportSummary:
    added: int = 0
    duplicates: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


IMPORT_FIELDS = ("url", "text", "title", "language", "published_at", "publisher")


def _parse_datetime(value: str) -> datetime.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value) or (
        datetime.datetime.combine(parse_date(value), datetime.time()) if parse_date(value) else None
    )
    if parsed is None:
        raise ValidationError({"published_at": f"Not a date or date-time: {value!r}."})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def source_import_row(*, row: dict[str, object], actor: Actor) -> Submission:
    """One row of a bulk import: the same path as every other way in."""
    unknown = set(row) - set(IMPORT_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"Unknown column(s): {', '.join(sorted(unknown))}."})
    values = {name: str(row.get(name) or "").strip() for name in IMPORT_FIELDS}
    return source_submit(
        actor=actor,
        url=values["url"],
        text=values["text"],
        title=values["title"],
        language=values["language"][:8],
        published_at=_parse_datetime(values["published_at"]),
        publisher_name=values["publisher"],
    )


def sources_import(*, rows: Iterable[tuple[int, dict[str, object] | str]], actor: Actor) -> ImportSummary:
    """Import rows given as (line number, row or parse-error message). A bad row is refused with its reason and
    never stops the rest; each good row commits on its own."""
    summary = ImportSummary()
    for line_number, row in rows:
        if isinstance(row, str):
            summary.refused.append((line_number, row))
            continue
        try:
            with transaction.atomic():
                submission = source_import_row(row=row, actor=actor)
        except ValidationError as error:
            summary.refused.append((line_number, "; ".join(_messages(error))))
            continue
        if submission.is_new:
            summary.added += 1
        else:
            summary.duplicates += 1
    return summary


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()]
    return list(error.messages)
