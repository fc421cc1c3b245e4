"""The unanswered-question inbox: what citizens asked that the bot rejected, only
clarified, or handed over for lack of an answer; grouped by meaning, most frequent first,
so a knowledge manager can turn each group into a phrasing, a new entry, or nothing."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from minwon.db.models import InboxMark, QueryLog, Ticket, utcnow
from minwon.db.session import session_scope
from minwon.retrieval.retriever import Retriever

# Two questions belong together when their e5 vectors are this close (cosine); e5 puts
# paraphrases at ~0.9 and merely related questions at ~0.8.
SAME_QUESTION = 0.88
SOURCES = {"reject": "답 못 함", "clarify": "선택지만 제시", "unhelpful": "도움 안 됨",
           "no_match": "상담원 연결(답 없음)"}


def text_key(text: str) -> str:
    norm = "".join(ch for ch in text if ch.isalnum())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass
class Cluster:
    texts: list[str]
    count: int
    sources: Counter[str] = field(default_factory=Counter)
    suggestion: dict[str, Any] | None = None  # the entry the bot came closest to

    def as_dict(self) -> dict[str, Any]:
        return {
            "representative": self.texts[0],
            "texts": self.texts[:20],
            "count": self.count,
            "sources": {SOURCES.get(k, k): v for k, v in self.sources.items()},
            "suggestion": self.suggestion,
        }


def collect(engine: Engine, days: int = 30) -> Counter[tuple[str, str]]:
    """(text, source) → how often, excluding what a knowledge manager already handled."""
    since = utcnow() - timedelta(days=days)
    counts: Counter[tuple[str, str]] = Counter()
    with session_scope(engine) as s:
        marked = set(s.scalars(select(InboxMark.text_key)))
        for text, decision in s.execute(
            select(QueryLog.text, QueryLog.decision).where(
                QueryLog.created_at >= since, QueryLog.decision.in_(("reject", "clarify", "unhelpful"))
            )
        ):
            if text and any(ch.isalnum() for ch in text) and text_key(text) not in marked:
                counts[(text.strip()[:300], decision)] += 1
        for summary in s.scalars(select(Ticket.summary).where(Ticket.created_at >= since, Ticket.reason == "no_match")):
            if summary and text_key(summary) not in marked:
                counts[(summary.strip()[:300], "no_match")] += 1
    return counts


def clusters(engine: Engine, retriever: Retriever, days: int = 30, limit: int = 100) -> list[Cluster]:
    counts = collect(engine, days)
    by_text: Counter[str] = Counter()
    sources: dict[str, Counter[str]] = {}
    for (text, source), n in counts.items():
        by_text[text] += n
        sources.setdefault(text, Counter())[source] += n
    texts = [t for t, _ in by_text.most_common(2000)]
    if not texts:
        return []
    vectors = retriever.embeddings(texts) if retriever.embeddings is not None else None
    if vectors is not None:
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    groups: list[Cluster] = []
    heads: list[np.ndarray] = []
    for i, text in enumerate(texts):  # most frequent first: each group is led by its most asked
        vec = vectors[i] if vectors is not None else None
        home = None
        if vec is not None and heads:
            sims = np.asarray(heads) @ vec
            j = int(sims.argmax())
            if sims[j] >= SAME_QUESTION:
                home = groups[j]
        if home is None and vec is None:
            home = next((g for g in groups if g.texts[0].replace(" ", "") == text.replace(" ", "")), None)
        if home is None:
            home = Cluster([], 0)
            groups.append(home)
            if vec is not None:
                heads.append(vec)
        home.texts.append(text)
        home.count += by_text[text]
        home.sources.update(sources[text])
    groups.sort(key=lambda g: -g.count)
    for g in groups[:limit]:
        cands = retriever.search(g.texts[0], k=1)
        if cands:
            c = cands[0]
            g.suggestion = {"entry_id": c.entry.id, "question": c.entry.question, "score": round(c.score, 3)}
    return groups[:limit]


def mark(engine: Engine, texts: list[str], status: str, user: str, entry_id: str | None = None) -> int:
    with session_scope(engine) as s:
        for t in texts:
            key = text_key(t)
            row = s.get(InboxMark, key) or InboxMark(text_key=key)
            row.status, row.entry_id, row.marked_by, row.marked_at = status, entry_id, user, utcnow()
            s.add(row)
    return len(texts)
