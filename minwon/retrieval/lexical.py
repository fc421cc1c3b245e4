"""Okapi BM25 over a sparse term-document matrix, normalised to 0–1 so it can be fused.

The normalised score divides by the best score the query could reach (the sum over its
terms of idf·(k1+1)), so a document containing every query term at saturation scores 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse


class BM25Index:
    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = np.zeros(len(documents), dtype=np.float32)
        for d, doc in enumerate(documents):
            lengths[d] = len(doc)
            counts: dict[int, int] = {}
            for term in doc:
                t = self.vocab.setdefault(term, len(self.vocab))
                counts[t] = counts.get(t, 0) + 1
            for t, c in counts.items():
                rows.append(d)
                cols.append(t)
                vals.append(c)
        n_docs = max(len(documents), 1)
        tf = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)),
            shape=(len(documents), len(self.vocab)),
        )
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(self.vocab))
        self.idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = float(lengths.mean()) if len(documents) else 1.0
        norm = k1 * (1 - b + b * lengths / max(avg, 1e-6))
        # Precompute the saturated tf weight per (doc, term); scoring is then one column sum.
        tf = tf.tocoo()
        weights = tf.data * (k1 + 1) / (tf.data + norm[tf.row])
        self.matrix = sparse.csc_matrix(
            (weights.astype(np.float32), (tf.row, tf.col)), shape=tf.shape
        )
        self.n_docs = len(documents)

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """Normalised BM25 of every document for the query, in [0, 1]."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        ids = [self.vocab[t] for t in query_terms if t in self.vocab]
        if not ids or not self.n_docs:
            return out
        # Unknown query terms still count in the maximum: a query that is mostly words the
        # DB never uses must not look like a perfect match.
        unknown = len(query_terms) - len(ids)
        max_idf = float(np.log1p((self.n_docs + 0.5) / 0.5))
        best = sum(float(self.idf[i]) for i in ids) + unknown * max_idf
        cols = self.matrix[:, ids]
        out = np.asarray(cols @ self.idf[ids]).ravel()
        return out / ((self.k1 + 1) * best)
