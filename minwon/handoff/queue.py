"""The counsellors' queue: the ticket's transitions (claiming, replying, transferring,
resolving, returning to the bot, cancelling). Every state change is one conditional UPDATE,
so two counsellors can never both win a ticket, on SQLite or PostgreSQL. Callbacks are in
``callbacks.py``, wait estimates in ``estimates.py``, the supervisor's figures in
``supervisor_stats.py`` (the last two re-exported here for their callers)."""

from __future__ import annotations

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import selectinload

from minwon.db.models import Ticket, TranscriptTurn, utcnow
from minwon.db.session import session_scope
from minwon.errors import MinwonError
from minwon.handoff.estimates import (  # noqa: F401  (re-exported)
    WaitEstimate,
    average_handle_s,
    estimate_wait,
    position,
    wait_for_position,
)
from minwon.handoff.supervisor_stats import day_bounds, stats  # noqa: F401  (re-exported)
from minwon.privacy import mask_and_seal
from minwon.text import MAX_STORED_CHARS, clean

ACTIVE = ("queued", "claimed")
DISPOSITIONS = {
    "answered": "안내 완료",
    "complaint_registered": "민원 접수",
    "visit_guided": "방문·서류 안내",
    "forwarded_official": "담당 공무원 연결",
    "no_response": "시민 응답 없음",
    "abusive_ended": "악성 민원 종료",
    "other": "기타",
}


class QueueError(MinwonError):
    """A request the queue refuses; ``status`` is the HTTP status it maps to."""

    code = "queue"


def _not_found(ticket_id: str) -> QueueError:
    return QueueError(404, f"상담 접수 건을 찾을 수 없습니다: {ticket_id[:40]}")


def load(engine: Engine, ticket_id: str) -> Ticket:
    with session_scope(engine) as s:
        t = s.scalar(select(Ticket).options(selectinload(Ticket.messages)).where(Ticket.id == ticket_id))
    if t is None:
        raise _not_found(ticket_id)
    return t


def _conflict(engine: Engine, ticket_id: str, wanted: str) -> QueueError:
    t = load(engine, ticket_id)  # raises 404 for unknown ids
    if t.status == "claimed":
        return QueueError(409, f"이미 {t.claimed_by} 상담원이 맡은 건입니다.")
    return QueueError(409, f"{wanted} 수 없는 상태입니다 (현재: {STATUS_KO.get(t.status, t.status)}).")


STATUS_KO = {
    "queued": "대기",
    "claimed": "상담 중",
    "resolved": "완료",
    "cancelled": "시민 취소",
    "returned": "챗봇으로 전환",
}


def claim(engine: Engine, ticket_id: str, username: str) -> Ticket:
    now = utcnow()
    with session_scope(engine) as s:
        won = s.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id, Ticket.status == "queued", Ticket.kind == "chat")
            .values(status="claimed", claimed_by=username, claimed_at=now, updated_at=now)
        ).rowcount
    if won != 1:
        raise _conflict(engine, ticket_id, "배정할")
    return load(engine, ticket_id)


def claim_next(engine: Engine, username: str, department: str | None = None) -> Ticket | None:
    """The oldest queued chat ticket (of one department if given), claimed atomically."""
    for _ in range(50):
        now = utcnow()
        oldest = select(Ticket.id).where(Ticket.status == "queued", Ticket.kind == "chat")
        if department:
            oldest = oldest.where(Ticket.department == department)
        # SKIP LOCKED spreads concurrent counsellors over different rows on PostgreSQL;
        # SQLite ignores it and serialises writers, and the status guard decides.
        oldest = oldest.order_by(Ticket.created_at, Ticket.id).limit(1).with_for_update(skip_locked=True)
        with session_scope(engine) as s:
            ticket_id = s.scalar(oldest)
            if ticket_id is None:
                return None
            won = s.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id, Ticket.status == "queued")
                .values(status="claimed", claimed_by=username, claimed_at=now, updated_at=now)
            ).rowcount
        if won == 1:
            return load(engine, ticket_id)
    raise QueueError(503, "대기열이 혼잡합니다. 잠시 후 다시 시도해 주세요.")


def check_owner(t: Ticket, username: str, verb: str, supervisor: bool = False) -> None:
    """The one claim rule for acting on a ticket (reply, resolve, return, transfer): it is
    claimed, and by this counsellor, or a supervisor acts for them. ``verb`` is the Korean
    for the act ("답장할")."""
    if t.status != "claimed":
        raise QueueError(409, f"{verb} 수 없는 상태입니다 (현재: {STATUS_KO.get(t.status, t.status)}).")
    if t.claimed_by != username and not supervisor:
        raise QueueError(403, f"{t.claimed_by} 상담원이 맡은 건이라 {verb} 수 없습니다.")


def _finish(engine: Engine, ticket_id: str, username: str, values: dict, verb: str, supervisor: bool = False) -> Ticket:
    now = utcnow()
    cond = [Ticket.id == ticket_id, Ticket.status == "claimed"]
    if not supervisor:
        cond.append(Ticket.claimed_by == username)
    with session_scope(engine) as s:
        done = s.execute(update(Ticket).where(*cond).values(updated_at=now, **values)).rowcount
    if done != 1:
        t = load(engine, ticket_id)
        check_owner(t, username, verb, supervisor)
        raise QueueError(409, f"{verb} 수 없는 상태입니다 (현재: {STATUS_KO.get(t.status, t.status)}).")
    return load(engine, ticket_id)


def resolve(
    engine: Engine, ticket_id: str, username: str, disposition: str, note: str, supervisor: bool = False
) -> Ticket:
    if disposition not in DISPOSITIONS:
        raise QueueError(422, f"알 수 없는 처리 결과 코드입니다: {disposition[:40]}")
    return _finish(
        engine,
        ticket_id,
        username,
        {"status": "resolved", "disposition": disposition, "resolved_at": utcnow(), "note": clean(note, 2000)},
        "완료할",
        supervisor,
    )


def return_to_bot(engine: Engine, ticket_id: str, username: str, note: str = "", supervisor: bool = False) -> Ticket:
    return _finish(
        engine,
        ticket_id,
        username,
        {"status": "returned", "disposition": "returned_to_bot", "resolved_at": utcnow(), "note": clean(note, 2000)},
        "챗봇으로 돌려보낼",
        supervisor,
    )


def transfer(
    engine: Engine, ticket_id: str, username: str, department: str, note: str, supervisor: bool = False
) -> Ticket:
    """Back into the queue, for the department's counsellors, with the note on the record."""
    department = clean(department, 100).strip()
    if not department:
        raise QueueError(422, "이관할 부서를 입력해 주세요.")
    ticket = _finish(
        engine,
        ticket_id,
        username,
        {"status": "queued", "department": department, "claimed_by": None, "claimed_at": None},
        "이관할",
        supervisor,
    )
    add_turn(
        engine, ticket_id, "system", f"{username} 상담원이 {department}(으)로 이관했습니다. {clean(note, 500)}".strip()
    )
    return load(engine, ticket.id)


def cancel_by_citizen(engine: Engine, conversation_id: str) -> Ticket | None:
    """The citizen stopped waiting. Only a queued ticket is cancelled: once a counsellor
    has it, the counsellor closes it."""
    ticket = active_ticket(engine, conversation_id)
    if ticket is None or ticket.status != "queued":
        return None
    with session_scope(engine) as s:
        done = s.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id, Ticket.status == "queued")
            .values(status="cancelled", resolved_at=utcnow(), updated_at=utcnow())
        ).rowcount
    return load(engine, ticket.id) if done == 1 else None


def active_ticket(engine: Engine, conversation_id: str) -> Ticket | None:
    with session_scope(engine) as s:
        return s.scalar(
            select(Ticket)
            .where(Ticket.conversation_id == conversation_id, Ticket.kind == "chat", Ticket.status.in_(ACTIVE))
            .order_by(Ticket.created_at.desc())
            .limit(1)
        )


def add_turn(
    engine: Engine,
    ticket_id: str,
    sender: str,
    text: str,
    author: str | None = None,
    channel: str = "",
    sealed: str | None = None,
) -> TranscriptTurn:
    """Append a turn. The text is stored masked; the original only sealed."""
    text = clean(text, MAX_STORED_CHARS)
    if sealed is None:
        text, sealed = mask_and_seal(text)
    with session_scope(engine) as s:
        if s.get(Ticket, ticket_id) is None:
            raise _not_found(ticket_id)
        seq = (s.scalar(select(func.max(TranscriptTurn.seq)).where(TranscriptTurn.ticket_id == ticket_id)) or 0) + 1
        turn = TranscriptTurn(
            ticket_id=ticket_id, seq=seq, sender=sender, text=text, sealed=sealed, author=author, channel=channel
        )
        s.add(turn)
        s.execute(update(Ticket).where(Ticket.id == ticket_id).values(updated_at=utcnow()))
    return turn


def queued(engine: Engine, limit: int = 500) -> list[Ticket]:
    """Chat tickets waiting or in progress, oldest first."""
    with session_scope(engine) as s:
        return list(
            s.scalars(
                select(Ticket)
                .where(Ticket.kind == "chat", Ticket.status.in_(ACTIVE))
                .order_by(Ticket.created_at, Ticket.id)
                .limit(limit)
            )
        )


def waiting_conversations(engine: Engine) -> list[Ticket]:
    """Queued chat tickets, oldest first, with only what a place-in-queue update needs."""
    with session_scope(engine) as s:
        rows = s.execute(
            select(Ticket.id, Ticket.conversation_id, Ticket.status, Ticket.claimed_by)
            .where(Ticket.kind == "chat", Ticket.status == "queued")
            .order_by(Ticket.created_at, Ticket.id)
        ).all()
    return [Ticket(id=r.id, conversation_id=r.conversation_id, status=r.status, claimed_by=r.claimed_by) for r in rows]
