"""The retriever the bot uses: snapshot index + calibrated thresholds, kept current with
the database without retraining or restarting."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine

from minwon.retrieval.decision import Decision, Thresholds, calibrate, decide
from minwon.retrieval.documents import Candidate, EntryDoc
from minwon.retrieval.embeddings import EmbeddingStore
from minwon.retrieval.encoders import Encoder, make_encoder
from minwon.retrieval.openers import strip_openers
from minwon.retrieval.vocabulary import VocabularyCorrector, db_words
from minwon.settings import RetrievalSettings
from minwon.text import MAX_QUERY_CHARS, clean

log = logging.getLogger(__name__)


def load_offtopic(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Retriever:
    def __init__(
        self,
        settings: RetrievalSettings,
        encoder: Encoder | None = None,
        engine: Engine | None = None,
        offtopic: Sequence[str] = (),
    ) -> None:
        from minwon.retrieval.index import SearchIndex

        self._index_cls = SearchIndex
        self.settings = settings
        self.engine = engine
        self.embeddings = EmbeddingStore(encoder, engine) if encoder is not None else None
        self.offtopic = list(offtopic)
        self.index = SearchIndex([], None)
        self.thresholds = Thresholds(answer=1.0, clarify=1.0, margin=settings.clarify_margin)
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.built_at = 0.0
        self._names: tuple[object, float, VocabularyCorrector] | None = None
        self._names_lock = threading.Lock()

    @classmethod
    def from_settings(
        cls, settings: RetrievalSettings, engine: Engine | None, offtopic_path: Path
    ) -> Retriever:
        encoder = make_encoder(
            settings.dense_backend, settings.dense_model_path, settings.dense_query_prefix,
            dual=settings.dual_prefix,
        )
        return cls(settings, encoder, engine, load_offtopic(offtopic_path))

    def fork(self) -> Retriever:
        """An empty retriever with the same settings, encoder and vector cache, for drafts."""
        twin = Retriever(self.settings, None, self.engine, self.offtopic)
        twin.embeddings = self.embeddings
        return twin

    # -- building -----------------------------------------------------------------------
    def build(self, docs: Sequence[EntryDoc]) -> None:
        s = self.settings
        index = self._index_cls(
            docs, self.embeddings, dense_weight=s.dense_weight, char_weight=s.char_weight,
            k1=s.bm25_k1, b=s.bm25_b,
        )
        thresholds = self._thresholds_for(index)
        # Swap both at once; readers hold their own reference for the whole request.
        self.index, self.thresholds = index, thresholds
        self.built_at = time.time()
        log.info(
            "retrieval index: %d entries, thresholds answer=%.3f clarify=%.3f (%s)",
            len(index), thresholds.answer, thresholds.clarify, thresholds.source,
        )

    def _thresholds_for(self, index: object) -> Thresholds:
        s = self.settings
        if s.answer_threshold is not None and s.clarify_threshold is not None:
            return Thresholds(s.answer_threshold, s.clarify_threshold, s.clarify_margin)
        if not self.offtopic or not len(index):  # type: ignore[arg-type]
            return Thresholds(0.85, 0.8, s.clarify_margin, source="fallback")
        # Calibrate on what scoring sees: the sentences with their openers cut (a sentence
        # that is only an opener is never scored, so it counts as 0).
        texts = [self._scored_text(t) for t in self.offtopic]
        kept = [t for t in texts if t]
        vectors = self.embeddings(kept) if self.embeddings and kept else None
        tops = []
        j = 0
        for text in texts:
            if not text:
                tops.append(0.0)
                continue
            qv = vectors[j] if vectors is not None else None
            j += 1
            fused, _, _ = index.score(text, qv)  # type: ignore[attr-defined]
            tops.append(float(fused.max()))
        th = calibrate(np.asarray(tops), s.ood_answer_rate, s.ood_clarify_rate, s.clarify_margin)
        if s.answer_threshold is not None:
            th = Thresholds(s.answer_threshold, min(th.clarify, s.answer_threshold), th.margin, "mixed")
        if s.clarify_threshold is not None:
            th = Thresholds(max(th.answer, s.clarify_threshold), s.clarify_threshold, th.margin, "mixed")
        return th

    # -- asking -------------------------------------------------------------------------
    def _query_vector(self, text: str) -> np.ndarray | None:
        if self.embeddings is None:
            return None
        with self._cache_lock:
            vec = self._query_cache.get(text)
            if vec is not None:
                self._query_cache.move_to_end(text)
                return vec
        vec = self.embeddings.query(text)
        with self._cache_lock:
            self._query_cache[text] = vec
            if len(self._query_cache) > 2048:
                self._query_cache.popitem(last=False)
        return vec

    def _scored_text(self, text: str) -> str:
        text = clean(text, MAX_QUERY_CHARS)
        return strip_openers(text) if self.settings.strip_openers else text

    def search(self, text: str, k: int = 5, today: date | None = None) -> list[Candidate]:
        text = self._scored_text(text)
        if not text:
            return []
        index = self.index
        return index.search(text, self._query_vector(text), k=k, today=today or date.today())

    def ask(self, text: str, today: date | None = None) -> Decision:
        thresholds = self.thresholds
        candidates = self.search(text, k=max(5, self.settings.max_choices), today=today)
        return decide(candidates, thresholds, self.settings.max_choices)

    def get(self, entry_id: str) -> EntryDoc | None:
        return self.index.by_id.get(entry_id)

    def name_corrector(self, max_distance: float) -> VocabularyCorrector:
        """Puts this DB's names back into misheard words (the voicebot's); made again for
        each index build, so an edited entry's keywords count at once."""
        index = self.index
        with self._names_lock:
            if self._names is None or self._names[0] is not index or self._names[1] != max_distance:
                self._names = (index, max_distance, VocabularyCorrector(db_words(index.entries), max_distance))
            return self._names[2]


class LiveRetriever(Retriever):
    """Polls the database and rebuilds the snapshot when entries change, so an edit by a
    knowledge manager (in any process) is answerable within seconds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine is None:
            raise ValueError("LiveRetriever needs a database engine to follow")
        self._engine: Engine = self.engine
        self._fingerprint: tuple[int, str] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._refresh_lock = threading.Lock()

    def refresh(self, force: bool = False) -> bool:
        from minwon.knowledge.store import active_docs, fingerprint

        with self._refresh_lock:
            fp = fingerprint(self._engine)
            if not force and fp == self._fingerprint:
                return False
            self.build(active_docs(self._engine))
            self._fingerprint = fp
            return True

    def start(self) -> None:
        self.refresh(force=True)
        self._thread = threading.Thread(target=self._loop, name="retrieval-refresh", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(self.settings.refresh_interval_s):
            try:
                self.refresh()
            except Exception:  # keep serving the last good snapshot
                log.exception("retrieval refresh failed; keeping the previous index")
