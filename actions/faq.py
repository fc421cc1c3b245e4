"""Answering from the counseling DB: answer, clarify with buttons, or ask to rephrase;
handing over when nothing matches after a clarification or the entry needs a person."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client, messages
from actions.handoff import hand_off
from actions.transcript import channel_of

# Two rejected questions in a row mean the bot cannot help: hand over.
MAX_MISSES = 2


def _has_text(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


async def answer_entry(
    dispatcher: CollectingDispatcher, tracker: Tracker, entry: Dict[str, Any]
) -> List[EventType]:
    # The custom part lets rich channels (KakaoTalk cards, the web widget) show the answer
    # with its department and a call button; plain channels read the text.
    dispatcher.utter_message(text=messages.answer_text(entry), json_message=messages.answer_meta(entry))
    events: List[EventType] = [
        SlotSet("last_entry_id", entry["id"]),
        SlotSet("pending_choices", None),
        SlotSet("misses", 0.0),
    ]
    if entry.get("needs_human"):
        events += await hand_off(
            dispatcher, tracker, "needs_human",
            category=entry.get("category", ""), department=entry.get("department", ""),
            entry_id=entry["id"],
        )
    return events


class ActionAnswerQuestion(Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        text = (tracker.latest_message.get("text") or "").strip()
        if not _has_text(text):
            dispatcher.utter_message(response=messages.EMPTY_MESSAGE)
            return []
        try:
            result = await api_client.ask(text, tracker.sender_id, channel_of(tracker))
        except api_client.ApiUnavailable:
            dispatcher.utter_message(text=messages.api_down_text())
            return []
        trace = SlotSet("retrieval_trace", {"text": text[:500], "decision": result["decision"],
                                            "candidates": result.get("candidates", [])})
        decision = result["decision"]
        if decision == "answer":
            return [trace, *await answer_entry(dispatcher, tracker, result["entry"])]
        if decision == "clarify":
            choices = result.get("choices", [])
            dispatcher.utter_message(
                text=messages.clarify_text(len(choices)), buttons=messages.choice_buttons(choices)
            )
            return [trace, SlotSet("pending_choices", [c["id"] for c in choices])]
        misses = float(tracker.get_slot("misses") or 0) + 1
        if misses >= MAX_MISSES:
            return [trace, SlotSet("misses", 0.0),
                    *await hand_off(dispatcher, tracker, "no_match")]
        dispatcher.utter_message(response=messages.REPHRASE)
        return [trace, SlotSet("misses", misses), SlotSet("pending_choices", None)]


class ActionChooseEntry(Action):
    def name(self) -> str:
        return "action_choose_entry"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        entry_id = next(tracker.get_latest_entity_values("entry_id"), None)
        if not entry_id:
            dispatcher.utter_message(response=messages.UNKNOWN_ENTRY)
            return []
        try:
            entry = await api_client.get_entry(str(entry_id))
        except api_client.ApiUnavailable:
            dispatcher.utter_message(text=messages.api_down_text())
            return []
        if not entry:
            dispatcher.utter_message(response=messages.UNKNOWN_ENTRY)
            return [SlotSet("pending_choices", None)]
        return await answer_entry(dispatcher, tracker, entry)


class ActionNoneOfThese(Action):
    def name(self) -> str:
        return "action_none_of_these"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        return [SlotSet("pending_choices", None), *await hand_off(dispatcher, tracker, "no_match")]


class ActionAffirm(Action):
    def name(self) -> str:
        return "action_affirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if tracker.get_slot("callback_offered"):
            # "네" to the out-of-hours callback offer.
            return [SlotSet("callback_offered", False), FollowupAction("callback_form")]
        pending = tracker.get_slot("pending_choices") or []
        if len(pending) == 1:
            try:
                entry = await api_client.get_entry(pending[0])
            except api_client.ApiUnavailable:
                dispatcher.utter_message(text=messages.api_down_text())
                return []
            if entry:
                return await answer_entry(dispatcher, tracker, entry)
        dispatcher.utter_message(response=messages.NOTHING_PENDING_YES)
        return []


class ActionDeny(Action):
    def name(self) -> str:
        return "action_deny"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        if tracker.get_slot("callback_offered"):
            dispatcher.utter_message(text=messages.CALLBACK_DECLINED)
            return [SlotSet("callback_offered", False)]
        if tracker.get_slot("pending_choices"):
            return [SlotSet("pending_choices", None), *await hand_off(dispatcher, tracker, "no_match")]
        dispatcher.utter_message(response=messages.NOTHING_PENDING_NO)
        return []
