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
from actions.handoff import hand_off
from actions.transcript import build, channel_of
from minwon import sealing
from minwon.privacy import mask_personal_data

_PHONE = re.compile(r"(?<!\d)(0\d{1,2})[\s.-]?(\d{3,4})[\s.-]?(\d{4})(?!\d)")
CANCEL_WORDS = ("취소", "그만", "안 할래", "안할래", "됐어요", "필요 없")
YES_WORDS = ("동의", "네", "예", "좋아", "그래", "응")
NO_WORDS = ("아니", "싫", "거부", "안 해", "비동의", "동의하지 않", "동의 안")
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


def _stop(dispatcher: CollectingDispatcher, text: str) -> Dict[str, Any]:
    dispatcher.utter_message(text=text)
    return {"requested_slot": None, "callback_phone": None, "callback_phone_sealed": None,
            "callback_consent": None, "callback_time": None}


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_callback_form"

    async def required_slots(self, domain_slots: List[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[str]:
        # A caller's number is already on the line and a keypad beats spelling digits to
        # Whisper: on the phone the form asks nothing and the voice gateway runs the
        # callback (caller ID read back, consent by key) once action_create_callback says so.
        return [] if channel_of(tracker) == "voice" else domain_slots

    def validate_callback_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[str, Any]:
        text = original_text(tracker)
        if _cancelled(text):
            return _stop(dispatcher, messages.CALLBACK_CANCELLED)
        phone = find_phone(text)
        sealed = sealing.seal(phone) if phone else None
        if not phone or not sealed:
            dispatcher.utter_message(text=messages.CALLBACK_BAD_PHONE)
            return {"callback_phone": None}
        # The tracker keeps only the masked number; the number itself travels sealed.
        return {"callback_phone": mask_personal_data(phone), "callback_phone_sealed": sealed}

    def validate_callback_consent(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[str, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(value or "")
        if _cancelled(text):
            return _stop(dispatcher, messages.CALLBACK_CANCELLED)
        if intent == "deny" or any(w in text for w in NO_WORDS):
            return _stop(dispatcher, messages.CALLBACK_NO_CONSENT)
        if intent == "affirm" or any(w in text for w in YES_WORDS):
            return {"callback_consent": "yes"}
        dispatcher.utter_message(text="동의하시면 '동의합니다', 아니면 '동의하지 않습니다'를 눌러 주세요.")
        return {"callback_consent": None}

    def validate_callback_time(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[str, Any]:
        text = str(value or "").strip()
        if _cancelled(text):
            return _stop(dispatcher, messages.CALLBACK_CANCELLED)
        if not any(ch.isalnum() for ch in text):
            return {"callback_time": None}
        return {"callback_time": mask_personal_data(text[:80])}


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
