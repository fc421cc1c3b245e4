"""Talking to minwon's API from the action server, with a spool so no ticket is lost."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any, Dict

import aiohttp

from actions.config import API_TIMEOUT_S, API_URL, SERVICE_HEADER, SERVICE_TOKEN, SPOOL_DIR

log = logging.getLogger(__name__)

_session: aiohttp.ClientSession | None = None


class ApiUnavailable(RuntimeError):
    pass


def _client() -> aiohttp.ClientSession:
    global _session
    if _session is None or _session.closed:
        _session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=API_TIMEOUT_S),
            connector=aiohttp.TCPConnector(limit=64, keepalive_timeout=30),
            headers={SERVICE_HEADER: SERVICE_TOKEN},
        )
    return _session


async def _request(method: str, path: str, **kwargs: Any) -> Dict[str, Any]:
    try:
        async with _client().request(method, f"{API_URL}{path}", **kwargs) as resp:
            if resp.status == 404:
                return {}
            if resp.status >= 400:
                raise ApiUnavailable(f"{method} {path}: HTTP {resp.status}: {await resp.text()}")
            return await resp.json()
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        raise ApiUnavailable(f"{method} {path}: {exc!r}") from exc


async def ask(text: str, conversation_id: str, channel: str) -> Dict[str, Any]:
    return await _request(
        "POST", "/api/knowledge/ask",
        json={"text": text, "conversation_id": conversation_id, "channel": channel},
    )


async def get_entry(entry_id: str) -> Dict[str, Any]:
    return await _request("GET", f"/api/knowledge/entries/{entry_id}")


async def availability(text: str) -> Dict[str, Any]:
    """Counsellors' hours now; when the API is down, assume open so the ticket is spooled."""
    try:
        return await _request("GET", "/api/handoff/availability", params={"text": text[:2000]})
    except ApiUnavailable as exc:
        log.warning("availability unknown (%s): assuming open", exc)
        return {"open": True, "unknown": True}


async def create_ticket(ticket: Dict[str, Any]) -> Dict[str, Any]:
    """Create a ticket; on failure write it to the spool and report it as spooled."""
    ticket.setdefault("dedup_key", uuid.uuid4().hex)
    last_error: Exception | None = None
    for attempt in range(3):
        try:
            return await _request("POST", "/api/handoff/tickets", json=ticket)
        except ApiUnavailable as exc:
            last_error = exc
            if attempt < 2:
                await asyncio.sleep(0.1 * (attempt + 1))
    log.error("ticket API unavailable (%s); spooling ticket %s", last_error, ticket["dedup_key"])
    spool(ticket)
    return {"id": None, "spooled": True, "position": None}


def spool(ticket: Dict[str, Any]) -> None:
    SPOOL_DIR.mkdir(parents=True, exist_ok=True)
    path = SPOOL_DIR / "tickets.jsonl"
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(ticket, ensure_ascii=False) + "\n")
        f.flush()
