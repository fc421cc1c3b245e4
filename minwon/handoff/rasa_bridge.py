"""Keeping Rasa's tracker whole during a handoff: counsellor messages enter the
conversation as bot utterances (with the counsellor in the metadata), and returning a
conversation to the bot resumes it. Over ``minwon/clients/rasa.py`` (Rasa's HTTP API,
``rasa run --enable-api``)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from minwon.clients.rasa import RasaClient
from minwon.clients.retry import retrying

log = logging.getLogger(__name__)


class _Refused(Exception):
    pass


class RasaBridge:
    def __init__(self, rasa_url: str, token: str = "", timeout_s: float = 5.0) -> None:
        self.client = RasaClient(rasa_url, token, timeout_s)
        # A citizen's message through Rasa's REST channel (the web-chat and Kakao gateways).
        self.send_message = self.client.send_message
        self._tasks: set[asyncio.Future[Any]] = set()

    async def append(self, conversation_id: str, events: list[dict[str, Any]], attempts: int = 3) -> bool:
        try:
            async for attempt in retrying(attempts, first_wait_s=0.2, retry_on=(httpx.HTTPError, _Refused),
                                          what="rasa tracker append"):
                with attempt:
                    r = await self.client.append_events(conversation_id, events)
                    if r.status_code >= 300:
                        log.warning("rasa tracker append %s: HTTP %s %s", conversation_id, r.status_code,
                                    r.text[:200])
                        raise _Refused(r.status_code)
            return True
        except (httpx.HTTPError, _Refused) as exc:
            # Our database keeps the full record either way; the tracker just misses this turn.
            log.error("rasa tracker append %s gave up after %d attempts: %r", conversation_id, attempts, exc)
            return False

    async def agent_said(self, conversation_id: str, text: str, agent: str) -> bool:
        return await self.append(
            conversation_id, [{"event": "bot", "text": text, "metadata": {"sender": "agent", "agent": agent}}]
        )

    async def resume(self, conversation_id: str, text: str | None = None) -> bool:
        events: list[dict[str, Any]] = [{"event": "resume"}]
        if text:
            events.append({"event": "bot", "text": text, "metadata": {"sender": "system"}})
        # The pause stopped Rasa before its action_listen; without one, the next message
        # would not match the rules (they expect a listening bot).
        events.append({"event": "action", "name": "action_listen"})
        return await self.append(conversation_id, events)

    def later(self, coro: Any) -> None:
        """Run a tracker update without making the counsellor wait for Rasa."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        await self.client.close()
