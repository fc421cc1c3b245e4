"""Talking to minwon's API from the action server (over ``minwon/clients/api.py``, the one
API client of the Rasa side), with a spool so no ticket is lost."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Dict

from actions.config import API_TIMEOUT_S, API_URL, SERVICE_TOKEN, SPOOL_DIR
from minwon.clients.api import ApiUnavailable, MinwonApi

__all__ = ["ApiUnavailable", "ask", "availability", "create_ticket", "get_entry", "spool"]

log = logging.getLogger(__name__)

_api = MinwonApi(API_URL, SERVICE_TOKEN, timeout_s=API_TIMEOUT_S)


async def ask(text: str, conversation_id: str, channel: str, log: bool = True) -> Dict[str, Any]:
    return await _api.ask(text, conversation_id, channel, log=log)


async def get_entry(entry_id: str) -> Dict[str, Any]:
    return await _api.get_entry(entry_id)


async def availability(text: str) -> Dict[str, Any]:
    """Counsellors' hours now; when the API is down, assume open so the ticket is spooled."""
    try:
        return await _api.availability(text)
    except ApiUnavailable as exc:
        log.warning("availability unknown (%s): assuming open", exc)
        return {"open": True, "unknown": True}


async def create_ticket(ticket: Dict[str, Any]) -> Dict[str, Any]:
    """Create a ticket (retried while the API is down); on failure write it to the spool and
    report it as spooled."""
    ticket.setdefault("dedup_key", uuid.uuid4().hex)
    try:
        return await _api.create_ticket(ticket)
    except ApiUnavailable as exc:
        log.error("ticket API unavailable (%s); spooling ticket %s", exc, ticket["dedup_key"])
    spool(ticket)
    return {"id": None, "spooled": True, "position": None}


def spool(ticket: Dict[str, Any]) -> None:
    SPOOL_DIR.mkdir(parents=True, exist_ok=True)
    path = SPOOL_DIR / "tickets.jsonl"
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(ticket, ensure_ascii=False) + "\n")
        f.flush()
