"""The citizen's side of a handoff, for every channel: adapters over
``minwon/channels/webchat.py``.

Rasa pauses a conversation when it is handed over; our channels then bring the citizen's
messages here (``POST …/messages``, internal), and the citizen gets the counsellor's replies
by WebSocket push (web chat) or by polling ``GET …/events`` (REST clients). The web-chat
WebSocket also carries the bot conversation, through Rasa's REST channel, so a widget
needs one connection for everything."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from pydantic import Field

from api.schemas import CitizenMessageIn, In
from api.service_auth import internal_router
from api.state import AppState
from minwon.channels.webchat import MAX_WS_MESSAGE, WebChat
from minwon.handoff import queue, views, wording
from minwon.handoff.hub import conversation_topic

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/conversations", tags=["conversations"])
# Relayed by the Rasa side only: from anyone else it would reach a counsellor as the citizen's.
internal = internal_router(prefix="/api/conversations", tags=["conversations (internal)"])

# No NUL: PostgreSQL refuses it in a text column (a 500 before).
ConversationId = Path(min_length=1, max_length=200, pattern=r"^[^\x00]+$")
# Turn ids are 32-bit in PostgreSQL; larger ``after`` values were a 500 (fuzzed), now a 422.
MAX_TURN_ID = 2**31 - 1


def _state(request: Request | WebSocket) -> AppState:
    return request.app.state.minwon


def _chat(request: Request | WebSocket) -> WebChat:
    return request.app.state.minwon.webchat


@internal.post("/{conversation_id}/messages")
async def post_message(
    body: CitizenMessageIn, request: Request, conversation_id: str = ConversationId
) -> dict[str, Any]:
    """Called by our channels for a message Rasa did not answer because the conversation
    is with a counsellor. ``handled: false`` means there is no active handoff."""
    chat = _chat(request)
    result = await run_in_threadpool(chat.citizen_message, conversation_id, body.text, body.channel, body.sealed)
    if result.get("cancelled"):
        chat.after_cancel(conversation_id)
    return result


@router.post("/{conversation_id}/cancel")
async def cancel(request: Request, conversation_id: str = ConversationId) -> dict[str, Any]:
    chat = _chat(request)
    if await run_in_threadpool(chat.cancel, conversation_id) is None:
        raise HTTPException(
            409, detail="취소할 대기 중인 상담 연결이 없습니다 (이미 상담원이 연결되었거나 끝났습니다)."
        )
    chat.after_cancel(conversation_id)
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
    _chat(request).feedback(conversation_id, body.entry_id, body.helpful, body.question, body.channel)
    return {"recorded": True}


@router.get("/{conversation_id}/state")
def get_state(request: Request, conversation_id: str = ConversationId) -> dict[str, Any]:
    return _chat(request).state(conversation_id)


@router.get("/{conversation_id}/events")
async def poll_events(
    request: Request,
    conversation_id: str = ConversationId,
    after: int = Query(default=0, ge=0, le=MAX_TURN_ID),
    wait_s: float = Query(default=0, ge=0, le=25),
) -> dict[str, Any]:
    """Counsellor messages since ``after`` (a turn id), for REST clients. With ``wait_s``
    it long-polls: returns as soon as something arrives."""
    state, chat = _state(request), _chat(request)
    sub = state.hub.subscribe(conversation_topic(conversation_id)) if wait_s else None
    try:
        events = await run_in_threadpool(chat.events_after, conversation_id, after)
        if not events and sub is not None:
            try:
                await asyncio.wait_for(sub.queue.get(), timeout=wait_s)
            except asyncio.TimeoutError:
                pass
            events = await run_in_threadpool(chat.events_after, conversation_id, after)
    finally:
        if sub is not None:
            sub.close()
    return {"events": events, "state": chat.state(conversation_id)}


@router.websocket("/{conversation_id}/ws")
async def web_chat(ws: WebSocket, conversation_id: str = ConversationId) -> None:
    """Web chat: the widget sends ``{"type": "message", "text": …}`` or ``{"type":
    "typing"}``; it receives bot replies, counsellor messages, handoff state and typing.
    Reconnecting with the same id continues the same conversation."""
    state, chat = _state(ws), _chat(ws)
    await ws.accept()
    sub = state.hub.subscribe(conversation_topic(conversation_id))

    async def pump() -> None:
        async for event in sub:
            await ws.send_text(event)

    pusher = asyncio.create_task(pump())
    try:
        ticket = await run_in_threadpool(queue.active_ticket, state.engine, conversation_id)
        est = await run_in_threadpool(state.handoff.estimate, ticket) if ticket else None
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
                await run_in_threadpool(chat.citizen_typing, conversation_id)
            elif kind == "message":
                if len(text) > MAX_WS_MESSAGE:
                    await ws.send_json(
                        {
                            "type": "error",
                            "message": f"메시지가 너무 깁니다. {MAX_WS_MESSAGE:,}자 이내로 나누어 보내 주세요.",
                        }
                    )
                    continue
                for reply in await chat.to_bot(conversation_id, text):
                    await ws.send_json(reply)
            elif kind == "cancel":
                if await run_in_threadpool(chat.cancel, conversation_id) is not None:
                    chat.after_cancel(conversation_id)
                    await ws.send_json({"type": "bot", "text": wording.CANCELLED_TEXT, "buttons": []})
            else:
                await ws.send_json({"type": "error", "message": "알 수 없는 메시지 종류입니다."})
    except WebSocketDisconnect:
        pass
    finally:
        pusher.cancel()
        sub.close()
