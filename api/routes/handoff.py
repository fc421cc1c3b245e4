"""Handoff tickets (the counsellors' queue and console build on these)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from api.schemas import TicketIn, TicketOut, TurnIn
from minwon.db.models import Ticket
from minwon.handoff.tickets import NewTicket, Turn, create_ticket, get_ticket, queue_position

router = APIRouter(prefix="/api/handoff", tags=["handoff"])


def _out(t: Ticket, position: int | None, created: bool) -> TicketOut:
    return TicketOut(
        id=t.id, status=t.status, reason=t.reason, channel=t.channel,
        conversation_id=t.conversation_id, category=t.category, department=t.department,
        position=position, created=created,
        transcript=[
            TurnIn(sender=m.sender, text=m.text, intent=m.intent, confidence=m.confidence,  # type: ignore[arg-type]
                   candidates=m.candidates or [], channel=m.channel)
            for m in t.messages
        ],
    )


@router.post("/tickets", response_model=TicketOut, status_code=201)
def create(body: TicketIn, request: Request, response: Response) -> TicketOut:
    """Create a ticket with the whole transcript; a repeated ``dedup_key`` returns the
    first ticket (200) instead of creating a second one."""
    engine = request.app.state.minwon.engine
    ticket, created = create_ticket(
        engine,
        NewTicket(
            conversation_id=body.conversation_id, channel=body.channel, reason=body.reason,
            transcript=[Turn(**t.model_dump()) for t in body.transcript],
            category=body.category, department=body.department, entry_id=body.entry_id,
            kind=body.kind, dedup_key=body.dedup_key,
        ),
    )
    if not created:
        response.status_code = 200
    ticket = get_ticket(engine, ticket.id) or ticket
    position = queue_position(engine, ticket) if ticket.status == "queued" else None
    return _out(ticket, position, created)


@router.get("/tickets/{ticket_id}", response_model=TicketOut)
def read(ticket_id: str, request: Request) -> TicketOut:
    engine = request.app.state.minwon.engine
    ticket = get_ticket(engine, ticket_id)
    if ticket is None:
        raise HTTPException(404, detail=f"상담 접수 건을 찾을 수 없습니다: {ticket_id}")
    position = queue_position(engine, ticket) if ticket.status == "queued" else None
    return _out(ticket, position, True)
