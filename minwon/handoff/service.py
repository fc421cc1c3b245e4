"""The handoff as a service: what a counsellor's act does (the queue's rules in
``queue.py``, one place, the supervisor override included) and who is told about it
(the consoles, the ticket's watchers, the waiting citizens, Rasa's tracker, the Kakao
sender). The console routes and the citizen's channels are adapters over it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from minwon.auth.accounts import Principal
from minwon.channels.outbound import OutboundSender
from minwon.db.models import Ticket
from minwon.errors import Invalid, NotFound
from minwon.handoff import callbacks, queue, views, wording
from minwon.handoff.hub import QUEUE_TOPIC, Hub, conversation_topic, ticket_topic
from minwon.handoff.rasa_bridge import RasaBridge
from minwon.settings import HandoffSettings

KAKAO_PREFIX = "kakao:"


@dataclass
class HandoffService:
    engine: Engine
    hub: Hub
    settings: HandoffSettings
    rasa: RasaBridge
    outbound: OutboundSender

    # -- who is told ----------------------------------------------------------------------
    def estimate(self, ticket: Ticket) -> queue.WaitEstimate:
        h = self.settings
        return queue.estimate_wait(self.engine, ticket, self.hub.counsellors_online(), h.default_handle_s,
                                   h.min_samples)

    def ticket_changed(self, ticket: Ticket, **citizen_extra: Any) -> None:
        """Tell the consoles, and every citizen still waiting (their place may have moved)."""
        self.hub.publish(
            QUEUE_TOPIC, {"type": "ticket", "ticket": views.summary(ticket, queue.position(self.engine, ticket))}
        )
        if ticket.kind == "chat":
            self.citizen(ticket, **citizen_extra)
            if ticket.status != "queued":
                self.waiting_moved()

    def waiting_moved(self) -> None:
        """New places and estimates for the citizens still waiting who are listening: two
        queries whatever the queue length."""
        hub = self.hub
        waiting = [t for t in queue.queued(self.engine) if t.status == "queued"]
        listening = [
            (pos, t) for pos, t in enumerate(waiting, 1) if hub.has_subscribers(conversation_topic(t.conversation_id))
        ]
        if not listening:
            return
        h = self.settings
        avg, n = queue.average_handle_s(self.engine)
        online = hub.counsellors_online()
        for pos, t in listening:
            est = queue.wait_for_position(pos, online, avg, n, h.default_handle_s, h.min_samples)
            state = views.citizen_state(t, est)
            hub.publish(conversation_topic(t.conversation_id), {"type": "handoff", "state": state})

    def citizen(self, ticket: Ticket, **extra: Any) -> None:
        self.hub.publish(
            conversation_topic(ticket.conversation_id),
            {"type": "handoff", "state": views.citizen_state(ticket, self.estimate(ticket)), **extra},
        )

    def turn_added(self, ticket: Ticket, turn: Any) -> None:
        self.hub.publish(ticket_topic(ticket.id),
                         {"type": "turn", "ticket_id": ticket.id, "turn": views.turn(turn, True)})

    def detail(self, t: Ticket) -> dict[str, Any]:
        return views.detail(t, queue.position(self.engine, t))

    def _changed(self, t: Ticket, citizen_text: str | None = None) -> dict[str, Any]:
        self.ticket_changed(t, **({"text": citizen_text} if citizen_text else {}))
        return self.detail(t)

    # -- what a counsellor does -------------------------------------------------------------
    def claim(self, ticket_id: str, p: Principal) -> dict[str, Any]:
        t = queue.claim(self.engine, ticket_id, p.username)
        return self._changed(t, wording.claimed_text(p.display_name))

    def claim_next(self, p: Principal) -> dict[str, Any]:
        t = queue.claim_next(self.engine, p.username)
        if t is None:
            raise NotFound(None, "대기 중인 상담이 없습니다.")
        return self._changed(t, wording.claimed_text(p.display_name))

    async def reply(self, ticket_id: str, p: Principal, text: str) -> dict[str, Any]:
        """A counsellor's message to the citizen: stored on the ticket, recorded in Rasa's
        tracker as a bot utterance, pushed to the citizen's channel."""
        t = await run_in_threadpool(queue.load, self.engine, ticket_id)
        queue.check_owner(t, p.username, "답장할", p.can("supervisor"))
        if not text.strip():
            raise Invalid(None, "보낼 내용을 입력해 주세요.")
        turn = await run_in_threadpool(queue.add_turn, self.engine, t.id, "agent", text, p.username, t.channel)
        self.turn_added(t, turn)
        self.hub.publish(
            conversation_topic(t.conversation_id),
            {"type": "agent_message", "id": turn.id, "text": text, "author": p.display_name},
        )
        # Rasa's copy is masked like every stored copy; the record there is for the dialogue.
        self.rasa.later(self.rasa.agent_said(t.conversation_id, turn.text, p.username))
        if t.channel == "kakao" and t.conversation_id.startswith(KAKAO_PREFIX):
            # Kakao cannot be pushed to without partner keys: the configured sender decides.
            self.rasa.later(self.outbound.send(t.conversation_id.removeprefix(KAKAO_PREFIX), text, p.display_name))
        return {"ok": True, "turn": views.turn(turn, True)}

    def typing(self, ticket_id: str, p: Principal) -> None:
        t = queue.load(self.engine, ticket_id)
        if t.status == "claimed" and t.claimed_by == p.username:
            self.hub.publish(conversation_topic(t.conversation_id), {"type": "typing", "who": "agent"})

    def transfer(self, ticket_id: str, p: Principal, department: str, note: str) -> dict[str, Any]:
        t = queue.transfer(self.engine, ticket_id, p.username, department, note, supervisor=p.can("supervisor"))
        return self._changed(t, wording.transferred_text(t.department))

    async def resolve(self, ticket_id: str, p: Principal, disposition: str, note: str) -> dict[str, Any]:
        t = await run_in_threadpool(
            queue.resolve, self.engine, ticket_id, p.username, disposition, note, p.can("supervisor")
        )
        self.rasa.later(self.rasa.resume(t.conversation_id, wording.RESOLVED_TEXT))
        return self._changed(t, wording.RESOLVED_TEXT)

    async def return_to_bot(self, ticket_id: str, p: Principal, note: str) -> dict[str, Any]:
        t = await run_in_threadpool(
            queue.return_to_bot, self.engine, ticket_id, p.username, note, p.can("supervisor")
        )
        self.rasa.later(self.rasa.resume(t.conversation_id, wording.RETURNED_TEXT))
        return self._changed(t, wording.RETURNED_TEXT)

    def callback_outcome(self, ticket_id: str, p: Principal, outcome: str, note: str) -> dict[str, Any]:
        t = callbacks.record_callback(self.engine, ticket_id, p.username, outcome, note)
        self.hub.publish(QUEUE_TOPIC, {"type": "callback", "ticket": views.summary(t)})
        return views.detail(t)

    # -- what a citizen does ------------------------------------------------------------------
    async def cancel_by_citizen(self, conversation_id: str) -> Ticket | None:
        """Cancel a waiting handoff; Rasa resumes with the bot's words."""
        ticket = await run_in_threadpool(queue.cancel_by_citizen, self.engine, conversation_id)
        if ticket is not None:
            self.ticket_changed(ticket)
            self.rasa.later(self.rasa.resume(conversation_id, wording.CANCELLED_TEXT))
        return ticket
