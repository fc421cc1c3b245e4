"""Incidents, the repeat-caller list, bars and breaks: what the console shows a supervisor."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from minwon.abuse.store import AbuseIncident, AbuseStrike, CitizenBar, CounsellorBreak
from minwon.db.session import session_scope


def _inc(i: AbuseIncident) -> dict[str, Any]:
    return {"id": i.id, "conversation_id": i.conversation_id, "citizen_key": i.citizen_key, "channel": i.channel,
            "kind": i.kind, "label": i.label, "ticket_id": i.ticket_id, "reported_by": i.reported_by,
            "note": i.note, "created_at": i.created_at.isoformat()}


def record(engine: Engine, *, conversation_id: str, citizen_key: str, channel: str, kind: str, reported_by: str,
           note: str = "", ticket_id: str | None = None,
           transcript: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    with session_scope(engine) as s:
        inc = AbuseIncident(conversation_id=conversation_id, citizen_key=citizen_key, channel=channel, kind=kind,
                            label="", ticket_id=ticket_id, reported_by=reported_by, note=note[:2000],
                            transcript=(transcript or [])[-200:])
        s.add(inc)
        s.flush()
        return _inc(inc)


def list_incidents(engine: Engine, limit: int = 100) -> list[dict[str, Any]]:
    with session_scope(engine) as s:
        return [_inc(i) for i in s.scalars(select(AbuseIncident).order_by(AbuseIncident.id.desc()).limit(limit))]


def evidence(engine: Engine, incident_id: int) -> dict[str, Any] | None:
    """The incident with its transcript and the strikes' times: the file a complaint needs."""
    with session_scope(engine) as s:
        inc = s.get(AbuseIncident, incident_id)
        if inc is None:
            return None
        strikes = s.scalars(select(AbuseStrike).where(AbuseStrike.conversation_id == inc.conversation_id)
                            .order_by(AbuseStrike.id)).all()
        return {**_inc(inc), "transcript": inc.transcript,
                "strikes": [{"at": r.created_at.isoformat(), "label": r.label, "level": r.level, "text": r.text}
                            for r in strikes]}


def evidence_file(engine: Engine, incident_id: int) -> str | None:
    ev = evidence(engine, incident_id)
    return None if ev is None else json.dumps(ev, ensure_ascii=False, indent=2)


def repeat_callers(engine: Engine, days: int = 30, min_strikes: int = 3) -> list[dict[str, Any]]:
    since = datetime.now(timezone.utc) - timedelta(days=days)
    now = datetime.now(timezone.utc)
    with session_scope(engine) as s:
        rows = s.execute(select(AbuseStrike.citizen_key, func.count(), func.max(AbuseStrike.created_at))
                         .where(AbuseStrike.created_at >= since).group_by(AbuseStrike.citizen_key)
                         .having(func.count() >= min_strikes)).all()
        out = []
        for key, n, last in rows:
            bar = s.scalars(select(CitizenBar).where(CitizenBar.citizen_key == key)
                            .order_by(CitizenBar.id.desc()).limit(1)).first()
            until = bar.until.replace(tzinfo=bar.until.tzinfo or timezone.utc) if bar else None
            active = bool(bar and bar.lifted_at is None and until and until > now)
            out.append({"citizen_key": key, "strikes": int(n), "last_at": last.isoformat(), "barred": active,
                        "barred_until": until.isoformat() if active and until else None,
                        "history": [] if bar is None else [{"barred_by": bar.barred_by, "lifted_by": bar.lifted_by}]})
        return sorted(out, key=lambda r: -r["strikes"])


def bar(engine: Engine, citizen_key: str, by: str, reason: str, days: int = 7) -> dict[str, Any]:
    until = datetime.now(timezone.utc) + timedelta(days=days)
    with session_scope(engine) as s:
        s.add(CitizenBar(citizen_key=citizen_key, until=until, reason=reason[:1000], barred_by=by))
    return {"citizen_key": citizen_key, "barred_until": until.isoformat()}


def lift(engine: Engine, citizen_key: str, by: str) -> int:
    n = 0
    with session_scope(engine) as s:
        open_bars = select(CitizenBar).where(CitizenBar.citizen_key == citizen_key, CitizenBar.lifted_at.is_(None))
        for b in s.scalars(open_bars):
            b.lifted_at, b.lifted_by = datetime.now(timezone.utc), by
            n += 1
    return n


def take_break(engine: Engine, username: str, minutes: int, incident_id: int | None) -> dict[str, Any]:
    with session_scope(engine) as s:
        b = CounsellorBreak(username=username, minutes=minutes, incident_id=incident_id)
        s.add(b)
        s.flush()
        return {"id": b.id, "username": username, "minutes": minutes, "incident_id": incident_id,
                "started_at": b.started_at.isoformat()}
