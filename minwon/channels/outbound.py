"""Sending a counsellor's reply to a citizen on a channel that cannot hold a connection
open (KakaoTalk). Kakao's own push routes (상담톡, the bot event API) need partner keys,
so the sender is pluggable:

- ``held`` (default): the reply waits and goes out with the answer to the citizen's next
  message (Kakao only lets a skill speak when spoken to);
- ``http``: POST to a URL of the agency's (a relay, or the local fake in the tests);
- ``event_api``: Kakao's bot event API, with the agency's REST API key and event name.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict, deque
from typing import Protocol

import httpx

log = logging.getLogger(__name__)

KAKAO_EVENT_API = "https://bot-api.kakao.com/v2/bots/{bot_id}/talk"


class OutboundSender(Protocol):
    name: str

    async def send(self, user_key: str, text: str, author: str) -> bool: ...


class HeldSender:
    name = "held"

    def __init__(self, max_per_user: int = 20) -> None:
        self._held: dict[str, deque[tuple[str, str]]] = defaultdict(lambda: deque(maxlen=max_per_user))

    async def send(self, user_key: str, text: str, author: str) -> bool:
        self._held[user_key].append((author, text))
        return True

    def take(self, user_key: str) -> list[tuple[str, str]]:
        held = self._held.pop(user_key, None)
        return list(held) if held else []


class HttpSender:
    name = "http"

    def __init__(self, url: str, timeout_s: float = 5.0, attempts: int = 3) -> None:
        self.url, self.attempts = url, attempts
        self._client = httpx.AsyncClient(timeout=timeout_s)

    async def post(self, json_body: dict, headers: dict[str, str] | None = None) -> bool:
        for attempt in range(self.attempts):
            try:
                r = await self._client.post(self.url, json=json_body, headers=headers)
                if r.status_code < 300:
                    return True
                log.warning("outbound %s: HTTP %s %s", self.name, r.status_code, r.text[:200])
                if r.status_code < 500:
                    return False
            except httpx.HTTPError as exc:
                log.warning("outbound %s failed: %r", self.name, exc)
            await asyncio.sleep(0.3 * (attempt + 1))
        log.error("outbound %s: gave up after %d attempts", self.name, self.attempts)
        return False

    async def send(self, user_key: str, text: str, author: str) -> bool:
        return await self.post({"user_key": user_key, "text": text, "author": author})


class KakaoEventApiSender(HttpSender):
    """Kakao's bot event API: the bot (with the agency's partner keys) sends an event whose
    block speaks the text to the user."""

    name = "event_api"

    def __init__(self, bot_id: str, rest_api_key: str, event_name: str) -> None:
        super().__init__(KAKAO_EVENT_API.format(bot_id=bot_id))
        self.key, self.event = rest_api_key, event_name

    async def send(self, user_key: str, text: str, author: str) -> bool:
        body = {"event": {"name": self.event, "data": {"text": text}}, "user": [{"type": "botUserKey", "id": user_key}]}
        return await self.post(body, headers={"Authorization": f"KakaoAK {self.key}"})


def make_sender(
    kind: str, url: str = "", bot_id: str = "", rest_api_key: str = "", event_name: str = ""
) -> OutboundSender:
    if kind == "http":
        if not url:
            raise ValueError("MINWON_KAKAO__OUTBOUND_URL is needed for the http sender")
        return HttpSender(url)
    if kind == "event_api":
        if not (bot_id and rest_api_key and event_name):
            raise ValueError("the event_api sender needs the bot id, REST API key and event name")
        return KakaoEventApiSender(bot_id, rest_api_key, event_name)
    return HeldSender()
