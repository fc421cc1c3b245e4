"""Conversations as citizens hold them, through the real REST channel (Rasa, actions, API):
a subset of `make eval-dialogue`'s set, one conversation of each kind and the issue's cases.

What is tried: elliptical follow-ups ("스티로폼은요?", "며칠 걸려요?") against the previous
answer; corrections ("아 여권 말고 주민등록증이요"); topic-less openers that must be invited
and not start the callback form; laughter and "잠깐만요" that are neither questions nor
consent; a question typed where the callback form asks for a number or for consent; and bad
input (empty, emoji-only, 10,000 characters, Jamo-only, an old button payload replayed).
"""

from __future__ import annotations

import pytest

from minwon.dialogue import cues, kinds
from training.eval_dialogue import DEFAULT_FILE, load, play

pytestmark = pytest.mark.slow

ISSUE_CASES = {"follow-00", "follow-01", "follow-02", "follow-03", "follow-04", "switch-00", "opener-00",
               "opener-01", "opener-02", "opener-03", "filler-00", "form-phone-00", "form-consent-00",
               "consent-laugh", "opener-not-form", "bad-empty", "bad-emoji-only", "bad-long-10000",
               "bad-jamo-yes", "bad-old-button", "bad-unknown-button"}


def test_the_issues_conversations_go_right_end_to_end(stack):
    conversations = [c for c in load(DEFAULT_FILE) if c["name"] in ISSUE_CASES]
    assert len(conversations) == len(ISSUE_CASES)
    result = play(stack.rasa_url, conversations)
    assert result["conversations_right"] == len(conversations), result["failures"]


def test_every_bot_message_names_its_kind(stack):
    for message in ("안녕하세요", "문의 좀 드릴게요", "여권 재발급 준비물", "여권", "오늘 야구 누가 이겼어", "ㅋㅋㅋ"):
        replies = stack.say(f"kinds-{len(message)}-{message[:2]}", message)
        named = [r["custom"]["minwon"] for r in replies
                 if isinstance(r.get("custom"), dict) and r["custom"].get("minwon")]
        texts = [r for r in replies if r.get("text")]
        assert named and texts, replies
        assert all((k if isinstance(k, str) else k.get("kind")) in kinds.KINDS for k in named), replies
    invite = stack.say("kinds-invite", "물어볼 게 있어서 연락드렸어요")
    assert {"minwon": "invite"} in [r.get("custom") for r in invite], invite


@pytest.mark.parametrize("text", ["물어볼 게 있어서 연락드렸어요", "문의 좀 드릴게요",
                                  "네 수고하십니다 질문 하나만 할게요", "안녕하세요 혹시 상담 가능한가요?",
                                  "질문하나만할게요"])
def test_openers_have_no_topic(text):
    assert cues.is_opener(text)


@pytest.mark.parametrize("text", ["요금 문의", "여권 재발급 문의드립니다", "상담원 연결해 주세요", "전화 주세요",
                                  "기초생활수급자 신청 어떻게 해요", "주차 문의요"])
def test_questions_and_requests_are_not_openers(text):
    assert not cues.is_opener(text)


@pytest.mark.parametrize(("text", "yes"), [("네", True), ("동의합니다", True), ("네 동의합니다", True),
                                           ("ㅋㅋㅋ", False), ("ㅇㅇ", False), ("👍", False), ("아니요", False),
                                           ("네 아니요", False)])
def test_only_words_that_say_yes_are_consent(text, yes):
    assert cues.explicit_yes(text) is yes


def test_corrections_keep_only_the_new_topic():
    assert cues.correction("아 여권 말고 주민등록증이요") == "주민등록증이요"
    assert cues.correction("아니 그거 말고 주차 과태료요") == "주차 과태료요"
    assert cues.correction("여권 재발급") is None and cues.correction("말고") is None


def test_the_same_refusal_is_never_said_twice_in_a_row(stack):
    """Two off-topic messages in a row: the second refusal is worded differently."""
    me = "refusal-twice"
    first = stack.texts(stack.say(me, "오늘 야구 누가 이겼어"))
    second = stack.texts(stack.say(me, "주말에 영화 뭐 볼까요"))
    assert first and second and first.strip() != second.strip(), (first, second)
