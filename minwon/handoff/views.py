"""Tickets as the console and the citizen's channels see them."""

from __future__ import annotations

from datetime import timezone
from typing import Any

from minwon.db.models import Ticket, TranscriptTurn, utcnow
from minwon.handoff import queue, wording
from minwon.privacy import counsellor_view

REASON_KO = {
    "requested_human": "상담원 요청",
    "no_match": "답변 못 찾음",
    "needs_human": "개인·담당자 확인 필요",
    "abusive": "악성·폭언",
    "low_confidence": "확신 낮음",
    "callback": "콜백 요청",
}
CHANNEL_KO = {"rest": "REST", "web": "웹 채팅", "kakao": "카카오톡", "voice": "전화", "cmdline": "터미널"}


def _iso(t: Any) -> str | None:
    if t is None:
        return None
    return (t if t.tzinfo else t.replace(tzinfo=timezone.utc)).isoformat()


def summary(t: Ticket, position: int | None = None) -> dict[str, Any]:
    created = t.created_at if t.created_at.tzinfo else t.created_at.replace(tzinfo=timezone.utc)
    return {
        "id": t.id, "kind": t.kind, "status": t.status, "status_ko": queue.STATUS_KO.get(t.status, t.status),
        "channel": t.channel, "channel_ko": CHANNEL_KO.get(t.channel, t.channel),
        "reason": t.reason, "reason_ko": REASON_KO.get(t.reason, t.reason),
        "category": t.category, "department": t.department, "summary": t.summary,
        "conversation_id": t.conversation_id, "created_at": _iso(t.created_at),
        "waiting_s": round((utcnow() - created).total_seconds(), 1),
        "claimed_by": t.claimed_by, "claimed_at": _iso(t.claimed_at), "resolved_at": _iso(t.resolved_at),
        "disposition": t.disposition, "urgent": t.urgent, "position": position,
        "callback_phone": t.callback_phone, "preferred_time": t.preferred_time,
        "callback_attempts": t.callback_attempts, "note": t.note,
    }


def turn(m: TranscriptTurn, for_counsellor: bool) -> dict[str, Any]:
    return {
        "id": m.id, "seq": m.seq, "sender": m.sender, "author": m.author,
        "text": counsellor_view(m.text, m.sealed) if for_counsellor else m.text,
        "intent": m.intent, "confidence": m.confidence, "candidates": m.candidates or [],
        "channel": m.channel, "created_at": _iso(m.created_at),
    }


def detail(t: Ticket, position: int | None = None) -> dict[str, Any]:
    out = summary(t, position)
    out["transcript"] = [turn(m, True) for m in t.messages]
    if t.kind == "callback":
        out["callback_phone_full"] = counsellor_view(t.callback_phone or "", t.callback_phone_sealed)
    return out


def citizen_state(t: Ticket | None, est: queue.WaitEstimate | None) -> dict[str, Any]:
    """The handoff as the citizen's widget shows it."""
    if t is None:
        return {"active": False}
    return {
        "active": t.status in queue.ACTIVE, "ticket_id": t.id, "status": t.status,
        "position": est.position if est else None, "wait_s": est.seconds if est else None,
        "wait_text": wording.wait_text(est) if est else "",
        "counsellor": t.claimed_by if t.status == "claimed" else None,
    }
