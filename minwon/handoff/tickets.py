"""Creating handoff tickets with their whole transcript, exactly once per dedup key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from minwon.db.models import Ticket, TranscriptTurn
from minwon.db.session import session_scope
from minwon.privacy import mask_and_seal, mask_personal_data
from minwon.sealing import unseal
from minwon.text import MAX_STORED_CHARS, clean

# Why a conversation went to a person: the one list (the API's schema, the console's Korean
# labels in views.REASON_KO, the spool all take it from here).
Reason = Literal["requested_human", "no_match", "needs_human", "abusive", "low_confidence", "callback"]
REASONS: tuple[str, ...] = get_args(Reason)


@dataclass
class Turn:
    sender: str
    text: str
    intent: str | None = None
    confidence: float | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)
    channel: str = ""
    sealed: str | None = None


@dataclass
class NewTicket:
    conversation_id: str
    channel: str
    reason: str
    transcript: list[Turn]
    category: str = ""
    department: str = ""
    entry_id: str | None = None
    kind: str = "chat"
    dedup_key: str | None = None
    urgent: bool = False
    callback_phone_sealed: str | None = None
    callback_consent: bool = False
    preferred_time: str | None = None


SUMMARY_SKIP_INTENTS = {"request_human", "greet", "affirm", "deny", "thank", "goodbye", "abuse"}


def _summary(transcript: list[Turn]) -> str:
    """The citizen's matter in a line: their last real question, not "상담원 연결해 주세요"."""
    said = [t for t in transcript if t.sender == "user" and t.text and not t.text.startswith("/")]
    for turn in reversed(said):
        if turn.intent not in SUMMARY_SKIP_INTENTS:
            return turn.text[:200]
    return said[-1].text[:200] if said else ""


def create_ticket(engine: Engine, new: NewTicket) -> tuple[Ticket, bool]:
    """Store the ticket and its transcript in one transaction. Returns (ticket, created);
    a repeated dedup key returns the first ticket instead of a second one."""
    if new.dedup_key:
        existing = get_by_dedup(engine, new.dedup_key)
        if existing is not None:
            return existing, False
    # Stored masked; an original with personal data only sealed, for the counsellor's view
    # (which still masks the RRN). Channels usually mask and seal before we see the text.
    turns = []
    for i, t in enumerate(new.transcript):
        text, sealed = mask_and_seal(clean(t.text, MAX_STORED_CHARS))
        turns.append(TranscriptTurn(
            seq=i, sender=t.sender, text=text, sealed=t.sealed or sealed,
            intent=t.intent, confidence=t.confidence, candidates=t.candidates[:5],
            channel=t.channel or new.channel,
        ))
    phone = unseal(new.callback_phone_sealed) if new.callback_phone_sealed else None
    ticket = Ticket(
        conversation_id=new.conversation_id, channel=new.channel, reason=new.reason,
        category=new.category, department=new.department, entry_id=new.entry_id,
        kind=new.kind, dedup_key=new.dedup_key, summary=mask_personal_data(_summary(new.transcript)),
        urgent=new.urgent, callback_phone=mask_personal_data(phone) if phone else None,
        callback_phone_sealed=new.callback_phone_sealed, callback_consent=new.callback_consent,
        preferred_time=clean(new.preferred_time, 100) if new.preferred_time else None,
        messages=turns,
    )
    try:
        with session_scope(engine) as s:
            s.add(ticket)
    except IntegrityError:
        # Another request with the same dedup key won the race.
        if new.dedup_key:
            existing = get_by_dedup(engine, new.dedup_key)
            if existing is not None:
                return existing, False
        raise
    return ticket, True


def get_by_dedup(engine: Engine, key: str) -> Ticket | None:
    with session_scope(engine) as s:
        return s.scalar(select(Ticket).where(Ticket.dedup_key == key))


def get_ticket(engine: Engine, ticket_id: str) -> Ticket | None:
    with session_scope(engine) as s:
        t = s.get(Ticket, ticket_id)
        if t is not None:
            _ = list(t.messages)  # load before the session closes
        return t


def queue_position(engine: Engine, ticket: Ticket) -> int:
    """1-based place among queued chat tickets, oldest first."""
    with session_scope(engine) as s:
        ahead = s.scalar(
            select(func.count(Ticket.id)).where(
                Ticket.status == "queued", Ticket.kind == "chat",
                Ticket.created_at < ticket.created_at,
            )
        )
    return int(ahead or 0) + 1
