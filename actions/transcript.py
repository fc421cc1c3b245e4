"""The conversation so far, from the tracker, in the shape a handoff ticket stores."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker


def build(tracker: Tracker) -> List[Dict[str, Any]]:
    """User and bot turns since the session started, each user turn with its intent,
    confidence and the counseling-DB candidates the bot considered."""
    turns: List[Dict[str, Any]] = []
    last_user: Dict[str, Any] | None = None
    for event in tracker.events:
        kind = event.get("event")
        if kind == "session_started":
            turns, last_user = [], None
        elif kind == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            last_user = {
                "sender": "user",
                "text": event.get("text") or "",
                "intent": intent.get("name"),
                "confidence": intent.get("confidence"),
                "candidates": [],
                "channel": event.get("input_channel") or "",
                # The channel sealed the original when it had personal data in it.
                "sealed": (event.get("metadata") or {}).get("sealed"),
            }
            turns.append(last_user)
        elif kind == "bot":
            turns.append({"sender": "bot", "text": event.get("text") or "", "channel": ""})
        elif kind == "slot" and event.get("name") == "retrieval_trace" and last_user is not None:
            value = event.get("value") or {}
            last_user["candidates"] = list(value.get("candidates") or [])[:5]
    return turns[-200:]


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "rest"
