"""The KakaoTalk skill gateway: Open Builder's SkillPayload in, SkillResponse 2.0 out.

A gateway in front of Rasa rather than a Rasa input channel, because Kakao's 5-second
limit must hold when Rasa is slow, restarting or down (a Rasa channel dies with Rasa), and
because retries, callbacks and counsellor replies need our database and queue. The
dialogue itself still runs in Rasa, through the same REST channel as every other channel.

What it does beyond passing messages on:
- a reply budget (``kakao.reply_budget_s``, 3.5 s): past it, the callback URL gets the
  reply (or, without one, the user's next message does);
- Kakao's retries of one request get the one reply, never a second answer
  (``minwon/channels/dedup.py``);
- replies that came too late and counsellor replies held for the user go out first with
  the next answer.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from minwon.channels import dedup
from minwon.channels.kakao import limits as L
from minwon.channels.kakao.memory import KakaoMemory
from minwon.channels.kakao.payload import MAX_UTTERANCE, KakaoRequest, PayloadError, parse
from minwon.channels.kakao.render import callback_ack, render, text_only
from minwon.channels.outbound import HeldSender, OutboundSender
from minwon.clients.retry import retrying
from minwon.handoff.rasa_bridge import RasaBridge
from minwon.settings import KakaoSettings

log = logging.getLogger(__name__)

WAIT_TEXT = "잠시만요, 답변을 찾고 있습니다."
SLOW_TEXT = (
    "답변을 준비하는 데 시간이 조금 걸리고 있습니다. 잠시 후 아무 말이나 보내 주시면 "
    "준비된 답변을 바로 보여 드리겠습니다."
)
EMPTY_TEXT = "궁금하신 내용을 글로 적어 주시면 찾아 드리겠습니다."
ATTACHMENT_TEXT = "사진이나 파일은 아직 확인하지 못합니다. 궁금하신 내용을 글로 적어 주세요."
TOO_LONG_TEXT = f"메시지가 너무 깁니다. {MAX_UTTERANCE:,}자 이내로 나누어 보내 주세요."


def down_text(call_centre_phone: str) -> str:
    return (
        "죄송합니다. 지금 챗봇 연결이 원활하지 않습니다. 잠시 후 다시 보내 주시거나, 급하시면 "
        f"예시시 콜센터({call_centre_phone})로 전화해 주세요."
    )


def _error(status: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"error": "bad_request" if status < 403 else "forbidden", "message": message}


class _Retry(Exception):
    """A callback answer worth trying again (5xx)."""


@dataclass
class KakaoGateway:
    engine: Engine
    rasa: RasaBridge
    settings: KakaoSettings
    memory: KakaoMemory
    outbound: OutboundSender
    token: str
    bot_id: str
    call_centre_phone: str

    async def handle(self, token: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """(HTTP status, SkillResponse or error body) for one skill request."""
        if not self.token or not secrets.compare_digest(token.encode(), self.token.encode()):
            return _error(403, "스킬 토큰이 올바르지 않습니다.")
        try:
            req = parse(body, tuple(self.settings.callback_url_prefixes))
        except PayloadError as exc:
            return _error(exc.status, exc.message)
        if self.bot_id and req.bot_id != self.bot_id:
            return _error(403, "이 봇의 요청이 아닙니다.")
        if req.has_attachment:  # Kakao puts the media URL in the utterance: not a question
            return 200, text_only(ATTACHMENT_TEXT)
        if len(req.utterance) > MAX_UTTERANCE:
            return 200, text_only(TOO_LONG_TEXT)
        if not req.utterance and not req.client_extra.get("payload"):
            return 200, text_only(EMPTY_TEXT)

        key = dedup.request_key("kakao", body)
        budget = self.settings.reply_budget_s
        if not await run_in_threadpool(dedup.claim, self.engine, key, "kakao"):
            return 200, await self._repeat(key, req, budget)

        task = asyncio.ensure_future(self._dialogue(req, self._message_for(req), timeout_s=L.CALLBACK_VALID_S - 10))
        try:
            messages = await asyncio.wait_for(asyncio.shield(task), budget)
        except asyncio.TimeoutError:
            self.memory.spawn(self._finish_late(req, key, task))
            return 200, callback_ack(WAIT_TEXT) if req.callback_url else text_only(SLOW_TEXT)
        response = self._compose(req, messages)
        await run_in_threadpool(dedup.finish, self.engine, key, response)
        return 200, response

    def _message_for(self, req: KakaoRequest) -> str:
        """Buttons map to payloads without the NLU guessing: from ``extra`` when the bot uses
        a block, else from the label we offered."""
        payload = req.client_extra.get("payload")
        if isinstance(payload, str) and payload:
            return payload
        return self.memory.labels.get(req.user_key, {}).get(req.utterance, req.utterance)

    async def _dialogue(self, req: KakaoRequest, text: str, timeout_s: float) -> list[dict[str, Any]] | None:
        """Rasa's messages, or None when Rasa could not answer."""
        try:
            return await self.rasa.send_message(
                req.conversation_id, text, "kakao", metadata={"kakao": {"trigger": req.trigger}}, timeout_s=timeout_s
            )
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("kakao: dialogue failed for %s: %r", req.conversation_id, exc)
            return None

    def _compose(self, req: KakaoRequest, messages: list[dict[str, Any]] | None) -> dict[str, Any]:
        """The reply, with what is owed first: replies that came too late and counsellor
        replies held for this user. One render, so Kakao's three-output limit holds."""
        earlier: list[str] = []
        for late in self.memory.late.pop(req.user_key, []):
            earlier += [o["simpleText"]["text"] for o in late.get("template", {}).get("outputs", [])
                        if "simpleText" in o]
        if isinstance(self.outbound, HeldSender):
            earlier += [f"상담원 {author}: {text}" for author, text in self.outbound.take(req.user_key)]
        said = messages if messages is not None else [{"text": down_text(self.call_centre_phone)}]
        rendered = render([{"text": t} for t in earlier] + said, self.settings.block_id or None)
        if messages is not None:
            self.memory.remember(req.user_key, rendered.labels)
        return rendered.response

    async def _finish_late(self, req: KakaoRequest, key: str, task: asyncio.Future[Any]) -> None:
        response = self._compose(req, await task)
        await run_in_threadpool(dedup.finish, self.engine, key, response)
        if not (req.callback_url and await self._post_callback(req.callback_url, response, key)):
            self.memory.late.setdefault(req.user_key, []).append(response)

    async def _post_callback(self, url: str, response: dict[str, Any], key: str) -> bool:
        """Four tries, 0.5 s doubling between them; a 4xx means the URL is spent or invalid,
        so it is not retried."""
        async with httpx.AsyncClient(timeout=10) as client:
            try:
                async for attempt in retrying(attempts=4, first_wait_s=0.5, retry_on=(httpx.HTTPError, _Retry),
                                              what="kakao callback"):
                    with attempt:
                        r = await client.post(url, json=response)
                        if r.status_code >= 500:
                            log.warning("kakao callback HTTP %s: %s", r.status_code, r.text[:200])
                            raise _Retry(r.status_code)
                if r.status_code < 300:
                    log.info("kakao callback delivered (%s)", key[:12])
                    return True
                log.warning("kakao callback HTTP %s: %s", r.status_code, r.text[:200])
            except (httpx.HTTPError, _Retry):
                pass
        log.error("kakao callback NOT delivered (%s); the reply is kept for the user's next message", key[:12])
        return False

    async def _repeat(self, key: str, req: KakaoRequest, budget: float) -> dict[str, Any]:
        """Kakao sent the same request again: the same reply, never a second answer."""
        deadline = asyncio.get_running_loop().time() + budget
        while asyncio.get_running_loop().time() < deadline:
            done = await run_in_threadpool(dedup.result, self.engine, key)
            if done is not None:
                return done
            await asyncio.sleep(0.1)
        return callback_ack(WAIT_TEXT) if req.callback_url else text_only(SLOW_TEXT)
