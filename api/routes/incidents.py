"""Counsellor protection: the detector and strikes for the action server and Rasa (internal),
incidents, repeat callers, bars and breaks for the console (logged-in, CSRF as the console)."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, HTTPException, Request, Response
from fastapi.routing import APIRouter
from pydantic import BaseModel, Field

from api.auth_deps import require
from api.service_auth import internal_router
from minwon.abuse import incidents, policy
from minwon.abuse.detector import Verdict, get_detector
from minwon.auth.accounts import Principal

internal = internal_router(prefix="/api/abuse", tags=["abuse (internal)"])
router = APIRouter(prefix="/api/console/abuse", tags=["console: counsellor protection"])

# Below UNSURE_FLOOR the detector is sure it is not abuse ("담배꽁초 버리는 놈들" 0.13) and
# Rasa's abuse intent is overruled: the message is answered as a question.
UNSURE_FLOOR = 0.3
NLU_SURE = 0.6

COUNSELLOR = require("counsellor", "supervisor", "admin")
SUPERVISOR = require("supervisor", "admin")


class TextIn(BaseModel):
    text: str = Field(max_length=20_000)


class StrikeIn(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=128)
    citizen_key: str = Field(default="", max_length=128)
    channel: str = Field(default="rest", max_length=32)
    text: str = Field(max_length=20_000)
    transcript: list[dict[str, Any]] = Field(default_factory=list, max_length=500)
    # Rasa's own `abuse` confidence when it, not the detector, chose the intent.
    nlu_abuse_confidence: float = Field(default=0.0, ge=0.0, le=1.0)


@internal.post("/classify")
def classify(body: TextIn) -> dict[str, object]:
    return get_detector().classify(body.text).as_dict()


@internal.post("/strikes")
def strike(body: StrikeIn, request: Request) -> dict[str, object]:
    """Classify and, when abusive, record a strike and say warn or end."""
    verdict = get_detector().classify(body.text)
    if (not verdict.is_abusive and verdict.abusive >= UNSURE_FLOOR
            and body.nlu_abuse_confidence >= NLU_SURE):
        # The detector is unsure (between its floor and threshold) and the intent classifier,
        # trained on the swear words of nlu_data, is sure: it is abuse ("이 멍청한 기계야" 0.54).
        verdict = Verdict("insult", verdict.abusive, verdict.abusive, verdict.probabilities)
    out: dict[str, object] = {"verdict": verdict.as_dict()}
    if verdict.is_abusive:
        d = policy.strike(request.app.state.minwon.engine, conversation_id=body.conversation_id,
                          citizen_key=body.citizen_key or body.conversation_id, channel=body.channel,
                          text=body.text, verdict=verdict, transcript=body.transcript)
        out["decision"] = d.as_dict()
    return out


@internal.get("/conversations/{conversation_id}")
def conversation(conversation_id: str, request: Request) -> dict[str, object]:
    engine = request.app.state.minwon.engine
    return {"ended": policy.is_ended(engine, conversation_id[:128]),
            "strikes": policy.strikes_of(engine, conversation_id[:128])}


class IncidentIn(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=128)
    citizen_key: str = Field(default="", max_length=128)
    channel: str = Field(default="", max_length=32)
    ticket_id: str | None = Field(default=None, max_length=64)
    note: str = Field(default="", max_length=2000)
    end_conversation: bool = False


@router.get("/conversations/{conversation_id}")
def strike_history(conversation_id: str, request: Request, p: Principal = Depends(COUNSELLOR)) -> dict[str, object]:
    engine = request.app.state.minwon.engine
    return {"ended": policy.is_ended(engine, conversation_id[:128]),
            "strikes": policy.strikes_of(engine, conversation_id[:128])}


@router.post("/incidents", status_code=201)
def mark_incident(body: IncidentIn, request: Request, p: Principal = Depends(COUNSELLOR)) -> dict[str, object]:
    """A counsellor marks an incident; with end_conversation the conversation is ended with
    the legal notice (the caller sends the notice through the console's reply path)."""
    return incidents.record(request.app.state.minwon.engine, conversation_id=body.conversation_id,
                            citizen_key=body.citizen_key or body.conversation_id, channel=body.channel,
                            kind="ended_by_counsellor" if body.end_conversation else "marked",
                            reported_by=p.username, note=body.note, ticket_id=body.ticket_id)


@router.get("/incidents")
def list_incidents(request: Request, p: Principal = Depends(SUPERVISOR)) -> list[dict[str, Any]]:
    return incidents.list_incidents(request.app.state.minwon.engine)


@router.get("/incidents/{incident_id}/evidence")
def evidence(incident_id: int, request: Request, p: Principal = Depends(SUPERVISOR)) -> Response:
    body = incidents.evidence_file(request.app.state.minwon.engine, incident_id)
    if body is None:
        raise HTTPException(404, detail=f"사건 기록을 찾을 수 없습니다: {incident_id}")
    return Response(body, media_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="incident-{incident_id}.json"'})


@router.get("/repeat-callers")
def repeat_callers(request: Request, p: Principal = Depends(SUPERVISOR)) -> list[dict[str, Any]]:
    return incidents.repeat_callers(request.app.state.minwon.engine)


class BarIn(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)
    days: int = Field(default=7, ge=1, le=90)


@router.post("/repeat-callers/{citizen_key}/bar")
def bar(citizen_key: str, body: BarIn, request: Request, p: Principal = Depends(SUPERVISOR)) -> dict[str, object]:
    return incidents.bar(request.app.state.minwon.engine, citizen_key[:128], p.username, body.reason, body.days)


@router.post("/repeat-callers/{citizen_key}/lift")
def lift(citizen_key: str, request: Request, p: Principal = Depends(SUPERVISOR)) -> dict[str, object]:
    n = incidents.lift(request.app.state.minwon.engine, citizen_key[:128], p.username)
    if not n:
        raise HTTPException(404, detail="해제할 이용 제한이 없습니다.")
    return {"citizen_key": citizen_key, "lifted": n}


class BreakIn(BaseModel):
    minutes: int = Field(default=15, ge=5, le=120)
    incident_id: int | None = None


@router.post("/breaks", status_code=201)
def take_break(body: BreakIn, request: Request, p: Principal = Depends(COUNSELLOR)) -> dict[str, object]:
    return incidents.take_break(request.app.state.minwon.engine, p.username, body.minutes, body.incident_id)
