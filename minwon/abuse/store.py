"""Tables of counsellor protection (migration 0006): strikes, incidents, bars, breaks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from minwon.db.models import Base, utcnow


class AbuseStrike(Base):
    """One abusive message: what the detector said, per conversation and per citizen."""

    __tablename__ = "abuse_strikes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    citizen_key: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(32), default="")
    label: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    level: Mapped[int] = mapped_column(Integer, default=1)   # 1, 2 = warnings; 3 = ended
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class AbuseIncident(Base):
    """A conversation ended for abuse, or one a counsellor marked: the evidence record."""

    __tablename__ = "abuse_incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    citizen_key: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(32), default="")
    # ended_three_strikes | ended_repeat | ended_sexual | ended_by_counsellor | marked
    kind: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(16), default="")
    ticket_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reported_by: Mapped[str] = mapped_column(String(100), default="bot")
    note: Mapped[str] = mapped_column(Text, default="")
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class CitizenBar(Base):
    """A supervisor's bar on a repeat abuser; lifting it keeps the row (never silent)."""

    __tablename__ = "abuse_bars"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    citizen_key: Mapped[str] = mapped_column(String(128), index=True)
    until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="")
    barred_by: Mapped[str] = mapped_column(String(100))
    barred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lifted_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CounsellorBreak(Base):
    """A break a counsellor took after an incident (산업안전보건법 제41조: 휴게시간 연장)."""

    __tablename__ = "counsellor_breaks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    incident_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    minutes: Mapped[int] = mapped_column(Integer, default=15)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
