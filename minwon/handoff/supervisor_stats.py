"""The supervisor's figures for a day: queue now, longest wait, service levels, handled per
counsellor, callbacks open."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, func, select

from minwon.db.models import Ticket, utcnow
from minwon.db.session import session_scope
from minwon.handoff.estimates import aware as _aware


def stats(engine: Engine, day_start: datetime, day_end: datetime, levels: list[int]) -> dict:
    """Supervisor figures for one day: queue now, longest wait, service levels, handled per
    counsellor. Service level = chat tickets answered within T s / tickets offered, where a
    ticket still waiting less than T s is not counted yet (it may still make it)."""
    now = utcnow()
    # SQLite keeps datetimes as UTC text without the zone: compare in UTC everywhere.
    day_start, day_end = day_start.astimezone(timezone.utc), day_end.astimezone(timezone.utc)
    with session_scope(engine) as s:
        waiting = list(s.scalars(select(Ticket.created_at).where(Ticket.kind == "chat", Ticket.status == "queued")))
        day = s.execute(
            select(Ticket.created_at, Ticket.claimed_at, Ticket.status, Ticket.resolved_at).where(
                Ticket.kind == "chat", Ticket.created_at >= day_start, Ticket.created_at < day_end
            )
        ).all()
        handled_rows = s.execute(
            select(Ticket.claimed_by, func.count(Ticket.id))
            .where(
                Ticket.kind == "chat",
                Ticket.status.in_(("resolved", "returned")),
                Ticket.resolved_at >= day_start,
                Ticket.resolved_at < day_end,
            )
            .group_by(Ticket.claimed_by)
        ).all()
        callbacks_open = s.scalar(
            select(func.count(Ticket.id)).where(Ticket.kind == "callback", Ticket.status == "queued")
        )
    longest = max(((now - _aware(c)).total_seconds() for c in waiting), default=0.0)
    service: dict[str, float | None] = {}
    for level in levels:
        offered = answered = 0
        for created, claimed, _status, _resolved in day:
            created = _aware(created)
            if claimed is not None:
                wait = (_aware(claimed) - created).total_seconds()
            else:
                wait = (now - created).total_seconds()
                if _status == "queued" and wait < level:
                    continue  # may still be answered in time
            offered += 1
            answered += claimed is not None and wait <= level
        service[str(level)] = round(answered / offered, 4) if offered else None
    return {
        "queue_length": len(waiting),
        "longest_wait_s": round(longest, 1),
        "offered_today": len(day),
        "service_level": service,
        "handled_by": {u or "-": n for u, n in handled_rows},
        "callbacks_open": int(callbacks_open or 0),
        "day_start": day_start.isoformat(),
        "day_end": day_end.isoformat(),
    }


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)
