"""An immutable, searchable snapshot of the counseling DB.

Every phrasing of an entry gets a dense vector; an entry's dense score pools the best
phrasing with the entry's centroid (robust when one phrasing is odd). BM25 runs over
all phrasings of an entry joined into one document, once over Kiwi morphemes and once
over character 2–3-grams (typos and odd spellings the morphemes miss). The fused score
is a convex mix of the three.
Snapshots are rebuilt off the request path and swapped atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from minwon.retrieval.documents import Candidate, EntryDoc
from minwon.retrieval.lexical import BM25Index
from minwon.retrieval.morphemes import terms

VectorLookup = Callable[[Sequence[str]], np.ndarray]


def char_grams(text: str) -> list[str]:
    t = "".join(text.split()).lower()
    return [t[i : i + n] for n in (2, 3) for i in range(len(t) - n + 1)]


class SearchIndex:
    def __init__(
        self,
        entries: Sequence[EntryDoc],
        vectors: VectorLookup | None,
        dense_weight: float = 0.8,
        char_weight: float = 0.1,
        max_pool_weight: float = 0.5,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self.entries = list(entries)
        self.by_id = {e.id: e for e in self.entries}
        self.dense_weight = dense_weight if vectors is not None else 0.0
        self.char_weight = char_weight
        self.max_pool_weight = max_pool_weight
        docs = [
            [t for p in e.phrasings for t in terms(p)] + [k.lower() for k in e.keywords]
            for e in self.entries
        ]
        self.bm25 = BM25Index(docs, k1=k1, b=b)
        self.char_bm25 = BM25Index(
            [[g for p in e.phrasings for g in char_grams(p)] for e in self.entries], k1=k1, b=b
        )
        # Validity windows as day ordinals, so filtering is one vectorised comparison.
        self.valid_from = np.array(
            [e.valid_from.toordinal() if e.valid_from else 0 for e in self.entries], dtype=np.int64
        )
        self.valid_to = np.array(
            [e.valid_to.toordinal() if e.valid_to else 10**7 for e in self.entries], dtype=np.int64
        )
        self._dense_ready = vectors is not None and len(self.entries) > 0
        if self._dense_ready:
            assert vectors is not None
            phrasings: list[str] = []
            owners: list[int] = []
            for i, e in enumerate(self.entries):
                for p in e.phrasings:
                    phrasings.append(p)
                    owners.append(i)
            self.phrase_vectors = vectors(phrasings)
            self.owners = np.asarray(owners, dtype=np.int64)
            # Owners are contiguous and sorted: reduceat gives a per-entry maximum.
            self.starts = np.flatnonzero(np.r_[True, self.owners[1:] != self.owners[:-1]])
            sums = np.add.reduceat(self.phrase_vectors, self.starts, axis=0)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            self.centroids = (sums / np.maximum(norms, 1e-9)).astype(np.float32)

    def __len__(self) -> int:
        return len(self.entries)

    def score(self, query: str, query_vector: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Fused, dense and lexical scores of every entry."""
        lexical = self.bm25.scores(terms(query))
        chars = self.char_bm25.scores(char_grams(query))
        if not self._dense_ready or query_vector is None:
            lex_only = (1 - self.char_weight) * lexical + self.char_weight * chars
            return lex_only, np.zeros_like(lexical), lexical
        sims = self.phrase_vectors @ query_vector
        best = np.maximum.reduceat(sims, self.starts)
        centroid = self.centroids @ query_vector
        dense = self.max_pool_weight * best + (1 - self.max_pool_weight) * centroid
        lexical_weight = 1 - self.dense_weight - self.char_weight
        fused = self.dense_weight * dense + lexical_weight * lexical + self.char_weight * chars
        return fused, dense, lexical

    def search(
        self,
        query: str,
        query_vector: np.ndarray | None,
        k: int = 5,
        today: date | None = None,
    ) -> list[Candidate]:
        if not self.entries:
            return []
        fused, dense, lexical = self.score(query, query_vector)
        if today is not None:
            day = today.toordinal()
            valid = (self.valid_from <= day) & (day <= self.valid_to)
            fused = np.where(valid, fused, -np.inf)
        k = min(k, len(self.entries))
        top = np.argpartition(-fused, k - 1)[:k]
        top = top[np.argsort(-fused[top])]
        return [
            Candidate(self.entries[i], float(fused[i]), float(dense[i]), float(lexical[i]))
            for i in top
            if np.isfinite(fused[i])
        ]
