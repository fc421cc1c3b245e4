"""The citizen's side of a handoff, for every channel.

Rasa pauses a conversation when it is handed over; our channels then bring the citizen's
messages here (``POST …/messages``), and the citizen gets the counsellor's replies by
WebSocket push (web chat) or by polling ``GET …/events`` (REST clients). The web-chat
WebSocket also carries the bot conversation, through Rasa's REST channel, so a widget
needs one connection for everything."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
from fastapi import APIRouter, HTTPException, Path, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from pydantic import Field
from sqlalchemy import select

from api import notify, views
from api.schemas import CitizenMessageIn, In
from api.service_auth import internal_router
from api.state import AppState
from minwon.db.models import QueryLog, Ticket, TranscriptTurn
from minwon.db.session import session_scope
from minwon.handoff import queue, wording
from minwon.handoff.hub import conversation_topic, ticket_topic
from minwon.privacy import mask_and_seal, mask_personal_data
from minwon.text import clean

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/conversations", tags=["conversations"])
# Relayed by the Rasa side only: from anyone else it would reach a counsellor as the citizen's.
internal = internal_router(prefix="/api/conversations", tags=["conversations (internal)"])

# No NUL: PostgreSQL refuses it in a text column (a 500 before).
ConversationId = Path(min_length=1, max_length=200, pattern=r"^[^\x00]+$")
# Turn ids are 32-bit in PostgreSQL; larger ``after`` values were a 500 (fuzzed), now a 422.
MAX_TURN_ID = 2**31 - 1
MAX_WS_MESSAGE = 10_000
FAILURE_TEXT = "죄송합니다. 지금 챗봇이 응답하지 않습니다. 잠시 후 다시 적어 주시거나 '상담원 연결'이라고 적어 주세요."


def _state(request: Request | WebSocket) -> AppState:
    return request.app.state.minwon


def _is_cancel(state: AppState, text: str) -> bool:
    compact = text.strip().replace(" ", "")
    return compact in {w.replace(" ", "") for w in state.settings.handoff.cancel_words}


def citizen_message(
    state: AppState, conversation_id: str, text: str, channel: str, sealed: str | None = None
) -> dict[str, Any]:
    """A citizen's message while a handoff may be active. Returns what happened."""
    ticket = queue.active_ticket(state.engine, conversation_id)
    if ticket is None:
        return {"handled": False, "state": {"active": False}}
    if _is_cancel(state, text):
        cancelled = queue.cancel_by_citizen(state.engine, conversation_id)
        if cancelled is not None:
            notify.ticket_changed(state, cancelled)
            return {
                "handled": True,
                "cancelled": True,
                "reply": wording.CANCELLED_TEXT,
                "state": views.citizen_state(cancelled, None),
            }
    masked, sealed_now = mask_and_seal(text)
    turn = queue.add_turn(state.engine, ticket.id, "user", masked, channel=channel, sealed=sealed or sealed_now)
    notify.turn_added(state, ticket, turn)
    ticket = queue.load(state.engine, ticket.id)
    state.hub.publish(
        "queue", {"type": "ticket", "ticket": views.summary(ticket, queue.position(state.engine, ticket))}
    )
    return {"handled": True, "state": views.citizen_state(ticket, notify.estimate(state, ticket))}


async def after_cancel(state: AppState, conversation_id: str) -> None:
    state.rasa.later(state.rasa.resume(conversation_id, wording.CANCELLED_TEXT))


@internal.post("/{conversation_id}/messages")
async def post_message(
    body: CitizenMessageIn, request: Request, conversation_id: str = ConversationId
) -> dict[str, Any]:
    """Called by our channels for a message Rasa did not answer because the conversation
    is with a counsellor. ``handled: false`` means there is no active handoff."""
    state = _state(request)
    result = await run_in_threadpool(citizen_message, state, conversation_id, body.text, body.channel, body.sealed)
    if result.get("cancelled"):
        await after_cancel(state, conversation_id)
    return result


@router.post("/{conversation_id}/cancel")
async def cancel(request: Request, conversation_id: str = ConversationId) -> dict[str, Any]:
    state = _state(request)
    ticket = await run_in_threadpool(queue.cancel_by_citizen, state.engine, conversation_id)
    if ticket is None:
        raise HTTPException(
            409, detail="취소할 대기 중인 상담 연결이 없습니다 (이미 상담원이 연결되었거나 끝났습니다)."
        )
    notify.ticket_changed(state, ticket)
    await after_cancel(state, conversation_id)
    return {"cancelled": True, "reply": wording.CANCELLED_TEXT}


class FeedbackIn(In):
    entry_id: str = Field(min_length=1, max_length=64)
    helpful: bool
    question: str = Field(default="", max_length=2000)
    channel: str = Field(default="web", max_length=30)


@router.post("/{conversation_id}/feedback", status_code=201)
def feedback(body: FeedbackIn, request: Request, conversation_id: str = ConversationId) -> dict[str, bool]:
    """A citizen's 도움이 됐어요 / 안 됐어요 on an answer; unhelpful answers go to the
    knowledge managers' inbox with the question that got them."""
    state = _state(request)
    with session_scope(state.engine) as s:
        s.add(
            QueryLog(
                conversation_id=conversation_id,
                channel=body.channel,
                text=mask_personal_data(clean(body.question, 2000)) or f"({body.entry_id} 답변)",
                decision="helpful" if body.helpful else "unhelpful",
                entry_id=body.entry_id,
                score=0.0,
            )
        )
    return {"recorded": True}


@router.get("/{conversation_id}/state")
def get_state(request: Request, conversation_id: str = ConversationId) -> dict[str, Any]:
    state = _state(request)
    ticket = queue.active_ticket(state.engine, conversation_id)
    return views.citizen_state(ticket, notify.estimate(state, ticket) if ticket else None)


def events_after(state: AppState, conversation_id: str, after: int) -> list[dict[str, Any]]:
    """Counsellor and system turns of this conversation's tickets, oldest first."""
    with session_scope(state.engine) as s:
        rows = (
            s.execute(
                select(TranscriptTurn)
                .join(Ticket)
                .where(
                    Ticket.conversation_id == conversation_id,
                    TranscriptTurn.id > after,
                    TranscriptTurn.sender.in_(("agent", "system")),
                )
                .order_by(TranscriptTurn.id)
                .limit(200)
            )
            .scalars()
            .all()
        )
    # What the counsellor wrote to this citizen is theirs to read in full (a department's
    # phone number, say); it is stored masked and sealed like everything else.
    return [
        {
            "id": m.id,
            "sender": m.sender,
            "author": m.author,
            "text": views.turn(m, True)["text"],
            "created_at": views._iso(m.created_at),
        }
        for m in rows
    ]


@router.get("/{conversation_id}/events")
async def poll_events(
    request: Request,
    conversation_id: str = ConversationId,
    after: int = Query(default=0, ge=0, le=MAX_TURN_ID),
    wait_s: float = Query(default=0, ge=0, le=25),
) -> dict[str, Any]:
    """Counsellor messages since ``after`` (a turn id), for REST clients. With ``wait_s``
    it long-polls: returns as soon as something arrives."""
    state = _state(request)
    sub = state.hub.subscribe(conversation_topic(conversation_id)) if wait_s else None
    try:
        events = await run_in_threadpool(events_after, state, conversation_id, after)
        if not events and sub is not None:
            try:
                await asyncio.wait_for(sub.queue.get(), timeout=wait_s)
            except asyncio.TimeoutError:
                pass
            events = await run_in_threadpool(events_after, state, conversation_id, after)
    finally:
        if sub is not None:
            sub.close()
    return {"events": events, "state": get_state(request, conversation_id)}


async def _send_to_bot(state: AppState, ws: WebSocket, conversation_id: str, text: str) -> None:
    try:
        replies = await state.rasa.send_message(conversation_id, text, "web")
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("web chat: rasa unavailable for %s: %r", conversation_id, exc)
        replies = [{"text": FAILURE_TEXT}]
    for r in replies:
        await ws.send_json(
            {"type": "bot", "text": r.get("text") or "", "buttons": r.get("buttons") or [], "custom": r.get("custom")}
        )


@router.websocket("/{conversation_id}/ws")
async def web_chat(ws: WebSocket, conversation_id: str = ConversationId) -> None:
    """Web chat: the widget sends ``{"type": "message", "text": …}`` or ``{"type":
    "typing"}``; it receives bot replies, counsellor messages, handoff state and typing.
    Reconnecting with the same id continues the same conversation."""
    state = _state(ws)
    await ws.accept()
    sub = state.hub.subscribe(conversation_topic(conversation_id))

    async def pump() -> None:
        async for event in sub:
            await ws.send_text(event)

    pusher = asyncio.create_task(pump())
    try:
        ticket = await run_in_threadpool(queue.active_ticket, state.engine, conversation_id)
        est = await run_in_threadpool(notify.estimate, state, ticket) if ticket else None
        await ws.send_json({"type": "handoff", "state": views.citizen_state(ticket, est)})
        while True:
            raw = await ws.receive_text()
            if len(raw) > MAX_WS_MESSAGE * 4:
                await ws.send_json({"type": "error", "message": "메시지가 너무 깁니다."})
                continue
            try:
                msg = json.loads(raw)
                kind, text = msg.get("type"), msg.get("text", "")
                if not isinstance(text, str):
                    raise ValueError
            except (ValueError, AttributeError):
                await ws.send_json({"type": "error", "message": "형식이 올바르지 않은 메시지입니다."})
                continue
            if kind == "typing":
                ticket = await run_in_threadpool(queue.active_ticket, state.engine, conversation_id)
                if ticket is not None:
                    state.hub.publish(
                        ticket_topic(ticket.id), {"type": "typing", "who": "citizen", "ticket_id": ticket.id}
                    )
            elif kind == "message":
                if len(text) > MAX_WS_MESSAGE:
                    await ws.send_json(
                        {
                            "type": "error",
                            "message": f"메시지가 너무 깁니다. {MAX_WS_MESSAGE:,}자 이내로 나누어 보내 주세요.",
                        }
                    )
                    continue
                # Rasa answers, or (paused, handed over) our REST channel forwards it here.
                await _send_to_bot(state, ws, conversation_id, text)
            elif kind == "cancel":
                cancelled = await run_in_threadpool(queue.cancel_by_citizen, state.engine, conversation_id)
                if cancelled is not None:
                    notify.ticket_changed(state, cancelled)
                    await after_cancel(state, conversation_id)
                    await ws.send_json({"type": "bot", "text": wording.CANCELLED_TEXT, "buttons": []})
            else:
                await ws.send_json({"type": "error", "message": "알 수 없는 메시지 종류입니다."})
    except WebSocketDisconnect:
        pass
    finally:
        pusher.cancel()
        sub.close()
