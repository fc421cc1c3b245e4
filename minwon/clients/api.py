"""The one client of our API for the Rasa side (the action server and the Rasa server's
input channels, both in the Rasa venv, hence aiohttp): the service token on every request,
one retry policy (``minwon/clients/retry.py``), errors as ``ApiUnavailable``.

The voice gateway (svc venv, httpx) talks to the same internal routes with the same header
(``voice_gateway/engine.py``)."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import aiohttp

from minwon.clients.retry import retrying

SERVICE_HEADER = "X-Minwon-Service-Token"


class ApiUnavailable(RuntimeError):
    """The API did not take the request; ``status`` is its HTTP status (None: unreachable)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status >= 500


class MinwonApi:
    def __init__(self, base_url: str | None = None, token: str | None = None, timeout_s: float = 3.0,
                 pool: int = 64) -> None:
        self.base = (base_url or os.environ.get("MINWON_API_URL", "http://127.0.0.1:8000")).rstrip("/")
        self.token = os.environ.get("MINWON_SERVICE_TOKEN", "") if token is None else token
        self.timeout_s, self.pool = timeout_s, pool
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout_s),
                connector=aiohttp.TCPConnector(limit=self.pool, keepalive_timeout=30),
                headers={SERVICE_HEADER: self.token},
            )
        return self._session

    async def _once(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            async with self._client().request(method, f"{self.base}{path}", **kwargs) as resp:
                if resp.status == 404:
                    return {}
                if resp.status >= 400:
                    raise ApiUnavailable(f"{method} {path}: HTTP {resp.status}: {await resp.text()}", resp.status)
                return await resp.json()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise ApiUnavailable(f"{method} {path}: {exc!r}") from exc

    async def call(self, method: str, path: str, attempts: int = 1, **kwargs: Any) -> dict[str, Any]:
        """One call; with ``attempts`` > 1, retried while the API is unreachable or failing
        (5xx), never for a refusal (4xx: the same request cannot do better). A 404 is ``{}``."""
        if attempts <= 1:  # the chat turn's calls: no retry machinery (~40 µs) on the hot path
            return await self._once(method, path, **kwargs)
        try:
            async for attempt in retrying(attempts, first_wait_s=0.1, retry_on=_Retryable, what="api"):
                with attempt:
                    try:
                        return await self._once(method, path, **kwargs)
                    except ApiUnavailable as exc:
                        if exc.retryable:
                            raise _Retryable(exc) from exc
                        raise
        except _Retryable as exc:
            raise exc.args[0] from None
        raise AssertionError("retrying() ends in a return or a raise")  # pragma: no cover

    # -- the routes the Rasa side uses ------------------------------------------------------
    async def ask(self, text: str, conversation_id: str, channel: str, log: bool = True) -> dict[str, Any]:
        return await self.call("POST", "/api/knowledge/ask",
                               json={"text": text, "conversation_id": conversation_id, "channel": channel,
                                     "log": log})

    async def get_entry(self, entry_id: str) -> dict[str, Any]:
        return await self.call("GET", f"/api/knowledge/entries/{entry_id}")

    async def availability(self, text: str) -> dict[str, Any]:
        return await self.call("GET", "/api/handoff/availability", params={"text": text[:2000]})

    async def create_ticket(self, ticket: dict[str, Any]) -> dict[str, Any]:
        return await self.call("POST", "/api/handoff/tickets", attempts=3, json=ticket)

    async def relay(self, conversation_id: str, text: str, channel: str, sealed: str | None) -> dict[str, Any]:
        """A message of a conversation that is with a counsellor."""
        return await self.call("POST", f"/api/conversations/{conversation_id}/messages", attempts=3,
                               json={"text": text, "channel": channel, "sealed": sealed})


class _Retryable(Exception):
    pass
