"""What each bot message is, for machines: `custom.minwon` on every message of the REST channel.

Channels render from it (the Kakao renderer, the widget, the voice gateway) and the
evaluation scores by it, instead of matching Korean wording that knowledge managers edit.
A message whose own custom part already names its kind (an answer with its entry, a handoff,
an abuse warning with its level) keeps it; every other message is followed by a custom part
``{"minwon": kind}``, the same shape the answer has always used, so older readers skip it.
The kinds are listed in docs/architecture.md.
"""

from __future__ import annotations

from typing import Any

ANSWER = "answer"                  # + entry_id, department, phone, spoken
CLARIFY = "clarify"                # buttons /choose_entry{...} and /none_of_these
INVITE = "invite"                  # an opener or an empty message: "말씀해 주세요"
REJECT = "reject"                  # nothing in the DB fits; asked to rephrase
HANDOFF = "handoff"                # handed to the counsellors' queue
CALLBACK_OFFER = "callback_offer"  # out of hours: offer of a call back
FORM_PROMPT = "form_prompt"        # the callback form asks or re-asks for a slot
FORM_DONE = "form_done"            # the callback was booked or the form stopped
SMALLTALK = "smalltalk"            # greeting, thanks, goodbye, "잠깐만요", bot challenge
ABUSE_WARNING = "abuse_warning"    # + level 1 or 2
CONVERSATION_ENDED = "conversation_ended"
HELP = "distress_help"             # distress: crisis and welfare lines
ERROR = "error"                    # a part of the system is down; retry or call
INFO = "info"                      # anything else the bot says

KINDS = (ANSWER, CLARIFY, INVITE, REJECT, HANDOFF, CALLBACK_OFFER, FORM_PROMPT, FORM_DONE, SMALLTALK,
         ABUSE_WARNING, CONVERSATION_ENDED, HELP, ERROR, INFO)

RESPONSE_KINDS = {
    "utter_greet": SMALLTALK, "utter_goodbye": SMALLTALK, "utter_thank": SMALLTALK,
    "utter_affirm_ack": SMALLTALK, "utter_deny_ack": SMALLTALK, "utter_bot_challenge": SMALLTALK,
    "utter_filler": SMALLTALK, "utter_invite": INVITE, "utter_empty_message": INVITE,
    "utter_out_of_scope": REJECT, "utter_out_of_scope_again": REJECT, "utter_ask_rephrase": REJECT,
    "utter_unknown_entry": REJECT,
    "utter_ask_callback_phone": FORM_PROMPT, "utter_ask_callback_consent": FORM_PROMPT,
    "utter_ask_callback_time": FORM_PROMPT,
    "utter_abuse_warning": ABUSE_WARNING, "utter_abuse_warning_1": ABUSE_WARNING,
    "utter_abuse_warning_2": ABUSE_WARNING, "utter_abuse_ended": CONVERSATION_ENDED,
    "utter_abuse_ended_sexual": CONVERSATION_ENDED, "utter_conversation_closed": CONVERSATION_ENDED,
    "utter_distress_help": HELP,
}
_LEVELS = {"utter_abuse_warning_1": 1, "utter_abuse_warning_2": 2}


def marker(message: dict[str, Any]) -> dict[str, Any] | None:
    """The custom part to send after ``message`` (a Rasa bot message before it is split into
    channel messages), or None when the message already names its kind."""
    custom = message.get("custom")
    if isinstance(custom, dict) and custom.get("minwon"):
        return None
    name = message.get("utter_action") or ""
    kind = RESPONSE_KINDS.get(name)
    if kind is None:
        payloads = [str(b.get("payload", "")) for b in message.get("buttons") or [] if isinstance(b, dict)]
        if any(p.startswith("/choose_entry") for p in payloads):
            kind = CLARIFY
        elif any(p.startswith("/request_callback") for p in payloads):
            kind = CALLBACK_OFFER
        elif isinstance(custom, dict) and "handoff" in custom:
            kind = HANDOFF
        else:
            kind = INFO
    out: dict[str, Any] = {"minwon": kind}
    if name in _LEVELS:
        out["level"] = _LEVELS[name]
    return out
