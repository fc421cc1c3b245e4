"""Handing a conversation to a person: a ticket with the whole transcript."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client, messages
from actions.transcript import build, channel_of
from minwon.handoff import ticket_body


async def hand_off(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reason: str,
    category: str = "",
    department: str = "",
    entry_id: str | None = None,
) -> List[EventType]:
    avail = await api_client.availability(" ".join(t["text"] for t in build(tracker)[-6:] if t["sender"] == "user"))
    # A phone caller cannot be handed a chat: the voicebot always offers a callback (the
    # voice gateway reads back the caller's number and asks for consent).
    voice = channel_of(tracker) == "voice"
    if voice or not avail.get("open", True):
        # Nobody to take the chat now: say when they are back, offer a callback, and the
        # duty officer when it sounds urgent.
        dispatcher.utter_message(text=messages.closed_text(reason, avail), buttons=messages.CALLBACK_BUTTONS,
                                 json_message={"minwon": "callback_offer", "reason": reason,
                                               "open": bool(avail.get("open", True)),
                                               "urgent": bool(avail.get("urgent")),
                                               "duty_officer_phone": avail.get("duty_officer_phone") or "",
                                               "reopen_text": avail.get("reopen_text") or ""})
        return [SlotSet("callback_offered", True), SlotSet("callback_reason", reason),
                SlotSet("pending_choices", None)]
    transcript = build(tracker)
    # Include what the bot is saying in this very turn, so the record is whole.
    transcript += [{"sender": "bot", "text": m.get("text") or "", "channel": ""}
                   for m in dispatcher.messages if m.get("text")]
    user_events = [e for e in tracker.events if e.get("event") == "user"]
    last_user_ts = user_events[-1].get("timestamp") if user_events else None
    # One ticket per user message: a retried request must not make a second one.
    ticket = await api_client.create_ticket(ticket_body.chat_ticket(
        tracker.sender_id, channel_of(tracker), reason, transcript, last_user_ts, category, department, entry_id,
    ))
    dispatcher.utter_message(text=messages.handoff_text(reason, ticket),
                             json_message={"minwon": "handoff", "reason": reason, "ticket_id": ticket.get("id"),
                                           "position": ticket.get("position")})
    events: List[EventType] = [SlotSet("handoff_ticket", ticket.get("id")), SlotSet("pending_choices", None)]
    if ticket.get("id"):
        # Until a counsellor closes the ticket or hands it back, Rasa only records; our
        # channels bring the citizen's messages to the console.
        events.append(ConversationPaused())
    return events


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        # A citizen who has been warned for abuse still gets a person, but flagged so a
        # designated counsellor or supervisor takes it, not the normal queue (actions/abuse.py).
        warned = float(tracker.get_slot("abuse_count") or 0) > 0
        return await hand_off(dispatcher, tracker, "abusive" if warned else "requested_human")
