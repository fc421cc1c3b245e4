"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from minwon.handoff.tickets import Reason

MAX_TEXT = 10_000


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


class In(BaseModel):
    """A request body. NUL characters are dropped from every string before validation, as
    ``minwon.text.clean`` drops them from texts: PostgreSQL refuses them in any text column
    (a fuzzed ``conversation_id`` with one gave a 500)."""

    @model_validator(mode="before")
    @classmethod
    def _drop_nul(cls, data: Any) -> Any:
        return _without_nul(data)


class AskRequest(In):
    text: str = Field(max_length=MAX_TEXT)
    conversation_id: str = Field(default="", max_length=200)
    channel: str = Field(default="rest", max_length=30)
    log: bool = True


class CorrectRequest(In):
    """What speech recognition heard, for the DB's names to be put back into it."""

    text: str = Field(max_length=MAX_TEXT)
    max_distance: float = Field(default=0.25, ge=0.0, le=0.5)


class CorrectionOut(BaseModel):
    heard: str
    word: str
    distance: float


class CorrectResponse(BaseModel):
    text: str
    corrections: list[CorrectionOut]
    built_at: float | None


class EntryOut(BaseModel):
    id: str
    question: str
    answer: str
    spoken_answer: str
    category: str
    subcategory: str
    department: str
    phone: str
    needs_human: bool


class CandidateOut(BaseModel):
    entry_id: str
    question: str
    category: str
    score: float
    dense: float
    lexical: float


class AskResponse(BaseModel):
    decision: Literal["answer", "clarify", "reject"]
    entry: EntryOut | None = None
    choices: list[EntryOut] = []
    # A clarification whose choices share one category names it ("여권 관련해서 …").
    category: str = ""
    candidates: list[CandidateOut] = []
    thresholds: dict[str, float] = {}
    took_ms: float


class TurnIn(In):
    sender: Literal["user", "bot", "agent"]
    text: str = Field(default="", max_length=MAX_TEXT)
    intent: str | None = Field(default=None, max_length=100)
    confidence: float | None = None
    candidates: list[dict[str, Any]] = Field(default_factory=list, max_length=20)
    channel: str = Field(default="", max_length=30)
    # The original text, sealed by the channel when it had personal data.
    sealed: str | None = Field(default=None, max_length=60_000)


class TicketIn(In):
    conversation_id: str = Field(min_length=1, max_length=200)
    channel: str = Field(min_length=1, max_length=30)
    reason: Reason
    transcript: list[TurnIn] = Field(default_factory=list, max_length=1000)
    category: str = Field(default="", max_length=100)
    department: str = Field(default="", max_length=100)
    entry_id: str | None = Field(default=None, max_length=64)
    kind: Literal["chat", "callback"] = "chat"
    dedup_key: str | None = Field(default=None, max_length=200)
    urgent: bool = False
    callback_phone_sealed: str | None = Field(default=None, max_length=1000)
    callback_consent: bool = False
    preferred_time: str | None = Field(default=None, max_length=100)


class TicketOut(BaseModel):
    id: str
    status: str
    reason: str
    channel: str
    conversation_id: str
    category: str
    department: str
    position: int | None = None
    wait_s: int | None = None
    wait_text: str = ""
    created: bool = True
    transcript: list[TurnIn] = []


class CitizenMessageIn(In):
    text: str = Field(max_length=MAX_TEXT)
    sealed: str | None = Field(default=None, max_length=60_000)
    channel: str = Field(default="rest", max_length=30)


class LoginIn(In):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class UserIn(In):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)
    role: Literal["counsellor", "supervisor", "knowledge_manager", "admin"] = "counsellor"
    display_name: str = Field(default="", max_length=100)
    department: str = Field(default="", max_length=100)


class ReplyIn(In):
    text: str = Field(min_length=1, max_length=5000)


class ResolveIn(In):
    disposition: str = Field(min_length=1, max_length=40)
    note: str = Field(default="", max_length=2000)


class TransferIn(In):
    department: str = Field(min_length=1, max_length=100)
    note: str = Field(default="", max_length=2000)


class ReturnIn(In):
    note: str = Field(default="", max_length=2000)


class CallbackOutcomeIn(In):
    outcome: str = Field(min_length=1, max_length=40)
    note: str = Field(default="", max_length=2000)
