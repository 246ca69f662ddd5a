"""Claim matching: rank existing fact-check claims that a piece of text (sentence, tweet) repeats.

Pure Python + numpy/scipy, no Django: a management command or a Celery task loads the claims (ids, texts,
titles and stored embeddings), builds a :class:`~claims.matching.ranking.ClaimIndex` once and queries it with
a :class:`~claims.matching.ranking.ClaimRanker`.

Modules: ``text`` (normalisation, tokens, sentences), ``embedding`` (MiniLM int8 ONNX encoder), ``lexical``
(BM25), ``ranking`` (the weighted combination) and ``metrics`` (CLEF CheckThat! evaluation helpers).
"""
