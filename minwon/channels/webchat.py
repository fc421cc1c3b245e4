"""The citizen's side of a conversation, for every channel: web chat (a WebSocket that
carries the bot conversation through Rasa's REST channel and the handoff), messages our
channels relay while a counsellor has the conversation, polling for counsellor replies,
cancelling a handoff and feedback on answers. ``api/routes/conversations.py`` adapts it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import Engine, select

from minwon.db.models import QueryLog, Ticket, TranscriptTurn
from minwon.db.session import session_scope
from minwon.handoff import queue, views, wording
from minwon.handoff.hub import QUEUE_TOPIC, ticket_topic
from minwon.handoff.rasa_bridge import RasaBridge
from minwon.handoff.service import HandoffService
from minwon.privacy import mask_and_seal, mask_personal_data
from minwon.settings import HandoffSettings
from minwon.text import clean

log = logging.getLogger(__name__)

MAX_WS_MESSAGE = 10_000
FAILURE_TEXT = "죄송합니다. 지금 챗봇이 응답하지 않습니다. 잠시 후 다시 적어 주시거나 '상담원 연결'이라고 적어 주세요."


@dataclass
class WebChat:
    engine: Engine
    handoff: HandoffService
    rasa: RasaBridge
    settings: HandoffSettings

    def is_cancel(self, text: str) -> bool:
        compact = text.strip().replace(" ", "")
        return compact in {w.replace(" ", "") for w in self.settings.cancel_words}

    def citizen_message(self, conversation_id: str, text: str, channel: str, sealed: str | None = None
                        ) -> dict[str, Any]:
        """A citizen's message while a handoff may be active. Returns what happened."""
        ticket = queue.active_ticket(self.engine, conversation_id)
        if ticket is None:
            return {"handled": False, "state": {"active": False}}
        if self.is_cancel(text):
            cancelled = queue.cancel_by_citizen(self.engine, conversation_id)
            if cancelled is not None:
                self.handoff.ticket_changed(cancelled)
                return {"handled": True, "cancelled": True, "reply": wording.CANCELLED_TEXT,
                        "state": views.citizen_state(cancelled, None)}
        masked, sealed_now = mask_and_seal(text)
        turn = queue.add_turn(self.engine, ticket.id, "user", masked, channel=channel, sealed=sealed or sealed_now)
        self.handoff.turn_added(ticket, turn)
        ticket = queue.load(self.engine, ticket.id)
        self.handoff.hub.publish(
            QUEUE_TOPIC, {"type": "ticket", "ticket": views.summary(ticket, queue.position(self.engine, ticket))}
        )
        return {"handled": True, "state": views.citizen_state(ticket, self.handoff.estimate(ticket))}

    def after_cancel(self, conversation_id: str) -> None:
        self.rasa.later(self.rasa.resume(conversation_id, wording.CANCELLED_TEXT))

    def cancel(self, conversation_id: str) -> Ticket | None:
        ticket = queue.cancel_by_citizen(self.engine, conversation_id)
        if ticket is not None:
            self.handoff.ticket_changed(ticket)
        return ticket

    def feedback(self, conversation_id: str, entry_id: str, helpful: bool, question: str, channel: str) -> None:
        """A citizen's 도움이 됐어요 / 안 됐어요; unhelpful answers go to the knowledge
        managers' inbox with the question that got them."""
        with session_scope(self.engine) as s:
            s.add(QueryLog(
                conversation_id=conversation_id, channel=channel,
                text=mask_personal_data(clean(question, 2000)) or f"({entry_id} 답변)",
                decision="helpful" if helpful else "unhelpful", entry_id=entry_id, score=0.0,
            ))

    def state(self, conversation_id: str) -> dict[str, Any]:
        ticket = queue.active_ticket(self.engine, conversation_id)
        return views.citizen_state(ticket, self.handoff.estimate(ticket) if ticket else None)

    def events_after(self, conversation_id: str, after: int) -> list[dict[str, Any]]:
        """Counsellor and system turns of this conversation's tickets, oldest first."""
        with session_scope(self.engine) as s:
            rows = s.execute(
                select(TranscriptTurn).join(Ticket).where(
                    Ticket.conversation_id == conversation_id, TranscriptTurn.id > after,
                    TranscriptTurn.sender.in_(("agent", "system")),
                ).order_by(TranscriptTurn.id).limit(200)
            ).scalars().all()
        # What the counsellor wrote to this citizen is theirs to read in full (a department's
        # phone number, say); it is stored masked and sealed like everything else.
        return [{"id": m.id, "sender": m.sender, "author": m.author, "text": views.turn(m, True)["text"],
                 "created_at": views._iso(m.created_at)} for m in rows]

    def citizen_typing(self, conversation_id: str) -> None:
        ticket = queue.active_ticket(self.engine, conversation_id)
        if ticket is not None:
            self.handoff.hub.publish(ticket_topic(ticket.id), {"type": "typing", "who": "citizen",
                                                               "ticket_id": ticket.id})

    async def to_bot(self, conversation_id: str, text: str) -> list[dict[str, Any]]:
        """The bot's replies as the widget shows them; Rasa answers, or (paused, handed
        over) our REST channel relays the message to the counsellor."""
        try:
            replies = await self.rasa.send_message(conversation_id, text, "web")
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("web chat: rasa unavailable for %s: %r", conversation_id, exc)
            replies = [{"text": FAILURE_TEXT}]
        return [{"type": "bot", "text": r.get("text") or "", "buttons": r.get("buttons") or [],
                 "custom": r.get("custom")} for r in replies]
