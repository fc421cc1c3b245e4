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
from minwon.dialogue import cues

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


def _top_category(result: Dict[str, Any]) -> str:
    if result.get("entry"):
        return str(result["entry"].get("category") or "")
    candidates = result.get("candidates") or []
    return str(candidates[0].get("category") or "") if candidates else ""


def _top_score(result: Dict[str, Any]) -> float:
    candidates = result.get("candidates") or []
    return float(candidates[0].get("score") or 0.0) if candidates else 0.0


async def understand(text: str, tracker: Tracker, log: bool = True) -> Dict[str, Any]:
    """The retrieval decision for this turn, read in the conversation's context.

    A correction ("아 여권 말고 주민등록증이요") is asked without the old topic. An elliptical
    follow-up ("며칠 걸려요?", "스티로폼은요?") is asked twice: alone, and rewritten with the
    previous answer's sub-topic in front ("여권 며칠 걸려요?"). The rewrite wins when it reaches
    an answer or a clarification and the message alone did not answer within the previous
    topic's category; so a follow-up that names a new topic ("주차 과태료는요?") keeps it.
    Query rewriting rather than scoring with context, because it needs nothing from the
    retriever and is measured by `make eval-dialogue` (docs/benchmarks.md).
    """
    conversation, channel = tracker.sender_id, channel_of(tracker)
    corrected = cues.correction(text)
    if corrected:
        return await api_client.ask(corrected, conversation, channel, log=log)
    prev_id = tracker.get_slot("last_entry_id")
    if not prev_id or not cues.is_elliptical(text):
        return await api_client.ask(text, conversation, channel, log=log)
    prev = await api_client.get_entry(str(prev_id)) or {}
    topic = prev.get("subcategory") or prev.get("category") or ""
    if len(topic) <= 2 and prev.get("category") and prev["category"] != topic:
        topic = f"{prev['category']} {topic}"  # "신고" alone points anywhere
    sub = prev.get("subcategory") or ""
    if not topic or topic in text or (sub and sub in text):
        # The message names the topic itself ("여권" after a passport answer): a question of
        # its own, clarified as any other, not a follow-up to rewrite.
        return await api_client.ask(text, conversation, channel, log=log)
    plain = await api_client.ask(text, conversation, channel, log=False)
    query = f"{topic} {text}"
    rewritten = await api_client.ask(query, conversation, channel, log=False)
    if rewritten["decision"] == "reject" and prev.get("question"):
        # A sub-topic like "요금 조회" may say too little ("자동이체는요?" after 수도요금 조회):
        # the previous question itself carries the topic's words.
        query = f"{prev['question']} {text}"
        rewritten = await api_client.ask(query, conversation, channel, log=False)
    rewritten["query"] = query
    same_topic = plain["decision"] == "answer" and _top_category(plain) == prev.get("category")
    use_rewrite = rewritten["decision"] in ("answer", "clarify") and not same_topic
    if use_rewrite and plain["decision"] != "reject" and _top_category(plain) != prev.get("category"):
        # The message alone found another topic ("여권" after a bin answer): the rewrite must
        # beat it clearly, as "자동차세 미리 내면 할인돼요?" beats 과태료 감경 for "미리 내면 할인돼요?".
        use_rewrite = _top_score(rewritten) > _top_score(plain) + 0.02
    # One row in the query log per turn, for what was finally asked (the inbox reads it).
    return await api_client.ask(rewritten["query"] if use_rewrite else text, conversation, channel, log=log)


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
            result = await understand(text, tracker)
        except api_client.ApiUnavailable:
            dispatcher.utter_message(text=messages.api_down_text())
            return []
        return await respond(dispatcher, tracker, text, result)


async def respond(dispatcher: CollectingDispatcher, tracker: Tracker, text: str,
                  result: Dict[str, Any]) -> List[EventType]:
    trace = SlotSet("retrieval_trace", {"text": text[:500], "decision": result["decision"],
                                        "candidates": result.get("candidates", [])})
    decision = result["decision"]
    if decision == "answer":
        return [trace, *await answer_entry(dispatcher, tracker, result["entry"])]
    if decision == "clarify":
        choices = result.get("choices", [])
        dispatcher.utter_message(
            text=messages.clarify_text(len(choices), str(result.get("category") or "")),
            buttons=messages.choice_buttons(choices)
        )
        return [trace, SlotSet("pending_choices", [c["id"] for c in choices])]
    misses = float(tracker.get_slot("misses") or 0) + 1
    if misses >= MAX_MISSES:
        return [trace, SlotSet("misses", 0.0),
                *await hand_off(dispatcher, tracker, "no_match")]
    dispatcher.utter_message(response=messages.REPHRASE)
    return [trace, SlotSet("misses", misses), SlotSet("pending_choices", None)]


_GREETING_WORDS = ("안녕", "반갑", "여보세요", "수고", "하이", "헬로", "계세요", "실례")
# Below this the small-talk intent is a guess: "재활용품 내놓는 요일이 언제예요" was a bot
# challenge at 0.66, "자동이체는요?" one at 0.49, "급하게 필요하면요?" a "no" at 0.55.
SMALLTALK_SURE = 0.8


async def question_after_all(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType] | None:
    """Events answering the latest message from the DB if it was a question the intent
    classifier took for small talk, else None (the small-talk reply follows).

    Tried when the message has no greeting word and either reads as a follow-up of the
    previous answer, or the intent was a guess; the retriever's thresholds, calibrated so
    chit-chat is almost never answered, then decide. Only a clear answer counts on a first
    turn; a follow-up may also be clarified.
    """
    text = (tracker.latest_message.get("text") or "").strip()
    confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)
    if not _has_text(text) or text.startswith("/") or any(w in text for w in _GREETING_WORDS):
        return None
    follow_up = bool(tracker.get_slot("last_entry_id")) and cues.is_elliptical(text)
    if not follow_up and confidence >= SMALLTALK_SURE:
        return None
    try:
        # Not logged unless it turns out to be a question: chit-chat must not fill the
        # knowledge managers' unanswered inbox.
        result = await understand(text, tracker, log=False)
        accepted = ("answer", "clarify") if follow_up else ("answer",)
        if result["decision"] not in accepted:
            return None
        await api_client.ask(result.get("query") or text, tracker.sender_id, channel_of(tracker))
    except api_client.ApiUnavailable:
        return None
    return await respond(dispatcher, tracker, text, result)


def _last_response(tracker: Tracker) -> str | None:
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


class _SmalltalkOrFollowUp:
    """Greeting and off-topic turns, unless they are a follow-up the classifier misread.

    After a recycling answer "스티로폼은요?" was classified as a greeting and got the welcome
    text. With a previous answer, a message with no greeting word that reads as a follow-up is
    tried in context first; only when that finds nothing does the small-talk reply follow.
    """

    action = ""
    response = ""

    def name(self) -> str:
        return self.action

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        events = await question_after_all(dispatcher, tracker)
        if events is not None:
            return events
        # Never the same refusal twice in a row: the second one is worded differently.
        again = f"{self.response}_again"
        repeated = _last_response(tracker) == self.response and again in (domain.get("responses") or {})
        dispatcher.utter_message(response=again if repeated else self.response)
        return []


class ActionGreet(_SmalltalkOrFollowUp, Action):
    action, response = "action_greet", "utter_greet"


class ActionOutOfScope(_SmalltalkOrFollowUp, Action):
    action, response = "action_out_of_scope", "utter_out_of_scope"


class ActionBotChallenge(_SmalltalkOrFollowUp, Action):
    action, response = "action_bot_challenge", "utter_bot_challenge"


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
        text = (tracker.latest_message.get("text") or "").strip()
        if tracker.get_slot("callback_offered"):
            # "네" to the out-of-hours callback offer; only words that say yes (or the button).
            if text.startswith("/") or cues.explicit_yes(text):
                return [SlotSet("callback_offered", False), FollowupAction("callback_form")]
            dispatcher.utter_message(text=messages.CALLBACK_OFFER_AGAIN, buttons=messages.CALLBACK_BUTTONS)
            return []
        pending = tracker.get_slot("pending_choices") or []
        if len(pending) == 1:
            try:
                entry = await api_client.get_entry(pending[0])
            except api_client.ApiUnavailable:
                dispatcher.utter_message(text=messages.api_down_text())
                return []
            if entry:
                return await answer_entry(dispatcher, tracker, entry)
        events = await question_after_all(dispatcher, tracker)
        if events is not None:
            return events
        dispatcher.utter_message(response=messages.NOTHING_PENDING_YES)
        return []


class ActionDeny(Action):
    def name(self) -> str:
        return "action_deny"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[EventType]:
        text = (tracker.latest_message.get("text") or "").strip()
        if tracker.get_slot("callback_offered"):
            dispatcher.utter_message(text=messages.CALLBACK_DECLINED)
            return [SlotSet("callback_offered", False)]
        if tracker.get_slot("pending_choices") and (text.startswith("/") or cues.explicit_no(text)):
            return [SlotSet("pending_choices", None), *await hand_off(dispatcher, tracker, "no_match")]
        events = await question_after_all(dispatcher, tracker)
        if events is not None:
            return events
        dispatcher.utter_message(response=messages.NOTHING_PENDING_NO)
        return []
