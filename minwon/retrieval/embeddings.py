"""Dense vectors with a persistent cache: 10,000 entries take minutes to embed from
scratch on two cores, so every phrasing is embedded once and kept in the database."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence

import numpy as np
from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from minwon.db.models import EmbeddingCache
from minwon.db.session import session_scope
from minwon.retrieval.encoders import Encoder


class EmbeddingStore:
    def __init__(self, encoder: Encoder, engine: Engine | None = None, batch_size: int = 32):
        self.encoder = encoder
        self.engine = engine
        self.batch_size = batch_size
        self._memory: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.encoder.name}\x00{text}".encode()).hexdigest()

    def query(self, text: str) -> np.ndarray:
        """One query vector; queries are not cached in the database."""
        return self.encoder.encode([text])[0]

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        with self._lock:
            missing = [k for k in dict.fromkeys(keys) if k not in self._memory]
        if missing and self.engine is not None:
            self._load(missing)
        with self._lock:
            todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._memory}
        if todo:
            items = list(todo.items())
            fresh: dict[str, np.ndarray] = {}
            for i in range(0, len(items), self.batch_size):
                chunk = items[i : i + self.batch_size]
                vecs = self.encoder.encode([t for _, t in chunk])
                fresh.update({k: v for (k, _), v in zip(chunk, vecs, strict=True)})
            with self._lock:
                self._memory.update(fresh)
            if self.engine is not None:
                self._save(fresh)
        with self._lock:
            if not keys:
                return np.zeros((0, self.encoder.dim), dtype=np.float32)
            return np.stack([self._memory[k] for k in keys]).astype(np.float32)

    def _load(self, keys: list[str]) -> None:
        assert self.engine is not None
        found: dict[str, np.ndarray] = {}
        with session_scope(self.engine) as s:
            for i in range(0, len(keys), 500):
                rows = s.execute(
                    select(EmbeddingCache.key, EmbeddingCache.vector).where(
                        EmbeddingCache.key.in_(keys[i : i + 500])
                    )
                )
                for key, blob in rows:
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.shape == (self.encoder.dim,):
                        found[key] = vec
        with self._lock:
            self._memory.update(found)

    def _save(self, vectors: dict[str, np.ndarray]) -> None:
        assert self.engine is not None
        rows = [{"key": k, "vector": v.astype(np.float32).tobytes()} for k, v in vectors.items()]
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        with session_scope(self.engine) as s:
            for i in range(0, len(rows), 500):
                stmt = insert(EmbeddingCache).values(rows[i : i + 500])
                s.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))
