"""What the voicebot itself says (the dialogue's answers come from Rasa). Polite, short,
and with the keypad choice spelt out, as an elderly caller needs it. Numbers are written
as on screen; speech_text reads them the Korean way (phone numbers digit by digit)."""

from __future__ import annotations

import re

AGENCY = "예시시"
CALL_CENTRE = "120"

GREETING = (
    f"안녕하십니까, {AGENCY} 민원 안내 음성 서비스입니다. 궁금하신 내용을 편하게 말씀해 주세요. "
    "상담원 연결을 원하시면 언제든 0번을 눌러 주세요."
)
REPROMPT = "말씀을 듣지 못했습니다. 궁금하신 내용을 말씀해 주세요. 상담원 연결은 0번입니다."
GOODBYE_SILENCE = "말씀이 없으셔서 전화를 끊겠습니다. 이용해 주셔서 감사합니다. 안녕히 계세요."
GOODBYE = "이용해 주셔서 감사합니다. 안녕히 계세요."
NOT_HEARD = "죄송합니다. 잘 듣지 못했습니다. 다시 한 번 말씀해 주시겠어요?"
NOT_UNDERSTOOD = "죄송합니다. 말씀을 이해하지 못했습니다. 조금 짧게 다시 말씀해 주세요."
TOO_LONG = "말씀이 길어 여기까지 듣고 찾아 보겠습니다."
DIALOGUE_DOWN = (
    "죄송합니다. 지금 안내 시스템에 문제가 있어 답변을 드리기 어렵습니다. "
    "상담원이 다시 전화드리기를 원하시면 0번을 눌러 주세요."
)
MENU_ONE = "혹시 이 내용을 찾으시나요?"
CALL_TIME_UP = "통화 시간이 길어져 전화를 마치겠습니다. 더 궁금하신 점은 다시 전화해 주세요. 안녕히 계세요."

CONSENT_PURPOSE = (
    "상담원이 전화를 드리기 위해 전화번호를 수집하고 이용합니다. 이용 목적은 전화 상담이며, "
    "상담이 끝나면 1년간 보관한 뒤 파기합니다."
)
ASK_NUMBER = "연락받으실 전화번호를 눌러 주시고, 마지막에 우물 정자를 눌러 주세요."
BAD_NUMBER = "전화번호를 확인하지 못했습니다. 연락받으실 번호를 다시 눌러 주시고, 마지막에 우물 정자를 눌러 주세요."
CALLBACK_DECLINED = (
    f"예약하지 않았습니다. 평일 오전 9시부터 오후 6시까지 {CALL_CENTRE}번으로 전화 주시면 "
    "상담원과 통화하실 수 있습니다. "
    "다른 궁금한 점이 있으시면 말씀해 주세요."
)
CALLBACK_FAILED = (
    f"죄송합니다. 지금 예약을 접수하지 못했습니다. 평일 근무 시간에 {CALL_CENTRE}번으로 전화해 주세요. 안녕히 계세요."
)


def callback_offer(phone: str | None, urgent_phone: str = "") -> str:
    lead = "상담원이 근무 시간에 전화를 드리도록 예약해 드리겠습니다. "
    if urgent_phone:
        lead = f"급한 일이시면 당직실 {urgent_phone}번으로 바로 전화해 주세요. " + lead
    if phone:
        return (f"{lead}{CONSENT_PURPOSE} 지금 거신 번호 {phone}번으로 연락드려도 될까요? "
                "동의하시면 1번, 다른 번호로 받으시려면 3번, 원하지 않으시면 2번을 눌러 주세요. "
                "'네' 또는 '아니요'로 말씀하셔도 됩니다.")
    return f"{lead}{CONSENT_PURPOSE} {ASK_NUMBER}"


def confirm_number(phone: str) -> str:
    return (f"누르신 번호는 {phone}번입니다. 이 번호로 연락드려도 될까요? "
            "동의하시면 1번, 다시 누르시려면 3번, 원하지 않으시면 2번을 눌러 주세요.")


def callback_done(phone: str, ticket_no: str) -> str:
    no = f" 접수 번호는 {ticket_no}번입니다." if ticket_no else ""
    return (f"전화 상담 예약을 접수했습니다.{no} 상담원이 근무 시간에 {phone}번으로 연락드리겠습니다. "
            "이용해 주셔서 감사합니다. 안녕히 계세요.")


def menu(lead: str, titles: list[str], has_none: bool) -> str:
    items = " ".join(f"{i}번, {t.rstrip('…')}." for i, t in enumerate(titles, start=1))
    tail = " 해당하는 내용이 없으면 별표를 눌러 주세요." if has_none else ""
    lead = re.sub(r"\s*(맞으면|찾으시는 내용을).*$", "", lead).strip()
    return f"{lead} {items} 번호를 누르시거나 번호를 말씀해 주세요.{tail}"


_SPOKEN_DIGITS = {"일": "1", "하나": "1", "첫": "1", "이": "2", "둘": "2", "두": "2", "삼": "3", "셋": "3",
                  "세": "3", "사": "4", "넷": "4", "네": "4", "오": "5", "다섯": "5"}
_CHOICE = re.compile(r"(\d|일|이|삼|사|오)\s*번|(첫|두|세|네|다섯)\s*번째|(하나|둘|셋|넷)")


def spoken_choice(text: str) -> str | None:
    """"2번이요", "두 번째요" → "2"."""
    m = _CHOICE.search(text.replace(" ", ""))
    if not m:
        return None
    word = next(g for g in m.groups() if g)
    return word if word.isdigit() else _SPOKEN_DIGITS.get(word)


_YES = ("네", "예", "응", "동의", "좋아", "그래", "맞아", "맞습니다")
_NO = ("아니", "싫", "안 해", "안해", "괜찮", "됐어", "필요 없")


def yes_no(text: str) -> bool | None:
    t = text.strip()
    if any(w in t for w in _NO):
        return False
    if any(t.startswith(w) or w in t for w in _YES):
        return True
    return None
