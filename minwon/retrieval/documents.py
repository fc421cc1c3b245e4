"""What the retriever knows of an entry: an immutable snapshot of the DB row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class EntryDoc:
    id: str
    question: str
    alt_questions: tuple[str, ...] = ()
    answer: str = ""
    spoken_answer: str = ""
    category: str = ""
    subcategory: str = ""
    department: str = ""
    phone: str = ""
    needs_human: bool = False
    keywords: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    version: int = 1

    @property
    def phrasings(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for q in (self.question, *self.alt_questions):
            q = q.strip()
            if q:
                seen.setdefault(q, None)
        return tuple(seen)

    def is_valid_on(self, day: date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)

    def public(self) -> dict[str, object]:
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "spoken_answer": self.spoken_answer or self.answer,
            "category": self.category,
            "subcategory": self.subcategory,
            "department": self.department,
            "phone": self.phone,
            "needs_human": self.needs_human,
        }


@dataclass
class Candidate:
    entry: EntryDoc
    score: float
    dense: float = 0.0
    lexical: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        return {
            "entry_id": self.entry.id,
            "question": self.entry.question,
            "category": self.entry.category,
            "score": round(self.score, 4),
            "dense": round(self.dense, 4),
            "lexical": round(self.lexical, 4),
        }
