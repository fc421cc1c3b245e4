"""Strikes and what they lead to (Seoul 120's practice, the default of every agency here):
abuse and threats get warning 1, warning 2 naming the consequence, and the third strike ends
the conversation; sexual harassment ends it at once; a citizen a supervisor barred, or one who
was already ended for abuse within `repeat_days`, has no warning left to spend (ends at the
first abusive message and goes on the repeat-caller list the supervisor reviews)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from minwon.abuse.detector import Verdict
from minwon.abuse.store import AbuseIncident, AbuseStrike, CitizenBar
from minwon.db.session import session_scope


@dataclass(frozen=True)
class StrikePolicy:
    strikes_to_end: int = int(os.environ.get("MINWON_ABUSE_STRIKES_TO_END", "3"))
    repeat_days: int = int(os.environ.get("MINWON_ABUSE_REPEAT_DAYS", "30"))
    sexual_ends_at_once: bool = True


@dataclass(frozen=True)
class Decision:
    action: str               # warn | end
    level: int                # 1, 2 for warnings; strikes_to_end when ended
    conversation_strikes: int
    citizen_strikes: int
    repeat: bool
    barred: bool
    incident_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def is_barred(engine: Engine, citizen_key: str) -> bool:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(CitizenBar).where(
            CitizenBar.citizen_key == citizen_key, CitizenBar.lifted_at.is_(None),
            CitizenBar.until > _now())) > 0


def strike(engine: Engine, *, conversation_id: str, citizen_key: str, channel: str, text: str,
           verdict: Verdict, transcript: list[dict[str, Any]], policy: StrikePolicy = StrikePolicy()) -> Decision:
    """Record one abusive message and decide: a warning or the end of the conversation."""
    barred = is_barred(engine, citizen_key)
    with session_scope(engine) as s:
        conv = s.scalar(select(func.count()).select_from(AbuseStrike).where(
            AbuseStrike.conversation_id == conversation_id)) + 1
        since = _now() - timedelta(days=policy.repeat_days)
        cit = s.scalar(select(func.count()).select_from(AbuseStrike).where(
            AbuseStrike.citizen_key == citizen_key, AbuseStrike.created_at >= since)) + 1
        ended_before = s.scalar(select(func.count()).select_from(AbuseIncident).where(
            AbuseIncident.citizen_key == citizen_key, AbuseIncident.created_at >= since,
            AbuseIncident.kind.like("ended%"))) > 0
        repeat = barred or ended_before
        if verdict.label == "sexual" and policy.sexual_ends_at_once:
            action, level, kind = "end", policy.strikes_to_end, "ended_sexual"
        elif conv >= policy.strikes_to_end or repeat:
            action, level, kind = "end", policy.strikes_to_end, "ended_three_strikes" if not repeat else "ended_repeat"
        else:
            action, level, kind = "warn", conv, ""
        s.add(AbuseStrike(conversation_id=conversation_id, citizen_key=citizen_key, channel=channel,
                          label=verdict.label, confidence=verdict.confidence, level=level, text=text[:2000]))
        incident_id = None
        if action == "end":
            inc = AbuseIncident(conversation_id=conversation_id, citizen_key=citizen_key, channel=channel,
                                kind=kind, label=verdict.label, reported_by="bot", transcript=transcript[-200:])
            s.add(inc)
            s.flush()
            incident_id = inc.id
    return Decision(action, level, conv, cit, repeat, barred, incident_id)


def strikes_of(engine: Engine, conversation_id: str) -> list[dict[str, Any]]:
    with session_scope(engine) as s:
        rows = s.scalars(select(AbuseStrike).where(AbuseStrike.conversation_id == conversation_id)
                         .order_by(AbuseStrike.id)).all()
        return [{"label": r.label, "level": r.level, "confidence": round(r.confidence, 3), "text": r.text,
                 "at": r.created_at.isoformat()} for r in rows]


def is_ended(engine: Engine, conversation_id: str) -> bool:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(AbuseIncident).where(
            AbuseIncident.conversation_id == conversation_id, AbuseIncident.kind.like("ended%"))) > 0
