"""Publishing ticket changes: the console's queue, the ticket's watchers, the citizen."""

from __future__ import annotations

from typing import Any

from api import views
from api.state import AppState
from minwon.db.models import Ticket
from minwon.handoff import queue
from minwon.handoff.hub import QUEUE_TOPIC, conversation_topic, ticket_topic


def estimate(state: AppState, ticket: Ticket) -> queue.WaitEstimate:
    h = state.settings.handoff
    return queue.estimate_wait(state.engine, ticket, state.hub.counsellors_online(), h.default_handle_s, h.min_samples)


def ticket_changed(state: AppState, ticket: Ticket, **citizen_extra: Any) -> None:
    """Tell the consoles, and every citizen still waiting (their place may have moved)."""
    state.hub.publish(
        QUEUE_TOPIC, {"type": "ticket", "ticket": views.summary(ticket, queue.position(state.engine, ticket))}
    )
    if ticket.kind == "chat":
        citizen(state, ticket, **citizen_extra)
        if ticket.status != "queued":
            waiting_moved(state)


def waiting_moved(state: AppState) -> None:
    """New places and estimates for the citizens still waiting who are listening: two
    queries whatever the queue length."""
    hub = state.hub
    waiting = [t for t in queue.queued(state.engine) if t.status == "queued"]
    listening = [
        (pos, t) for pos, t in enumerate(waiting, 1) if hub.has_subscribers(conversation_topic(t.conversation_id))
    ]
    if not listening:
        return
    h = state.settings.handoff
    avg, n = queue.average_handle_s(state.engine)
    online = hub.counsellors_online()
    for pos, t in listening:
        est = queue.wait_for_position(pos, online, avg, n, h.default_handle_s, h.min_samples)
        hub.publish(conversation_topic(t.conversation_id), {"type": "handoff", "state": views.citizen_state(t, est)})


def citizen(state: AppState, ticket: Ticket, **extra: Any) -> None:
    est = estimate(state, ticket)
    state.hub.publish(
        conversation_topic(ticket.conversation_id),
        {"type": "handoff", "state": views.citizen_state(ticket, est), **extra},
    )


def turn_added(state: AppState, ticket: Ticket, turn: Any) -> None:
    state.hub.publish(ticket_topic(ticket.id), {"type": "turn", "ticket_id": ticket.id, "turn": views.turn(turn, True)})
