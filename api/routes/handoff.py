"""Handoff tickets, created by the action server, and business hours."""

from __future__ import annotations

from fastapi import HTTPException, Query, Request, Response

from api.schemas import TicketIn, TicketOut, TurnIn
from api.service_auth import internal_router
from api.state import AppState
from minwon.db.models import Ticket
from minwon.handoff import wording
from minwon.handoff.hours import is_urgent
from minwon.handoff.tickets import NewTicket, Turn, create_ticket, get_ticket

# Every route here is for the action server and the voice gateway (api/service_auth.py).
internal = internal_router(prefix="/api/handoff", tags=["handoff (internal)"])


def _state(request: Request) -> AppState:
    return request.app.state.minwon


def _out(state: AppState, t: Ticket, created: bool) -> TicketOut:
    est = state.handoff.estimate(t) if t.kind == "chat" else None
    return TicketOut(
        id=t.id, status=t.status, reason=t.reason, channel=t.channel,
        conversation_id=t.conversation_id, category=t.category, department=t.department,
        position=est.position if est else None, wait_s=est.seconds if est else None,
        wait_text=wording.wait_text(est) if est else "", created=created,
        transcript=[
            TurnIn(sender=m.sender if m.sender in ("user", "bot", "agent") else "bot",  # type: ignore[arg-type]
                   text=m.text, intent=m.intent, confidence=m.confidence,
                   candidates=m.candidates or [], channel=m.channel)
            for m in t.messages
        ],
    )


@internal.get("/availability")
def availability(request: Request, text: str = Query(default="", max_length=10_000)) -> dict[str, object]:
    """Are counsellors working now? If not, when they are back, and whether the citizen's
    words make it a matter for the duty officer."""
    state = _state(request)
    a = state.hours.availability()
    h = state.settings.handoff
    return {**a.as_dict(), "urgent": is_urgent(text, h.urgent_keywords),
            "duty_officer_phone": h.duty_officer_phone,
            "counsellors_online": state.hub.counsellors_online()}


@internal.post("/tickets", response_model=TicketOut, status_code=201)
def create(body: TicketIn, request: Request, response: Response) -> TicketOut:
    """Create a ticket with the whole transcript; a repeated ``dedup_key`` returns the
    first ticket (200) instead of creating a second one."""
    state = _state(request)
    if body.kind == "callback" and not (body.callback_phone_sealed and body.callback_consent):
        raise HTTPException(422, detail="콜백 접수에는 전화번호와 개인정보 이용 동의가 필요합니다.")
    ticket, created = create_ticket(
        state.engine,
        NewTicket(
            conversation_id=body.conversation_id, channel=body.channel, reason=body.reason,
            transcript=[Turn(**t.model_dump()) for t in body.transcript],
            category=body.category, department=body.department, entry_id=body.entry_id,
            kind=body.kind, dedup_key=body.dedup_key, urgent=body.urgent,
            callback_phone_sealed=body.callback_phone_sealed, callback_consent=body.callback_consent,
            preferred_time=body.preferred_time,
        ),
    )
    if not created:
        response.status_code = 200
    ticket = get_ticket(state.engine, ticket.id) or ticket
    if created:
        state.handoff.ticket_changed(ticket)
    return _out(state, ticket, created)


@internal.get("/tickets/{ticket_id}", response_model=TicketOut)
def read(ticket_id: str, request: Request) -> TicketOut:
    state = _state(request)
    ticket = get_ticket(state.engine, ticket_id[:64])
    if ticket is None:
        raise HTTPException(404, detail=f"상담 접수 건을 찾을 수 없습니다: {ticket_id[:40]}")
    return _out(state, ticket, True)
