"""The one client of Rasa's HTTP server: its REST channel (a citizen's message in, the
bot's messages out) and its HTTP API (tracker events, model swap), with the token.

Used by the handoff bridge (counsellor turns and resumes), the web-chat and KakaoTalk
gateways (messages) and the model publisher."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx


class RasaClient:
    def __init__(self, rasa_url: str, token: str = "", timeout: float | httpx.Timeout = 5.0) -> None:
        self.base = rasa_url.rstrip("/")
        self.params = {"include_events": "NONE", **({"token": token} if token else {})}
        self._client = httpx.AsyncClient(timeout=timeout)

    async def send_message(
        self,
        conversation_id: str,
        text: str,
        channel: str,
        metadata: dict[str, Any] | None = None,
        timeout_s: float | None = None,
    ) -> list[dict[str, Any]]:
        """A citizen's message through Rasa's REST channel, so every channel shares one
        dialogue and one transcript. Raises ``httpx.HTTPStatusError`` for an HTTP error
        (``.response.status_code`` tells Rasa refusing the input, 4xx, from Rasa failing)
        and ``httpx.HTTPError`` / ``ValueError`` when Rasa is unreachable or not JSON."""
        r = await self._client.post(
            f"{self.base}/webhooks/rest/webhook",
            json={"sender": conversation_id, "message": text, "input_channel": channel, "metadata": metadata or {}},
            timeout=timeout_s if timeout_s is not None else httpx.USE_CLIENT_DEFAULT,
        )
        if r.status_code >= 400:
            raise httpx.HTTPStatusError(f"rasa: HTTP {r.status_code}", request=r.request, response=r)
        data = r.json()
        return data if isinstance(data, list) else []

    async def append_events(self, conversation_id: str, events: list[dict[str, Any]]) -> httpx.Response:
        url = f"{self.base}/conversations/{quote(conversation_id, safe='')}/tracker/events"
        return await self._client.post(url, params=self.params, json=events)

    async def close(self) -> None:
        await self._client.aclose()
