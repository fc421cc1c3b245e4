"""SQLAlchemy models: the counseling DB, handoff tickets with their transcripts, query log."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    pass


class Entry(Base):
    """One standard question/answer of the counseling DB (상담 DB)."""

    __tablename__ = "entries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    agency: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(100), default="", index=True)
    subcategory: Mapped[str] = mapped_column(String(100), default="")
    question: Mapped[str] = mapped_column(Text)
    alt_questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)
    spoken_answer: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    needs_human: Mapped[bool] = mapped_column(Boolean, default=False)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Soft delete keeps history and lets the retriever notice removals incrementally.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    def phrasings(self) -> list[str]:
        return [self.question, *[q for q in self.alt_questions or [] if q]]

    def is_valid_on(self, day: date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)


class EmbeddingCache(Base):
    """Dense vectors keyed by encoder and text, so re-indexing never re-embeds a phrasing."""

    __tablename__ = "embedding_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256(model|text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Ticket(Base):
    """A handoff to a person: a live chat in the counsellors' queue, or a callback request."""

    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    # Idempotency: a channel that retries (Kakao does) must not create a second ticket.
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(20), default="chat")  # chat | callback
    conversation_id: Mapped[str] = mapped_column(String(200), index=True)
    channel: Mapped[str] = mapped_column(String(30))
    # requested_human | no_match | needs_human | abusive | low_confidence
    reason: Mapped[str] = mapped_column(String(30))
    category: Mapped[str] = mapped_column(String(100), default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    entry_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    # queued | claimed | resolved | cancelled | returned
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    disposition: Mapped[str | None] = mapped_column(String(40), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    # Masked for lists and logs ("010-****-5678"); the number itself only sealed (encrypted).
    callback_phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    callback_phone_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    callback_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    preferred_time: Mapped[str | None] = mapped_column(String(100), nullable=True)
    callback_attempts: Mapped[int] = mapped_column(Integer, default=0)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped on every change, so a console can tell stale views apart.
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    messages: Mapped[list[TranscriptTurn]] = relationship(
        back_populates="ticket", order_by="TranscriptTurn.seq", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_tickets_status_created", "status", "created_at"),
        Index("ix_tickets_conversation_status", "conversation_id", "status"),
    )


class TranscriptTurn(Base):
    """One turn of the conversation attached to a ticket, so the citizen never explains twice."""

    __tablename__ = "transcript_turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(20))  # user | bot | agent
    text: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(30), default="")
    intent: Mapped[str | None] = mapped_column(String(100), nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Agent assist: the counseling-DB candidates the bot considered for this turn.
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The original text, encrypted (minwon.sealing), when masking changed it: only the
    # counsellor's view opens it. ``text`` is always the masked copy.
    sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The counsellor who wrote an agent turn.
    author: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")


class QueryLog(Base):
    """Every retrieval decision; feeds agent assist and the unanswered-question inbox."""

    __tablename__ = "query_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(200), default="", index=True)
    channel: Mapped[str] = mapped_column(String(30), default="")
    text: Mapped[str] = mapped_column(Text)  # personal data masked
    decision: Mapped[str] = mapped_column(String(20))  # answer | clarify | reject
    entry_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class User(Base):
    """A console user: counsellor, supervisor, knowledge manager or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    # counsellor | supervisor | knowledge_manager | admin
    role: Mapped[str] = mapped_column(String(30), default="counsellor")
    department: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuthSession(Base):
    """A console login. Only a hash of the cookie's token is stored."""

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChannelRequest(Base):
    """A channel request already seen (Kakao retries): the same request gets the same
    reply instead of a second answer or a second ticket."""

    __tablename__ = "channel_requests"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the raw request
    channel: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | done
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class EntryVersion(Base):
    """Every saved state of a counseling-DB entry: who, when, why; any can be restored."""

    __tablename__ = "entry_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # create | update | deactivate | revert | import
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InboxMark(Base):
    """A knowledge manager's decision on an unanswered question (by its normalised text)."""

    __tablename__ = "inbox_marks"

    text_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))  # out_of_scope | added | created
    entry_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    marked_by: Mapped[str] = mapped_column(String(100), default="")
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NluExample(Base):
    """An intent example a knowledge manager added; written into the training data
    (nlu_data/generated/managed.yml) at every training."""

    __tablename__ = "nlu_examples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    intent: Mapped[str] = mapped_column(String(100), index=True)
    text: Mapped[str] = mapped_column(String(300))
    added_by: Mapped[str] = mapped_column(String(100), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
