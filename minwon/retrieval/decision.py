"""Answer, clarify or reject: the bot's decision from ranked candidates and thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from minwon.retrieval.documents import Candidate

Kind = Literal["answer", "clarify", "reject"]


@dataclass(frozen=True)
class Thresholds:
    answer: float
    clarify: float
    margin: float = 0.02
    source: str = "configured"


@dataclass
class Decision:
    kind: Kind
    candidates: list[Candidate]
    choices: list[Candidate] = field(default_factory=list)
    # Set on a clarification whose choices all share one category, so the dialogue can ask
    # "OO 관련해서 어떤 내용이 궁금하신가요?" instead of a bare list.
    category: str = ""

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def decide(candidates: list[Candidate], th: Thresholds, max_choices: int = 3) -> Decision:
    if not candidates or candidates[0].score < th.clarify:
        return Decision("reject", candidates)
    top = candidates[0]
    close = [c for c in candidates[:max_choices] if top.score - c.score <= th.margin]
    if top.score >= th.answer and len(close) == 1:
        return Decision("answer", candidates, [top])
    if len(close) == 1:
        # Plausible but not sure: offer the best few that clear the clarify bar.
        close = [c for c in candidates[:max_choices] if c.score >= th.clarify - th.margin]
    cats = {c.entry.category for c in close}
    return Decision("clarify", candidates, close, category=cats.pop() if len(cats) == 1 else "")


def calibrate(
    offtopic_top_scores: np.ndarray,
    answer_rate: float,
    clarify_rate: float,
    margin: float,
) -> Thresholds:
    """Thresholds that let at most ``answer_rate`` of off-topic sentences be answered and
    ``clarify_rate`` of them reach a clarification, measured against this very DB (scores
    do not carry over between databases)."""
    scores = np.sort(np.asarray(offtopic_top_scores, dtype=np.float64))
    if scores.size == 0:
        return Thresholds(answer=0.85, clarify=0.8, margin=margin, source="fallback")
    answer = float(np.quantile(scores, 1 - answer_rate))
    clarify = float(np.quantile(scores, 1 - clarify_rate))
    return Thresholds(answer=answer, clarify=min(clarify, answer), margin=margin, source="calibrated")
