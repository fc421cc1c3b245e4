"""The body of ``POST /api/handoff/tickets`` and its dedup key, built one way for every
caller (the action server's handoff and callback actions, the voice gateway's callback),
so a retried request never makes a second ticket and every ticket carries the same fields.
Plain dicts, no imports beyond the standard library: the Rasa venv uses it too."""

from __future__ import annotations

from typing import Any


def dedup_key(conversation_id: str, turn: object, reason: str) -> str:
    """One ticket per citizen message and reason: ``turn`` is what identifies the message
    (Rasa's timestamp of the last user event; the voice gateway has one callback a call)."""
    return f"{conversation_id}:{turn}:{reason}"


def chat_ticket(conversation_id: str, channel: str, reason: str, transcript: list[dict[str, Any]], turn: object,
                category: str = "", department: str = "", entry_id: str | None = None) -> dict[str, Any]:
    return {
        "conversation_id": conversation_id, "channel": channel, "reason": reason,
        "category": category, "department": department, "entry_id": entry_id,
        "transcript": transcript, "dedup_key": dedup_key(conversation_id, turn, reason),
    }


def callback_ticket(conversation_id: str, channel: str, reason: str, transcript: list[dict[str, Any]],
                    turn: object, phone_sealed: str, preferred_time: str) -> dict[str, Any]:
    """A callback request; the citizen consented (the API refuses one without consent)."""
    return {
        "conversation_id": conversation_id, "channel": channel, "reason": reason, "kind": "callback",
        "transcript": transcript, "callback_phone_sealed": phone_sealed, "callback_consent": True,
        "preferred_time": preferred_time, "dedup_key": dedup_key(conversation_id, turn, "callback"),
    }
