"""Knowledge managers' API: browse, search and edit entries (versioned, revertible,
optimistic locking), import with a preview and a draft to try, export."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import or_, select

from api.auth_deps import require
from api.state import AppState
from minwon.auth.accounts import Principal
from minwon.db.models import Entry
from minwon.db.session import session_scope
from minwon.knowledge import editing, intents
from minwon.knowledge import inbox as inbox_mod
from minwon.knowledge.files import write_csv, write_xlsx
from minwon.knowledge.store import to_row, upsert

router = APIRouter(prefix="/api/admin", tags=["knowledge admin"])
KM = ("knowledge_manager",)
MAX_UPLOAD = 20 * 1024 * 1024


def _state(request: Request) -> AppState:
    return request.app.state.minwon


def entry_out(e: Entry) -> dict[str, Any]:
    data = editing.snapshot(e)
    return {
        "id": e.id,
        "version": e.version,
        "updated_by": e.updated_by,
        "updated_at": e.updated_at.isoformat() if e.updated_at else None,
        **data,
    }


class EntryIn(BaseModel):
    fields: dict[str, Any]
    version: int | None = None
    reason: str = Field(default="", max_length=2000)


class NewEntryIn(EntryIn):
    id: str = Field(min_length=1, max_length=64)


class RevertIn(BaseModel):
    version: int
    reason: str = Field(default="", max_length=2000)


class ActiveIn(BaseModel):
    active: bool
    version: int
    reason: str = Field(default="", max_length=2000)


class TryIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


@router.get("/entries")
def list_entries(
    request: Request,
    q: str = Query(default="", max_length=200),
    category: str = "",
    include_inactive: bool = False,
    offset: int = Query(default=0, ge=0),
    limit: int = Query(default=50, le=500),
    p: Principal = Depends(require(*KM)),
) -> dict[str, Any]:
    with session_scope(_state(request).engine) as s:
        query = select(Entry)
        if not include_inactive:
            query = query.where(Entry.active)
        if category:
            query = query.where(Entry.category == category)
        if q.strip():
            like = f"%{q.strip()}%"
            query = query.where(
                or_(
                    Entry.id.ilike(like),
                    Entry.question.ilike(like),
                    Entry.answer.ilike(like),
                    Entry.department.ilike(like),
                )
            )
        rows = list(s.scalars(query.order_by(Entry.id).offset(offset).limit(limit + 1)))
    return {"entries": [entry_out(e) for e in rows[:limit]], "more": len(rows) > limit}


@router.get("/entries/{entry_id}")
def read_entry(entry_id: str, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    engine = _state(request).engine
    e = editing.get(engine, entry_id[:64])
    versions = [
        {
            "version": v.version,
            "action": v.action,
            "changed_by": v.changed_by,
            "reason": v.reason,
            "changed_at": v.changed_at.isoformat(),
            "data": v.data,
        }
        for v in editing.history(engine, e.id)
    ]
    return {**entry_out(e), "versions": versions}


@router.put("/entries/{entry_id}")
def update_entry(
    entry_id: str, body: EntryIn, request: Request, p: Principal = Depends(require(*KM))
) -> dict[str, Any]:
    e = editing.save(_state(request).engine, entry_id[:64], body.fields, body.version, p.username, body.reason)
    return entry_out(e)


@router.post("/entries", status_code=201)
def create_entry(body: NewEntryIn, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    e = editing.save(_state(request).engine, body.id, body.fields, None, p.username, body.reason, create=True)
    return entry_out(e)


@router.post("/entries/{entry_id}/revert")
def revert_entry(
    entry_id: str, body: RevertIn, request: Request, p: Principal = Depends(require(*KM))
) -> dict[str, Any]:
    return entry_out(editing.revert(_state(request).engine, entry_id[:64], body.version, p.username, body.reason))


@router.post("/entries/{entry_id}/active")
def set_active(entry_id: str, body: ActiveIn, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    return entry_out(
        editing.set_active(
            _state(request).engine, entry_id[:64], body.active, body.version, p.username, body.reason
        )
    )


@router.post("/imports")
async def preview_import(
    request: Request, filename: str = Query(min_length=1, max_length=200), p: Principal = Depends(require(*KM))
) -> dict[str, Any]:
    """The file is the request body (CSV in UTF-8 or CP949, or XLSX). Nothing is written:
    the answer lists every problem and a draft id to try questions on and to publish."""
    data = await request.body()
    if len(data) > MAX_UPLOAD:
        raise HTTPException(413, detail=f"파일이 너무 큽니다 (최대 {MAX_UPLOAD // 1024 // 1024}MB).")
    if not data:
        raise HTTPException(400, detail="빈 파일입니다.")
    state = _state(request)
    try:
        draft = await run_in_threadpool(state.drafts.create, data, filename, p.username)
    except ValueError as exc:
        raise HTTPException(400, detail=str(exc)) from exc
    return {
        "draft_id": draft.id,
        "filename": draft.filename,
        "rows": len(draft.rows),
        "new": len(draft.new_ids),
        "changed": len(draft.changed_ids),
        "unchanged": len(draft.rows) - len(draft.new_ids) - len(draft.changed_ids),
        "problems": [pr.as_dict() for pr in draft.problems],
    }


def _decision(decision: Any) -> dict[str, Any]:
    top = decision.top
    return {
        "decision": decision.kind,
        "entry_id": top.entry.id if top else None,
        "question": top.entry.question if top else None,
        "answer": top.entry.answer if top else None,
        "score": round(top.score, 3) if top else None,
        "choices": [c.entry.id for c in decision.choices],
    }


@router.post("/imports/{draft_id}/try")
def try_draft(draft_id: str, body: TryIn, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    state = _state(request)
    draft = state.drafts.get(draft_id)
    if draft is None:
        raise HTTPException(404, detail="미리보기가 없거나 만료되었습니다. 파일을 다시 올려 주세요.")
    return {"live": _decision(state.retriever.ask(body.text)), "draft": _decision(draft.retriever.ask(body.text))}


@router.post("/imports/{draft_id}/publish")
def publish_draft(draft_id: str, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    state = _state(request)
    draft = state.drafts.get(draft_id)
    if draft is None:
        raise HTTPException(404, detail="미리보기가 없거나 만료되었습니다. 파일을 다시 올려 주세요.")
    if draft.problems:
        raise HTTPException(
            409, detail=f"문제 {len(draft.problems)}건을 먼저 고쳐 주세요. 고친 파일을 다시 올리면 됩니다."
        )
    with session_scope(state.engine) as s:
        n = upsert(s, draft.rows, p.username, reason=f"파일 가져오기: {draft.filename}")
    state.drafts.drop(draft_id)
    state.retriever.refresh(force=True)
    return {"published": n}


@router.get("/export")
def export(
    request: Request, format: str = Query(default="xlsx", pattern="^(csv|xlsx)$"), p: Principal = Depends(require(*KM))
) -> Response:
    with session_scope(_state(request).engine) as s:
        rows = [to_row(e) for e in s.scalars(select(Entry).where(Entry.active).order_by(Entry.id))]
    name = f"counseling_db_{date.today().isoformat()}.{format}"
    if format == "csv":
        return Response(
            write_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return Response(
        write_xlsx(rows),
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class InboxTexts(BaseModel):
    texts: list[str] = Field(min_length=1, max_length=200)


class AddPhrasingIn(InboxTexts):
    entry_id: str = Field(min_length=1, max_length=64)


class NewFromInboxIn(InboxTexts):
    id: str = Field(min_length=1, max_length=64)
    fields: dict[str, Any]


@router.get("/inbox")
def inbox(
    request: Request, days: int = Query(default=30, ge=1, le=365), p: Principal = Depends(require(*KM))
) -> dict[str, Any]:
    """Citizens' questions the bot could not answer, grouped by meaning, most asked first."""
    state = _state(request)
    return {"clusters": [c.as_dict() for c in inbox_mod.clusters(state.engine, state.retriever, days)]}


@router.post("/inbox/add-phrasing")
def inbox_add_phrasing(body: AddPhrasingIn, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    """Add the citizens' words as phrasings of an existing entry (a new version of it)."""
    state = _state(request)
    e = editing.get(state.engine, body.entry_id)
    data = editing.snapshot(e)
    known = {q.replace(" ", "") for q in [data["question"], *data["alt_questions"]]}
    new = [t.strip()[:300] for t in body.texts if t.strip() and t.replace(" ", "") not in known]
    data["alt_questions"] = [*data["alt_questions"], *new]
    saved = editing.save(state.engine, e.id, data, e.version, p.username, reason="미답변 질문함에서 질문 표현 추가")
    inbox_mod.mark(state.engine, body.texts, "added", p.username, saved.id)
    return {"entry": entry_out(saved), "added": len(new)}


@router.post("/inbox/new-entry", status_code=201)
def inbox_new_entry(body: NewFromInboxIn, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    state = _state(request)
    saved = editing.save(
        state.engine, body.id, body.fields, None, p.username, reason="미답변 질문함에서 새 항목", create=True
    )
    inbox_mod.mark(state.engine, body.texts, "created", p.username, saved.id)
    return entry_out(saved)


@router.post("/inbox/out-of-scope")
def inbox_out_of_scope(body: InboxTexts, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, int]:
    return {"marked": inbox_mod.mark(_state(request).engine, body.texts, "out_of_scope", p.username)}


class ExampleIn(BaseModel):
    intent: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=300)


@router.get("/intents")
def list_intents(request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    """Intent examples: from nlu_data/ (read-only here) and those added on this page."""
    added: dict[str, list[dict[str, Any]]] = {}
    for m in intents.managed(_state(request).engine):
        added.setdefault(m.intent, []).append({"id": m.id, "text": m.text, "added_by": m.added_by})
    files = intents.file_examples()
    return {"intents": [{"intent": i, "examples": files.get(i, []), "added": added.get(i, [])}
                        for i in intents.EDITABLE]}


@router.post("/intents/examples", status_code=201)
def add_example(body: ExampleIn, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, Any]:
    m = intents.add(_state(request).engine, body.intent, body.text, p.username)
    return {"id": m.id, "intent": m.intent, "text": m.text, "note": "다음 재학습부터 반영됩니다."}


@router.delete("/intents/examples/{example_id}")
def delete_example(example_id: int, request: Request, p: Principal = Depends(require(*KM))) -> dict[str, bool]:
    intents.remove(_state(request).engine, example_id)
    return {"deleted": True}
