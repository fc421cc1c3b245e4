"""Keeping Rasa's tracker whole during a handoff: counsellor messages enter the
conversation as bot utterances (with the counsellor in the metadata), and returning a
conversation to the bot resumes it. Uses Rasa's HTTP API (``rasa run --enable-api``)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

import httpx

log = logging.getLogger(__name__)


class RasaBridge:
    def __init__(self, rasa_url: str, token: str = "", timeout_s: float = 5.0) -> None:
        self.base = rasa_url.rstrip("/")
        self.params = {"include_events": "NONE", **({"token": token} if token else {})}
        self._client = httpx.AsyncClient(timeout=timeout_s)
        self._tasks: set[asyncio.Future[Any]] = set()

    async def append(self, conversation_id: str, events: list[dict[str, Any]], attempts: int = 3) -> bool:
        url = f"{self.base}/conversations/{quote(conversation_id, safe='')}/tracker/events"
        for attempt in range(attempts):
            try:
                r = await self._client.post(url, params=self.params, json=events)
                if r.status_code < 300:
                    return True
                log.warning("rasa tracker append %s: HTTP %s %s", conversation_id, r.status_code, r.text[:200])
            except httpx.HTTPError as exc:
                log.warning("rasa tracker append %s failed: %r", conversation_id, exc)
            await asyncio.sleep(0.2 * (attempt + 1))
        # Our database keeps the full record either way; the tracker just misses this turn.
        log.error("rasa tracker append %s gave up after %d attempts", conversation_id, attempts)
        return False

    async def agent_said(self, conversation_id: str, text: str, agent: str) -> bool:
        return await self.append(
            conversation_id,
            [
                {"event": "bot", "text": text, "metadata": {"sender": "agent", "agent": agent}},
            ],
        )

    async def resume(self, conversation_id: str, text: str | None = None) -> bool:
        events: list[dict[str, Any]] = [{"event": "resume"}]
        if text:
            events.append({"event": "bot", "text": text, "metadata": {"sender": "system"}})
        # The pause stopped Rasa before its action_listen; without one, the next message
        # would not match the rules (they expect a listening bot).
        events.append({"event": "action", "name": "action_listen"})
        return await self.append(conversation_id, events)

    async def send_message(
        self,
        conversation_id: str,
        text: str,
        channel: str,
        metadata: dict[str, Any] | None = None,
        timeout_s: float | None = None,
    ) -> list[dict[str, Any]]:
        """A citizen's message through Rasa's REST channel (the web-chat and KakaoTalk
        gateways use it), so every channel shares one dialogue and one transcript."""
        r = await self._client.post(
            f"{self.base}/webhooks/rest/webhook",
            json={"sender": conversation_id, "message": text, "input_channel": channel, "metadata": metadata or {}},
            timeout=timeout_s if timeout_s is not None else httpx.USE_CLIENT_DEFAULT,
        )
        if r.status_code >= 400:
            raise httpx.HTTPStatusError(f"rasa: HTTP {r.status_code}", request=r.request, response=r)
        data = r.json()
        return data if isinstance(data, list) else []

    def later(self, coro: Any) -> None:
        """Run a tracker update without making the counsellor wait for Rasa."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        await self._client.aclose()
