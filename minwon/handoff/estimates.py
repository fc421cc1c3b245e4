"""How long a citizen will wait: their place in the queue shared by the counsellors online,
each taking the recent average handling time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, select

from minwon.db.models import Ticket
from minwon.db.session import session_scope
from minwon.handoff.tickets import queue_position


def position(engine: Engine, ticket: Ticket) -> int | None:
    return queue_position(engine, ticket) if ticket.status == "queued" else None


@dataclass
class WaitEstimate:
    position: int | None
    seconds: int | None
    counsellors_online: int
    based_on: int  # handled tickets the average comes from (0: the configured default)


def average_handle_s(engine: Engine, samples: int = 50) -> tuple[float | None, int]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(Ticket.claimed_at, Ticket.resolved_at)
            .where(Ticket.kind == "chat", Ticket.resolved_at.is_not(None), Ticket.claimed_at.is_not(None))
            .order_by(Ticket.resolved_at.desc())
            .limit(samples)
        ).all()
    spans = [(aware(r) - aware(c)).total_seconds() for c, r in rows]
    spans = [x for x in spans if x >= 0]
    return (sum(spans) / len(spans) if spans else None), len(spans)


def estimate_wait(engine: Engine, ticket: Ticket, online: int, default_s: int, min_samples: int) -> WaitEstimate:
    pos = position(engine, ticket)
    if pos is None:
        return WaitEstimate(None, None, online, 0)
    avg, n = average_handle_s(engine)
    return wait_for_position(pos, online, avg, n, default_s, min_samples)


def wait_for_position(
    pos: int, online: int, avg: float | None, n: int, default_s: int, min_samples: int
) -> WaitEstimate:
    """Honest and simple: tickets ahead are shared by the counsellors online, each taking
    the recent average handling time. With nobody online there is no estimate."""
    if avg is None or n < min_samples:
        avg, n = float(default_s), 0
    if online <= 0:
        return WaitEstimate(pos, None, 0, n)
    rounds = -(-pos // online)  # ceil
    return WaitEstimate(pos, int(rounds * avg), online, n)


def aware(t: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored as UTC.
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)
