from pathlib import Path

import pytest

from claims.matching.metrics import (
    average_precision_at_k,
    mean_average_precision_at_k,
    mean_reciprocal_rank,
    read_claims_tsv,
    read_qrels,
    read_queries_tsv,
    write_trec_run,
)


def test_map_at_5_divides_by_number_of_relevant_claims() -> None:
    relevant = {"a", "b", "c", "d", "e", "f"}
    # All five returned claims are relevant, but there are six relevant ones: 5 / 6, not 1.
    assert average_precision_at_k(["a", "b", "c", "d", "e"], relevant, 5) == pytest.approx(5 / 6)


def test_average_precision_rewards_relevant_claims_at_the_top() -> None:
    assert average_precision_at_k(["x", "a"], {"a"}, 5) == pytest.approx(0.5)
    assert average_precision_at_k(["a", "x"], {"a"}, 5) == pytest.approx(1.0)


def test_relevant_claim_below_the_cutoff_does_not_count() -> None:
    assert average_precision_at_k(["x", "y", "a"], {"a"}, 1) == 0.0
    assert average_precision_at_k(["x", "y", "a"], {"a"}, 3) == pytest.approx(1 / 3)


def test_query_without_a_run_counts_zero_in_the_mean() -> None:
    qrels = {"q1": {"a"}, "q2": {"b"}}
    assert mean_average_precision_at_k({"q1": ["a"]}, qrels, 5) == pytest.approx(0.5)


def test_mean_reciprocal_rank_uses_first_relevant_claim() -> None:
    assert mean_reciprocal_rank({"q": ["x", "a", "b"]}, {"q": {"a", "b"}}) == pytest.approx(0.5)


def test_qrels_reader_collapses_duplicate_lines(tmp_path: Path) -> None:
    path = tmp_path / "qrels.tsv"
    path.write_text("q1 0 c1 1\nq1 0 c1 1\nq1 0 c2 1\nq2 0 c3 0\n")
    assert read_qrels(path) == {"q1": {"c1", "c2"}}


def test_tsv_readers_skip_header_and_keep_quotes(tmp_path: Path) -> None:
    claims = tmp_path / "claims.tsv"
    claims.write_text('claim_id\ttext\ttitle\n1\tHe said "hi"\tA title\n2\tNo title\t\n', encoding="utf-8")
    assert read_claims_tsv(claims) == (["1", "2"], ['He said "hi"', "No title"], ["A title", ""])
    queries = tmp_path / "queries.tsv"
    queries.write_text("query_id\ttext\nq1\tSome tweet\n", encoding="utf-8")
    assert read_queries_tsv(queries) == (["q1"], ["Some tweet"])


def test_trec_run_lines_have_rank_score_and_tag(tmp_path: Path) -> None:
    path = tmp_path / "run.txt"
    write_trec_run(path, {"q1": [("c9", 0.9), ("c2", 0.5)]}, "combined")
    assert path.read_text().splitlines() == ["q1 Q0 c9 1 0.900000 combined", "q1 Q0 c2 2 0.500000 combined"]
