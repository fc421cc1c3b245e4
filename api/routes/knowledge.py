"""Asking the counseling DB."""

from __future__ import annotations

import time
from dataclasses import asdict

from fastapi import APIRouter, HTTPException, Request

from api.schemas import AskRequest, AskResponse, CandidateOut, CorrectionOut, CorrectRequest, CorrectResponse, EntryOut
from api.service_auth import internal_router
from minwon.db.models import QueryLog
from minwon.db.session import session_scope
from minwon.privacy import mask_personal_data
from minwon.retrieval.documents import EntryDoc
from minwon.retrieval.vocabulary import db_words

router = APIRouter(prefix="/api/knowledge", tags=["knowledge"])
# For the action server and the voice gateway only (api/service_auth.py).
internal = internal_router(prefix="/api/knowledge", tags=["knowledge (internal)"])


def _entry(e: EntryDoc) -> EntryOut:
    return EntryOut(**e.public())  # type: ignore[arg-type]


@internal.post("/ask", response_model=AskResponse)
def ask(body: AskRequest, request: Request) -> AskResponse:
    """Match a citizen's question: answer, clarify (2–3 close entries) or reject."""
    state = request.app.state.minwon
    started = time.perf_counter()
    decision = state.retriever.ask(body.text)
    took = (time.perf_counter() - started) * 1000
    th = state.retriever.thresholds
    resp = AskResponse(
        decision=decision.kind,
        entry=_entry(decision.top.entry) if decision.kind == "answer" and decision.top else None,
        choices=[_entry(c.entry) for c in decision.choices] if decision.kind == "clarify" else [],
        category=decision.category if decision.kind == "clarify" else "",
        candidates=[CandidateOut(**c.summary()) for c in decision.candidates[:5]],  # type: ignore[arg-type]
        thresholds={"answer": th.answer, "clarify": th.clarify, "margin": th.margin},
        took_ms=round(took, 2),
    )
    if body.log and body.text.strip():
        top = decision.top
        with session_scope(state.engine) as s:
            s.add(
                QueryLog(
                    conversation_id=body.conversation_id, channel=body.channel,
                    text=mask_personal_data(body.text[:2000]), decision=decision.kind,
                    entry_id=top.entry.id if top else None, score=top.score if top else 0.0,
                    candidates=[c.summary() for c in decision.candidates[:5]],
                )
            )
    return resp


@internal.get("/entries/{entry_id}", response_model=EntryOut)
def get_entry(entry_id: str, request: Request) -> EntryOut:
    entry = request.app.state.minwon.retriever.get(entry_id)
    if entry is None:
        raise HTTPException(404, detail=f"상담 DB 항목을 찾을 수 없습니다: {entry_id}")
    return _entry(entry)


@router.get("/vocabulary")
def vocabulary(request: Request) -> dict[str, object]:
    """The DB's names (sub-topics, keywords, departments) that ``/vocabulary/correct`` puts
    back into misheard words. Public: the same words are on the entries themselves."""
    retriever = request.app.state.minwon.retriever
    return {"words": db_words(retriever.index.entries), "built_at": retriever.built_at}


@internal.post("/vocabulary/correct", response_model=CorrectResponse)
def correct_names(body: CorrectRequest, request: Request) -> CorrectResponse:
    """The DB's names put back into what speech recognition heard ("아이스풷" → "아이스팩"),
    for the voice gateway. It is done here because judging whether a heard word is ordinary
    Korean takes Kiwi, ~500 MB resident, which this process holds for BM25 already."""
    retriever = request.app.state.minwon.retriever
    text, fixes = retriever.name_corrector(body.max_distance).correct(body.text)
    return CorrectResponse(text=text, corrections=[CorrectionOut(**asdict(f)) for f in fixes],
                           built_at=retriever.built_at)


@internal.post("/refresh")
def refresh(request: Request) -> dict[str, object]:
    """Rebuild the index now instead of waiting for the next poll."""
    changed = request.app.state.minwon.retriever.refresh(force=True)
    return {"rebuilt": changed, "entries": len(request.app.state.minwon.retriever.index)}
