"""The counsellors' console API: login, live queue, claim, transcript with agent assist,
replies, transfer, resolve, return to the bot, callbacks, supervisor figures."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool

from api.auth_deps import COOKIE, principal, require, websocket_principal
from api.schemas import CallbackOutcomeIn, LoginIn, ReplyIn, ResolveIn, ReturnIn, TransferIn, UserIn
from api.state import AppState
from minwon.auth import accounts
from minwon.auth.accounts import Principal
from minwon.handoff import callbacks, queue, views
from minwon.handoff.hub import QUEUE_TOPIC, ticket_topic

router = APIRouter(prefix="/api/console", tags=["console"])
STAFF = ("counsellor", "supervisor")
Staff = Annotated[Principal, Depends(require(*STAFF))]


def _state(request: Request | WebSocket) -> AppState:
    return request.app.state.minwon


def _me(p: Principal) -> dict[str, Any]:
    return {
        "username": p.username,
        "display_name": p.display_name,
        "role": p.role,
        "role_ko": accounts.ROLE_KO.get(p.role, p.role),
        "department": p.department,
        "csrf_token": p.csrf_token,
    }


@router.post("/login")
def login(body: LoginIn, request: Request, response: Response) -> dict[str, Any]:
    state = _state(request)
    token, p = accounts.login(state.engine, state.settings.auth, state.throttle, body.username, body.password)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=state.settings.auth.cookie_secure,
        max_age=state.settings.auth.session_ttl_s,
        path="/",
    )
    return _me(p)


@router.post("/logout")
def logout(request: Request, response: Response, p: Principal = Depends(principal)) -> dict[str, bool]:
    accounts.logout(_state(request).engine, request.cookies.get(COOKIE))
    response.delete_cookie(COOKIE, path="/")
    return {"ok": True}


@router.get("/me")
def me(p: Principal = Depends(principal)) -> dict[str, Any]:
    return _me(p)


@router.get("/meta")
def meta(p: Principal = Depends(principal)) -> dict[str, Any]:
    return {
        "dispositions": queue.DISPOSITIONS,
        "callback_outcomes": callbacks.CALLBACK_OUTCOMES,
        "reasons": views.REASON_KO,
        "channels": views.CHANNEL_KO,
    }


@router.get("/queue")
def list_queue(request: Request, p: Staff) -> dict[str, Any]:
    state = _state(request)
    tickets = queue.queued(state.engine)
    return {"tickets": [views.summary(t, queue.position(state.engine, t)) for t in tickets]}


@router.get("/tickets/{ticket_id}")
def read_ticket(ticket_id: str, request: Request, p: Staff) -> dict[str, Any]:
    state = _state(request)
    return state.handoff.detail(queue.load(state.engine, ticket_id[:64]))


@router.post("/tickets/{ticket_id}/claim")
def claim(ticket_id: str, request: Request, p: Staff) -> dict[str, Any]:
    return _state(request).handoff.claim(ticket_id[:64], p)


@router.post("/claim-next")
def claim_next(request: Request, p: Staff) -> dict[str, Any]:
    return _state(request).handoff.claim_next(p)


@router.post("/tickets/{ticket_id}/reply")
async def reply(ticket_id: str, body: ReplyIn, request: Request, p: Staff) -> dict[str, Any]:
    """A counsellor's message to the citizen (minwon/handoff/service.py)."""
    return await _state(request).handoff.reply(ticket_id[:64], p, body.text)


@router.post("/tickets/{ticket_id}/typing")
def typing(ticket_id: str, request: Request, p: Staff) -> dict[str, bool]:
    _state(request).handoff.typing(ticket_id[:64], p)
    return {"ok": True}


@router.post("/tickets/{ticket_id}/transfer")
def transfer(ticket_id: str, body: TransferIn, request: Request, p: Staff) -> dict[str, Any]:
    return _state(request).handoff.transfer(ticket_id[:64], p, body.department, body.note)


@router.post("/tickets/{ticket_id}/resolve")
async def resolve(ticket_id: str, body: ResolveIn, request: Request, p: Staff) -> dict[str, Any]:
    return await _state(request).handoff.resolve(ticket_id[:64], p, body.disposition, body.note)


@router.post("/tickets/{ticket_id}/return")
async def return_to_bot(ticket_id: str, body: ReturnIn, request: Request, p: Staff) -> dict[str, Any]:
    return await _state(request).handoff.return_to_bot(ticket_id[:64], p, body.note)


@router.get("/callbacks")
def list_callbacks(request: Request, p: Staff, done: bool = False) -> dict[str, Any]:
    state = _state(request)
    return {"callbacks": [views.detail(queue.load(state.engine, t.id)) for t in callbacks.listed(state.engine, done)]}


@router.post("/callbacks/{ticket_id}/outcome")
def callback_outcome(ticket_id: str, body: CallbackOutcomeIn, request: Request, p: Staff) -> dict[str, Any]:
    return _state(request).handoff.callback_outcome(ticket_id[:64], p, body.outcome, body.note)


@router.get("/stats")
def stats(request: Request, day: str | None = None, p: Principal = Depends(require("supervisor"))) -> dict[str, Any]:
    state = _state(request)
    now = state.hours.availability().now
    if day:
        try:
            now = datetime.fromisoformat(day).replace(tzinfo=now.tzinfo, hour=12)
        except ValueError as exc:
            raise HTTPException(422, detail="날짜는 YYYY-MM-DD 형식으로 주세요.") from exc
    start, end = queue.day_bounds(now)
    out = queue.stats(state.engine, start, end, state.settings.handoff.service_levels_s)
    out["counsellors_online"] = state.hub.counsellors_online()
    return out


@router.post("/users", status_code=201)
def add_user(body: UserIn, request: Request, p: Principal = Depends(require("admin"))) -> dict[str, Any]:
    u = accounts.create_user(
        _state(request).engine, body.username, body.password, body.role, body.display_name, body.department
    )
    return {"username": u.username, "role": u.role, "display_name": u.display_name}


@router.get("/users")
def users(request: Request, p: Principal = Depends(require("admin"))) -> dict[str, Any]:
    return {
        "users": [
            {
                "username": u.username,
                "role": u.role,
                "display_name": u.display_name,
                "department": u.department,
                "active": u.active,
            }
            for u in accounts.list_users(_state(request).engine)
        ]
    }


@router.websocket("/ws")
async def console_ws(ws: WebSocket) -> None:
    """Pushes every queue change and, for tickets the console opens (``{"watch": id}``),
    new turns and citizen typing."""
    state = _state(ws)
    p = await run_in_threadpool(websocket_principal, ws)
    if p is None or not p.can(*STAFF):
        await ws.close(code=4401)
        return
    await ws.accept()
    sub = state.hub.subscribe(QUEUE_TOPIC)
    state.hub.online[p.username] += 1
    notify_waiting = asyncio.get_running_loop().run_in_executor(None, state.handoff.waiting_moved)

    async def pump() -> None:
        async for event in sub:
            await ws.send_text(event)

    pusher = asyncio.create_task(pump())
    try:
        await ws.send_json({"type": "hello", "user": p.username})
        while True:
            msg = await ws.receive_json()
            watch = msg.get("watch") if isinstance(msg, dict) else None
            if isinstance(watch, str) and len(watch) <= 64:
                sub.add(ticket_topic(watch))
    except (WebSocketDisconnect, ValueError):
        pass
    finally:
        pusher.cancel()
        sub.close()
        state.hub.online[p.username] -= 1
        await notify_waiting
        await asyncio.get_running_loop().run_in_executor(None, state.handoff.waiting_moved)
