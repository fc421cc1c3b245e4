"""Import preview: what a file would change and what is wrong with it, before anything is
written; the draft can be asked questions next to the live DB."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Engine

from minwon.knowledge.files import read_table
from minwon.knowledge.rows import EntryRow, parse_rows
from minwon.knowledge.store import active_docs
from minwon.retrieval.documents import EntryDoc
from minwon.retrieval.retriever import Retriever

# Two entries "answer the same question" when, asked one entry's own question, the other
# entry scores above OVERLAP_MIN (fused 0–1 scale) and within OVERLAP_MARGIN of the entry
# itself. Measured on the sample DB: the closest pair of its 262 distinct entries scores
# 0.838; a reworded copy of an entry ("도서관 카드 발급" for "도서관 회원증은 어떻게
# 만드나요?") scores 0.86–0.91. A heuristic for a person to look at, not a verdict.
OVERLAP_MARGIN = 0.10
OVERLAP_MIN = 0.85
DRAFT_TTL_S = 3600
# A preview embeds every new phrasing (~20 ms each on 2 cores); bigger files go through the
# CLI (python -m minwon.knowledge import), which has no preview to wait for.
MAX_PREVIEW_ROWS = 20_000


@dataclass
class Problem:
    row: int
    column: str
    kind: str  # row_error | duplicate_question | overlapping_entry
    message: str
    entry_id: str | None = None
    other_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class Draft:
    id: str
    filename: str
    created_by: str
    rows: list[EntryRow]
    problems: list[Problem]
    new_ids: list[str]
    changed_ids: list[str]
    retriever: Retriever
    created: float = field(default_factory=time.time)


def _norm(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def to_doc(r: EntryRow) -> EntryDoc:
    return EntryDoc(
        id=r.id,
        question=r.question,
        alt_questions=tuple(r.alt_questions),
        answer=r.answer,
        spoken_answer=r.spoken_answer,
        category=r.category,
        subcategory=r.subcategory,
        department=r.department,
        phone=r.phone,
        needs_human=r.needs_human,
        keywords=tuple(r.keywords),
        valid_from=r.valid_from,
        valid_to=r.valid_to,
    )


def overlaps(retriever: Retriever, docs: list[EntryDoc], only: set[str] | None = None) -> list[tuple[str, str, float]]:
    """(entry, other entry, score) pairs where asking the entry's own question brings the
    other entry up almost as high: two entries answering the same question."""
    found = []
    for d in docs:
        if only is not None and d.id not in only:
            continue
        cands = retriever.search(d.question, k=3)
        own = next((c.score for c in cands if c.entry.id == d.id), None)
        for c in cands:
            if c.entry.id == d.id or own is None:
                continue
            if c.score >= OVERLAP_MIN and c.score >= own - OVERLAP_MARGIN:
                found.append((d.id, c.entry.id, round(c.score, 3)))
    return found


class Drafts:
    """Import previews kept in memory until published or an hour old."""

    def __init__(self, engine: Engine, live: Retriever) -> None:
        self.engine, self.live = engine, live
        self._drafts: dict[str, Draft] = {}
        self._lock = threading.Lock()

    def create(self, data: bytes, filename: str, user: str) -> Draft:
        records = read_table(data, filename)  # ValueError with a Korean message on a bad file
        if len(records) > MAX_PREVIEW_ROWS:
            raise ValueError(f"한 번에 {MAX_PREVIEW_ROWS:,}행까지 미리 볼 수 있습니다 (이 파일은 {len(records):,}행). "
                             "파일을 나누어 올리시거나 IT 담당자에게 명령줄 가져오기를 요청해 주세요.")
        rows, errors = parse_rows(records)
        problems = [Problem(e.row, e.column, "duplicate_question" if e.column == "question" and "같은 질문" in e.message
                            else "row_error", e.message) for e in errors]
        live_docs = active_docs(self.engine)
        live_ids = {d.id: d for d in live_docs}
        by_question: dict[str, str] = {}
        for d in live_docs:
            for q in (d.question, *d.alt_questions):
                by_question.setdefault(_norm(q), d.id)
        for r in rows:
            for q in (r.question, *r.alt_questions):
                other = by_question.get(_norm(q))
                if other and other != r.id:
                    problems.append(
                        Problem(
                            r.row,
                            "question",
                            "duplicate_question",
                            f"같은 질문이 기존 항목 {other}에 이미 있습니다: {q[:60]}",
                            r.id,
                            other,
                        )
                    )
                    break
        draft_docs = {d.id: d for d in live_docs}
        draft_docs.update({r.id: to_doc(r) for r in rows})
        retriever = self.live.fork()
        retriever.build(list(draft_docs.values()))
        touched = {r.id for r in rows}
        # Overlaps are looked for where the questions are new: new entries and entries
        # whose phrasings changed (an answer-only edit cannot make two entries collide).
        asked_new = {
            r.id
            for r in rows
            if r.id not in live_ids
            or (r.question, tuple(r.alt_questions)) != (live_ids[r.id].question, live_ids[r.id].alt_questions)
        }
        row_of = {r.id: r.row for r in rows}
        flagged = {p.entry_id for p in problems if p.entry_id}
        for entry_id, other, score in overlaps(retriever, list(draft_docs.values()), only=asked_new):
            if entry_id in flagged or (
                other in touched and (other, entry_id) in {(p.entry_id, p.other_id) for p in problems}
            ):
                continue
            what = "기존 항목" if other in live_ids and other not in touched else "파일의 항목"
            problems.append(
                Problem(
                    row_of[entry_id],
                    "question",
                    "overlapping_entry",
                    f"{what} {other}와(과) 같은 질문에 답합니다 (유사도 {score:.2f}). "
                    "하나로 합치거나 질문을 더 구체적으로 써 주세요.",
                    entry_id,
                    other,
                )
            )
            flagged.add(entry_id)
        draft = Draft(
            id=secrets.token_urlsafe(12),
            filename=filename[:200],
            created_by=user,
            rows=rows,
            problems=sorted(problems, key=lambda p: (p.row, p.column)),
            new_ids=[r.id for r in rows if r.id not in live_ids],
            changed_ids=[r.id for r in rows if r.id in live_ids and to_doc(r) != _same_shape(live_ids[r.id])],
            retriever=retriever,
        )
        with self._lock:
            now = time.time()
            self._drafts = {k: v for k, v in self._drafts.items() if now - v.created < DRAFT_TTL_S}
            self._drafts[draft.id] = draft
        return draft

    def get(self, draft_id: str) -> Draft | None:
        with self._lock:
            return self._drafts.get(draft_id)

    def drop(self, draft_id: str) -> None:
        with self._lock:
            self._drafts.pop(draft_id, None)


def _same_shape(d: EntryDoc) -> EntryDoc:
    # Live docs carry their version; a draft's rows do not: compare content only.
    return replace(d, version=1)
