"""KakaoTalk skill gateway: ``POST /webhooks/kakao/webhook`` on the API's port.

A gateway in front of Rasa rather than a Rasa input channel, because Kakao's 5-second
limit must hold when Rasa is slow, restarting or down (a Rasa channel dies with Rasa), and
because retries, callbacks and counsellor replies need our database and queue. The
dialogue itself still runs in Rasa, through the same REST channel as every other channel.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.state import AppState
from minwon.channels import dedup
from minwon.channels.kakao import limits as L
from minwon.channels.kakao.payload import MAX_UTTERANCE, KakaoRequest, PayloadError, parse
from minwon.channels.kakao.render import Rendered, callback_ack, render, simple_text, text_only, wrap
from minwon.channels.outbound import HeldSender

log = logging.getLogger(__name__)
router = APIRouter(tags=["kakao"])

WAIT_TEXT = "잠시만요, 답변을 찾고 있습니다."
SLOW_TEXT = (
    "답변을 준비하는 데 시간이 조금 걸리고 있습니다. 잠시 후 아무 말이나 보내 주시면 "
    "준비된 답변을 바로 보여 드리겠습니다."
)
DOWN_TEXT = (
    "죄송합니다. 지금 챗봇 연결이 원활하지 않습니다. 잠시 후 다시 보내 주시거나, 급하시면 "
    "예시시 콜센터(02-0000-0120)로 전화해 주세요."
)
EMPTY_TEXT = "궁금하신 내용을 글로 적어 주시면 찾아 드리겠습니다."
ATTACHMENT_TEXT = "사진이나 파일은 아직 확인하지 못합니다. 궁금하신 내용을 글로 적어 주세요."
TOO_LONG_TEXT = f"메시지가 너무 깁니다. {MAX_UTTERANCE:,}자 이내로 나누어 보내 주세요."


def _state(request: Request) -> AppState:
    return request.app.state.minwon


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": "bad_request" if status < 403 else "forbidden", "message": message}, status_code=status
    )


def _message_for(state: AppState, req: KakaoRequest) -> str:
    """Buttons map to payloads without the NLU guessing: from ``extra`` when the bot uses a
    block, else from the label we offered."""
    payload = req.client_extra.get("payload")
    if isinstance(payload, str) and payload:
        return payload
    offered = state.kakao_memory.labels.get(req.user_key, {})
    return offered.get(req.utterance, req.utterance)


async def _dialogue(state: AppState, req: KakaoRequest, text: str, timeout_s: float) -> dict[str, Any]:
    try:
        messages = await state.rasa.send_message(
            req.conversation_id, text, "kakao", metadata={"kakao": {"trigger": req.trigger}}, timeout_s=timeout_s
        )
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("kakao: dialogue failed for %s: %r", req.conversation_id, exc)
        return text_only(DOWN_TEXT)
    rendered: Rendered = render(messages, state.settings.kakao.block_id or None)
    state.kakao_memory.remember(req.user_key, rendered.labels)
    return rendered.response


def _with_earlier(state: AppState, req: KakaoRequest, response: dict[str, Any]) -> dict[str, Any]:
    """Counsellor replies held for this user and replies that came too late go first."""
    earlier: list[str] = []
    for late in state.kakao_memory.late.pop(req.user_key, []):
        earlier += [o["simpleText"]["text"] for o in late.get("template", {}).get("outputs", []) if "simpleText" in o]
    if isinstance(state.outbound, HeldSender):
        earlier += [f"상담원 {author}: {text}" for author, text in state.outbound.take(req.user_key)]
    if not earlier or "template" not in response:
        return response
    from minwon.channels.kakao.render import _fit

    outputs = [simple_text(t) for t in earlier] + response["template"]["outputs"]
    return wrap(_fit(outputs), response["template"].get("quickReplies"))


async def _post_callback(url: str, response: dict[str, Any], key: str) -> bool:
    async with httpx.AsyncClient(timeout=10) as client:
        for attempt in range(4):
            try:
                r = await client.post(url, json=response)
                if r.status_code < 300:
                    log.info("kakao callback delivered (%s)", key[:12])
                    return True
                log.warning("kakao callback HTTP %s: %s", r.status_code, r.text[:200])
                if r.status_code < 500:
                    break  # the URL is spent or invalid: retrying cannot help
            except httpx.HTTPError as exc:
                log.warning("kakao callback attempt %d failed: %r", attempt + 1, exc)
            await asyncio.sleep(0.5 * 2**attempt)
    log.error("kakao callback NOT delivered (%s); the reply is kept for the user's next message", key[:12])
    return False


@router.post("/webhooks/kakao/webhook")
async def skill(request: Request) -> JSONResponse:
    """Kakao i Open Builder skill endpoint (SkillPayload in, SkillResponse 2.0 out)."""
    state = _state(request)
    cfg = state.settings.kakao
    token = request.headers.get("x-skill-token") or ""
    if not state.kakao_token or not secrets.compare_digest(token.encode(), state.kakao_token.encode()):
        return _error(403, "스킬 토큰이 올바르지 않습니다.")
    body = await request.body()
    try:
        req = parse(body, tuple(cfg.callback_url_prefixes))
    except PayloadError as exc:
        return _error(exc.status, exc.message)
    if state.kakao_bot_id and req.bot_id != state.kakao_bot_id:
        return _error(403, "이 봇의 요청이 아닙니다.")

    if req.has_attachment:  # Kakao puts the media URL in the utterance: not a question
        return JSONResponse(text_only(ATTACHMENT_TEXT))
    if len(req.utterance) > MAX_UTTERANCE:
        return JSONResponse(text_only(TOO_LONG_TEXT))
    if not req.utterance and not req.client_extra.get("payload"):
        return JSONResponse(text_only(EMPTY_TEXT))

    key = dedup.request_key("kakao", body)
    budget = cfg.reply_budget_s
    if not await run_in_threadpool(dedup.claim, state.engine, key, "kakao"):
        return JSONResponse(await _repeat(state, key, req, budget))

    text = _message_for(state, req)
    task = asyncio.ensure_future(_dialogue(state, req, text, timeout_s=L.CALLBACK_VALID_S - 10))
    try:
        response = await asyncio.wait_for(asyncio.shield(task), budget)
    except asyncio.TimeoutError:
        state.kakao_memory.spawn(_finish_late(state, req, key, task))
        return JSONResponse(callback_ack(WAIT_TEXT) if req.callback_url else text_only(SLOW_TEXT))
    response = _with_earlier(state, req, response)
    await run_in_threadpool(dedup.finish, state.engine, key, response)
    return JSONResponse(response)


async def _finish_late(state: AppState, req: KakaoRequest, key: str, task: asyncio.Future[Any]) -> None:
    response = _with_earlier(state, req, await task)
    await run_in_threadpool(dedup.finish, state.engine, key, response)
    if not (req.callback_url and await _post_callback(req.callback_url, response, key)):
        state.kakao_memory.late.setdefault(req.user_key, []).append(response)


async def _repeat(state: AppState, key: str, req: KakaoRequest, budget: float) -> dict[str, Any]:
    """Kakao sent the same request again: the same reply, never a second answer."""
    deadline = asyncio.get_running_loop().time() + budget
    while asyncio.get_running_loop().time() < deadline:
        done = await run_in_threadpool(dedup.result, state.engine, key)
        if done is not None:
            return done
        await asyncio.sleep(0.1)
    return callback_ack(WAIT_TEXT) if req.callback_url else text_only(SLOW_TEXT)
