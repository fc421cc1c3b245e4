"""Out-of-hours callback requests: phone number (with explicit consent) and a preferred
time, collected by a form; the ticket goes to the counsellors' callback list."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import api_client, messages
from actions.faq import respond
from actions.handoff import hand_off
from actions.transcript import build, channel_of
from minwon import sealing
from minwon.dialogue import cues
from minwon.privacy import mask_personal_data

_PHONE = re.compile(r"(?<!\d)(0\d{1,2})[\s.-]?(\d{3,4})[\s.-]?(\d{4})(?!\d)")
CANCEL_WORDS = ("취소", "그만", "안 할래", "안할래", "됐어요", "필요 없")
SLOTS = ("callback_phone", "callback_phone_sealed", "callback_consent", "callback_time")


def original_text(tracker: Tracker) -> str:
    """The citizen's words as typed: the channel masks them for Rasa and seals the original."""
    latest = tracker.latest_message or {}
    sealed = (latest.get("metadata") or {}).get("sealed")
    return sealing.unseal(sealed) or latest.get("text") or ""


def find_phone(text: str) -> str | None:
    m = _PHONE.search(text)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def _cancelled(text: str) -> bool:
    return any(w in text for w in CANCEL_WORDS)


def _stop_slots() -> Dict[str, Any]:
    return {"requested_slot": None, "callback_phone": None, "callback_phone_sealed": None,
            "callback_consent": None, "callback_time": None}


def _stop(dispatcher: CollectingDispatcher, text: str) -> Dict[str, Any]:
    dispatcher.utter_message(text=text)
    return _stop_slots()


async def _answered_instead(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> Dict[str, Any] | None:
    """A question asked in the middle of the form leaves the form and is answered.

    "기초생활수급자 신청 어떻게 해요" typed where the form asked for a phone number used to be
    refused as a bad number, and only '취소' got out. Now a message with no slot value that
    the counseling DB answers (or offers choices for) is answered, the form is closed, and
    the citizen is told how to come back to it.
    """
    if len([ch for ch in text if ch.isalnum()]) < 4 or cues.is_filler(text):
        return None
    try:
        result = await api_client.ask(text, tracker.sender_id, channel_of(tracker))
    except api_client.ApiUnavailable:
        return None
    if result.get("decision") not in ("answer", "clarify"):
        return None
    events = await respond(dispatcher, tracker, text, result)
    dispatcher.utter_message(text=messages.CALLBACK_PAUSED)
    slots = _stop_slots()
    for e in events:
        if e.get("event") == "slot" and e.get("name") in ("last_entry_id", "pending_choices", "retrieval_trace"):
            slots[e["name"]] = e.get("value")
    return slots


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_callback_form"

    async def required_slots(self, domain_slots: List[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[str]:
        # A caller's number is already on the line and a keypad beats spelling digits to
        # Whisper: on the phone the form asks nothing and the voice gateway runs the
        # callback (caller ID read back, consent by key) once action_create_callback says so.
        return [] if channel_of(tracker) == "voice" else domain_slots

    async def validate_callback_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[str, Any]:
        text = original_text(tracker)
        if _cancelled(text):
            return _stop(dispatcher, messages.CALLBACK_CANCELLED)
        phone = find_phone(text)
        sealed = sealing.seal(phone) if phone else None
        if not phone or not sealed:
            answered = await _answered_instead(dispatcher, tracker, (tracker.latest_message.get("text") or ""))
            if answered is not None:
                return answered
            dispatcher.utter_message(text=messages.CALLBACK_BAD_PHONE)
            return {"callback_phone": None}
        # The tracker keeps only the masked number; the number itself travels sealed.
        return {"callback_phone": mask_personal_data(phone), "callback_phone_sealed": sealed}

    async def validate_callback_consent(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                        domain: DomainDict) -> Dict[str, Any]:
        # Only words that say yes consent: "ㅋㅋㅋ", an emoji or "ㅇㅇ" used to be taken as yes
        # because the intent classifier called them affirm.
        text = str(value or "").strip()
        if _cancelled(text):
            return _stop(dispatcher, messages.CALLBACK_CANCELLED)
        if cues.explicit_no(text):
            return _stop(dispatcher, messages.CALLBACK_NO_CONSENT)
        if cues.explicit_yes(text):
            return {"callback_consent": "yes"}
        answered = await _answered_instead(dispatcher, tracker, text)
        if answered is not None:
            return answered
        dispatcher.utter_message(text=messages.CALLBACK_ASK_CONSENT_AGAIN)
        return {"callback_consent": None}

    async def validate_callback_time(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> Dict[str, Any]:
        text = str(value or "").strip()
        if _cancelled(text):
            return _stop(dispatcher, messages.CALLBACK_CANCELLED)
        if not any(ch.isalnum() for ch in text) or cues.is_filler(text):
            dispatcher.utter_message(text=messages.CALLBACK_ASK_TIME_AGAIN)
            return {"callback_time": None}
        if not _looks_like_time(text):
            answered = await _answered_instead(dispatcher, tracker, text)
            if answered is not None:
                return answered
        return {"callback_time": mask_personal_data(text[:80])}


_TIME_WORDS = re.compile(r"\d|시|오전|오후|아침|점심|저녁|낮|밤|언제|아무|상관|괜찮|편한|월|화|수|목|금|내일|모레|"
                         r"다음|주중|평일|주말|퇴근|출근|지금|바로|빨리|가능한")


def _looks_like_time(text: str) -> bool:
    return bool(_TIME_WORDS.search(text)) and len(text) <= 40


class ActionCreateCallback(Action):
    def name(self) -> str:
        return "action_create_callback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[EventType]:
        phone, sealed = tracker.get_slot("callback_phone"), tracker.get_slot("callback_phone_sealed")
        consent, when = tracker.get_slot("callback_consent"), tracker.get_slot("callback_time")
        clear = [SlotSet(s, None) for s in SLOTS] + [SlotSet("callback_offered", False)]
        if channel_of(tracker) == "voice":
            return [*clear, *await hand_off(dispatcher, tracker, "callback")]
        if not (phone and sealed and consent == "yes" and when):
            return clear  # the form was stopped; the reason has been said
        user_events = [e for e in tracker.events if e.get("event") == "user"]
        ticket = await api_client.create_ticket({
            "conversation_id": tracker.sender_id, "channel": channel_of(tracker),
            "reason": tracker.get_slot("callback_reason") or "callback", "kind": "callback",
            "transcript": build(tracker), "callback_phone_sealed": sealed, "callback_consent": True,
            "preferred_time": when,
            "dedup_key": f"{tracker.sender_id}:{user_events[-1].get('timestamp') if user_events else ''}:callback",
        })
        dispatcher.utter_message(text=messages.callback_done_text(phone, when, ticket))
        return [*clear, SlotSet("handoff_ticket", ticket.get("id"))]
