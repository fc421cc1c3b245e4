"""Callback requests: the list counsellors call back from, and the outcome of a call
(a no-answer keeps it on the list to try again)."""

from __future__ import annotations

from sqlalchemy import Engine, select, update

from minwon.db.models import Ticket, utcnow
from minwon.db.session import session_scope
from minwon.handoff.queue import QueueError, add_turn, load
from minwon.text import clean

CALLBACK_OUTCOMES = {
    "reached": "통화 완료",
    "no_answer": "부재중(재시도)",
    "wrong_number": "번호 오류",
    "declined": "시민 취소",
}
# Outcomes after which a callback stays on the list to try again.
CALLBACK_RETRY = {"no_answer"}


def listed(engine: Engine, include_done: bool = False, limit: int = 500) -> list[Ticket]:
    with session_scope(engine) as s:
        q = select(Ticket).where(Ticket.kind == "callback")
        if not include_done:
            q = q.where(Ticket.status == "queued")
        return list(s.scalars(q.order_by(Ticket.created_at).limit(limit)))


def record_callback(engine: Engine, ticket_id: str, username: str, outcome: str, note: str) -> Ticket:
    if outcome not in CALLBACK_OUTCOMES:
        raise QueueError(422, f"알 수 없는 통화 결과 코드입니다: {outcome[:40]}")
    now = utcnow()
    values: dict = {
        "callback_attempts": Ticket.callback_attempts + 1,
        "updated_at": now,
        "disposition": outcome,
        "note": clean(note, 2000),
    }
    if outcome not in CALLBACK_RETRY:
        values.update(status="resolved", resolved_at=now, claimed_by=username, claimed_at=now)
    with session_scope(engine) as s:
        done = s.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id, Ticket.kind == "callback", Ticket.status == "queued")
            .values(**values)
        ).rowcount
    if done != 1:
        load(engine, ticket_id)
        raise QueueError(409, "이미 처리된 콜백이거나 콜백 접수 건이 아닙니다.")
    add_turn(
        engine, ticket_id, "system", f"{username}: 통화 결과 {CALLBACK_OUTCOMES[outcome]}. {clean(note, 500)}".strip()
    )
    return load(engine, ticket_id)
