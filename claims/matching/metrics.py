"""Evaluation helpers: CLEF CheckThat! MAP@k, MRR, TREC run/qrels files and the benchmark TSV format.

MAP@k follows the lab's definition: a query's average precision over the top ``k`` is divided by the number
of relevant claims of that query (not by ``min(R, k)``), and a query with no run counts as 0.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

Ranking = Sequence[str]
Qrels = Mapping[str, set[str]]


def average_precision_at_k(ranking: Ranking, relevant: set[str], k: int) -> float:
    if not relevant:
        return 0.0
    hits = 0
    precision_sum = 0.0
    for rank, claim_id in enumerate(ranking[:k], start=1):
        if claim_id in relevant:
            hits += 1
            precision_sum += hits / rank
    return precision_sum / len(relevant)


def reciprocal_rank(ranking: Ranking, relevant: set[str]) -> float:
    for rank, claim_id in enumerate(ranking, start=1):
        if claim_id in relevant:
            return 1.0 / rank
    return 0.0


def mean_average_precision_at_k(rankings: Mapping[str, Ranking], qrels: Qrels, k: int) -> float:
    """Mean over the queries of ``qrels``; queries missing from ``rankings`` count 0."""
    if not qrels:
        return 0.0
    return sum(
        average_precision_at_k(rankings.get(query_id, []), relevant, k) for query_id, relevant in qrels.items()
    ) / len(qrels)


def mean_reciprocal_rank(rankings: Mapping[str, Ranking], qrels: Qrels) -> float:
    if not qrels:
        return 0.0
    return sum(reciprocal_rank(rankings.get(query_id, []), relevant) for query_id, relevant in qrels.items()) / len(
        qrels
    )


def summary(rankings: Mapping[str, Ranking], qrels: Qrels) -> dict[str, float]:
    """MAP@1, MAP@3, MAP@5 and MRR, the figures the lab reports."""
    return {
        "MAP@1": mean_average_precision_at_k(rankings, qrels, 1),
        "MAP@3": mean_average_precision_at_k(rankings, qrels, 3),
        "MAP@5": mean_average_precision_at_k(rankings, qrels, 5),
        "MRR": mean_reciprocal_rank(rankings, qrels),
    }


def _read_tsv_rows(path: str | Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)  # header
        return [row for row in reader if row]


def read_claims_tsv(path: str | Path) -> tuple[list[str], list[str], list[str]]:
    """``claim_id  text  title`` with a header -> (ids, texts, titles); a missing title is ``""``."""
    rows = _read_tsv_rows(path)
    return (
        [row[0] for row in rows],
        [row[1] for row in rows],
        [row[2] if len(row) > 2 else "" for row in rows],
    )


def read_queries_tsv(path: str | Path) -> tuple[list[str], list[str]]:
    """``query_id  text`` with a header -> (ids, texts)."""
    rows = _read_tsv_rows(path)
    return [row[0] for row in rows], [row[1] if len(row) > 1 else "" for row in rows]


def read_qrels(path: str | Path) -> dict[str, set[str]]:
    """TREC qrels (``query_id 0 claim_id relevance``, no header); duplicate lines collapse."""
    qrels: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) >= 4 and int(fields[3]) > 0:
                qrels.setdefault(fields[0], set()).add(fields[2])
    return qrels


def write_trec_run(path: str | Path, run: Mapping[str, Iterable[tuple[str, float]]], tag: str) -> None:
    """Write ``query_id Q0 claim_id rank score tag`` lines, ranks starting at 1."""
    with open(path, "w", encoding="utf-8") as handle:
        for query_id, ranked in run.items():
            for rank, (claim_id, score) in enumerate(ranked, start=1):
                handle.write(f"{query_id} Q0 {claim_id} {rank} {score:.6f} {tag}\n")
