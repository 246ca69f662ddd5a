"""Near-duplicate detection for syndicated copies of one story: SimHash over word shingles.

Two copies of a wire story on different sites differ in boilerplate, a headline or a sentence; their 64-bit
SimHashes then differ in a few bits while unrelated articles differ in about 32.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.db import connection

SHINGLE_WORDS = 3
#: At most this many differing bits makes two texts copies of one story (measured: copies with a changed
#: headline and a dropped paragraph stay under 6; unrelated news articles sit around 32).
MAX_HAMMING_DISTANCE = 6
SEARCH_WINDOW = datetime.timedelta(days=3)
_WORD = re.compile(r"\w+", re.UNICODE)
_SIGNED_64 = 1 << 63


def simhash(text: str) -> int | None:
    """Signed 64-bit SimHash (fits a PostgreSQL bigint), or None for texts too short to compare."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS * 4:
        return None
    weights = [0] * 64
    for start in range(len(words) - SHINGLE_WORDS + 1):
        shingle = " ".join(words[start : start + SHINGLE_WORDS])
        value = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if value >> bit & 1 else -1
    unsigned = sum(1 << bit for bit in range(64) if weights[bit] > 0)
    return unsigned - (1 << 64) if unsigned >= _SIGNED_64 else unsigned


def hamming_distance(first: int, second: int) -> int:
    return ((first ^ second) & ((1 << 64) - 1)).bit_count()


def find_original(*, source_id: int, fingerprint: int, published_at: datetime.datetime | None) -> int | None:
    """The earliest other source (within the time window when the date is known) whose SimHash is close."""
    sql = (
        "SELECT id FROM claims_source WHERE simhash IS NOT NULL AND id <> %s "
        "AND length(replace(((simhash # %s)::bit(64))::text, '0', '')) <= %s"
    )
    parameters: list[object] = [source_id, fingerprint, MAX_HAMMING_DISTANCE]
    if published_at is not None:
        sql += " AND (published_at IS NULL OR published_at BETWEEN %s AND %s)"
        parameters += [published_at - SEARCH_WINDOW, published_at + SEARCH_WINDOW]
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY id LIMIT 1", parameters)
        row = cursor.fetchone()
    return row[0] if row else None
