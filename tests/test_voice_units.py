"""The voicebot's small decisions, without audio: how Rasa's replies become what a caller
hears and can press, how caller IDs become callback numbers, spoken choices and yes/no."""

from __future__ import annotations

import pytest

from voice_gateway import prompts
from voice_gateway.call import caller_digits, format_phone
from voice_gateway.dialogue import render


def test_an_answer_is_spoken_in_its_ear_version():
    turn = render([{"text": "운영 시간은 09:00~18:00입니다."},
                   {"custom": {"minwon": "answer", "entry_id": "CV-001", "spoken": "아홉 시부터 여섯 시까지입니다."}}])
    assert turn.speech == "아홉 시부터 여섯 시까지입니다." and turn.text == "운영 시간은 09:00~18:00입니다."
    assert turn.entry_id == "CV-001" and not turn.options and not turn.callback_offer


def test_a_clarification_becomes_a_keypad_menu():
    turn = render([{"text": "비슷한 안내가 여러 개 있습니다. 찾으시는 내용을 골라 주세요.", "buttons": [
        {"title": "아이스팩 버리는 방법", "payload": '/choose_entry{"entry_id":"WS-018"}'},
        {"title": "스티로폼 버리는 방법", "payload": '/choose_entry{"entry_id":"WS-012"}'},
        {"title": "찾는 내용이 없어요", "payload": "/none_of_these"}]}])
    assert set(turn.options) == {"1", "2", "*"} and "WS-018" in turn.options["1"][1]
    assert "1번, 아이스팩 버리는 방법." in turn.speech and "별표" in turn.speech
    assert "골라 주세요" not in turn.speech  # a caller presses or says a number instead


def test_a_callback_offer_is_left_to_the_call_to_word():
    offer = [{"title": "전화 예약", "payload": "/request_callback"}]
    turn = render([{"text": "지금은 근무 시간이 아닙니다.", "buttons": offer},
                   {"custom": {"minwon": "callback_offer", "reason": "requested_human", "urgent": False}}])
    assert turn.callback_offer and turn.speech == "" and turn.callback_info["reason"] == "requested_human"


@pytest.mark.parametrize(("caller", "digits"), [
    ("sip:01012345678@pbx.local", "01012345678"), ("+82 10-1234-5678", "01012345678"),
    ("0212345678", "0212345678"), ("anonymous", None), ("sip:1001@pbx", None), (None, None), ("", None)])
def test_caller_ids_that_can_be_called_back(caller, digits):
    assert caller_digits(caller) == digits


def test_numbers_are_read_back_grouped():
    assert format_phone("01012345678") == "010-1234-5678"
    assert format_phone("0212345678") == "02-1234-5678"
    assert format_phone("021234567") == "02-123-4567"


@pytest.mark.parametrize(("said", "digit"), [("2번이요", "2"), ("두 번째요", "2"), ("첫번째", "1"), ("셋", "3"),
                                              ("삼 번", "3"), ("글쎄요", None)])
def test_spoken_menu_choices(said, digit):
    assert prompts.spoken_choice(said) == digit


@pytest.mark.parametrize(("said", "answer"), [("네 좋아요", True), ("예", True), ("동의합니다", True),
                                               ("아니요", False), ("괜찮습니다", False), ("음", None)])
def test_spoken_consent(said, answer):
    assert prompts.yes_no(said) is answer


def test_a_conversation_ended_for_abuse_is_said_then_hung_up():
    """The abuse notice is spoken and the turn is marked so the call hangs up after it."""
    turn = render([{"text": "고객님, 성희롱에 해당하는 말씀이 있어 상담을 바로 종료합니다."},
                   {"custom": {"minwon": "conversation_ended", "reason": "sexual"}}])
    assert turn.ended and "종료합니다" in turn.speech and not turn.options and not turn.callback_offer
    assert not render([{"text": "안녕하세요"}, {"custom": {"minwon": "smalltalk"}}]).ended
