"""Counsellor protection in the dialogue: warnings, the end of an abusive conversation, help
for a citizen in distress.

The API decides (minwon/abuse/policy.py: strikes per conversation and per citizen in our DB);
this action says it. Strike 1 and 2 are warnings (the first carries the no-abuse notice of
산업안전보건법 제41조), the third or any sexual harassment ends the conversation with the
closing legal notice and sets `conversation_ended`, after which bot/policies/ended.py gives
only a short closing reply. No ticket is ever made here: an ended conversation must not land
in the normal queue."""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.config import API_TIMEOUT_S, API_URL, SERVICE_TOKEN, VOICE_ABUSE_MIN_CONFIDENCE
from actions.transcript import build, channel_of
from minwon.clients.api import ApiUnavailable, MinwonApi

log = logging.getLogger(__name__)
_api = MinwonApi(API_URL, SERVICE_TOKEN, timeout_s=API_TIMEOUT_S)

# On the phone the detector reads Whisper's words: a polite question misheard as abuse scores
# lower than a caller who swears; below this abusive probability the caller is asked to say it
# again instead of being warned (the voicebot's mishearing guard, kept for the new detector).
VOICE_MIN_CONFIDENCE = float(os.environ.get("MINWON_VOICE_ABUSE_DETECTOR_MIN", "0.9"))

WARNINGS = {1: "utter_abuse_warning_1", 2: "utter_abuse_warning_2"}


def citizen_key(tracker: Tracker) -> str:
    """Kakao user key, caller's number or widget session: the channel puts it in the metadata
    when it knows it; otherwise the sender id is the citizen."""
    meta = tracker.latest_message.get("metadata") or {}
    return str(meta.get("citizen_key") or meta.get("caller") or tracker.sender_id)[:128]


def marker(kind: str, **extra: Any) -> Dict[str, Any]:
    # The same shape as every bot message's kind (minwon/dialogue/kinds.py).
    return {"minwon": kind, **extra}


class ActionHandleAbuse(Action):
    def name(self) -> str:
        return "action_handle_abuse"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        intent = tracker.latest_message.get("intent") or {}
        text = tracker.latest_message.get("text") or ""
        channel = channel_of(tracker)
        from_detector = bool(intent.get("abuse_class"))
        confidence = float(intent.get("confidence") or 0.0)
        # The detector's probability has its own floor; Rasa's own abuse intent keeps the
        # measured one (actions/config.py, training/bench_voice_abuse.py).
        floor = VOICE_MIN_CONFIDENCE if from_detector else VOICE_ABUSE_MIN_CONFIDENCE
        if channel == "voice" and confidence < floor:
            dispatcher.utter_message(response=messages.REPHRASE)
            return []
        try:
            result = await _api.call("POST", "/api/abuse/strikes", attempts=2, json={
                "conversation_id": tracker.sender_id, "citizen_key": citizen_key(tracker), "channel": channel,
                "text": text, "transcript": build(tracker),
                "nlu_abuse_confidence": 0.0 if from_detector else confidence})
        except ApiUnavailable as exc:
            # No record possible: still ask for respect, never end without a record.
            log.error("abuse strikes API unavailable: %s", exc)
            dispatcher.utter_message(response=WARNINGS[1], json_message=marker("abuse_warning", level=1))
            return []
        decision = result.get("decision")
        if not decision:
            # Rasa's own classifier said abuse, the detector does not: angry is not abusive.
            return [FollowupAction("action_answer_question")]
        strikes = float(decision.get("conversation_strikes") or 0)
        if decision.get("action") == "end":
            sexual = (result.get("verdict") or {}).get("label") == "sexual"
            dispatcher.utter_message(response="utter_abuse_ended_sexual" if sexual else "utter_abuse_ended",
                                     json_message=marker("conversation_ended", reason="sexual" if sexual else "abuse",
                                                         incident_id=decision.get("incident_id")))
            return [SlotSet("abuse_count", strikes), SlotSet("conversation_ended", True)]
        level = min(2, int(decision.get("level") or 1))
        dispatcher.utter_message(response=WARNINGS[level], json_message=marker("abuse_warning", level=level))
        return [SlotSet("abuse_count", strikes)]


class ActionConversationClosed(Action):
    def name(self) -> str:
        return "action_conversation_closed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        dispatcher.utter_message(response="utter_conversation_closed", json_message=marker("conversation_ended"))
        return []


class ActionDistressHelp(Action):
    def name(self) -> str:
        return "action_distress_help"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        dispatcher.utter_message(response="utter_distress_help", json_message=marker("distress_help"))
        return []
