"""Korean wording of what the bot says, in one place (polite public-office style)."""

from __future__ import annotations

from typing import Any, Dict, List

from actions.config import CITY_CALL_CENTRE

MAX_BUTTON_TITLE = 40

HANDOFF_REASON_TEXT = {
    "requested_human": "상담원 연결을 요청하셔서",
    "no_match": "찾으시는 내용에 맞는 안내를 찾지 못해",
    "needs_human": "이 내용은 본인 확인이나 담당자 검토가 필요해",
    "abusive": "원활한 상담을 위해",
    "low_confidence": "정확한 안내를 위해",
}


def answer_text(entry: Dict[str, Any]) -> str:
    text = entry.get("answer", "").strip()
    dept, phone = entry.get("department", ""), entry.get("phone", "")
    if dept and phone:
        text += f"\n담당: {dept} ({phone})"
    elif dept or phone:
        text += f"\n담당: {dept or phone}"
    return text


def answer_meta(entry: Dict[str, Any]) -> Dict[str, Any]:
    return {"minwon": "answer", "entry_id": entry.get("id"), "question": entry.get("question", ""),
            "department": entry.get("department", ""), "phone": entry.get("phone", ""),
            "needs_human": bool(entry.get("needs_human")),
            # The answer phrased for the ear, for the voicebot.
            "spoken": entry.get("spoken_answer") or entry.get("answer", "")}


def clarify_text(n: int, category: str = "") -> str:
    if n == 1:
        return "혹시 아래 내용을 찾으시나요? 맞으면 눌러 주시고, 아니면 '해당 없음'을 눌러 주세요."
    if category:
        # Category first: the topic is clear, the entry is not, so ask within the topic.
        return f"{category} 관련 안내가 여러 가지 있습니다. 어떤 내용이 궁금하신지 골라 주세요."
    return "비슷한 안내가 여러 개 있습니다. 찾으시는 내용을 골라 주세요."


def choice_buttons(choices: List[Dict[str, Any]]) -> List[Dict[str, str]]:
    buttons = []
    for c in choices:
        title = c.get("question", "")
        if len(title) > MAX_BUTTON_TITLE:
            title = title[: MAX_BUTTON_TITLE - 1] + "…"
        buttons.append({"title": title, "payload": f'/choose_entry{{"entry_id":"{c["id"]}"}}'})
    buttons.append({"title": "해당 없음", "payload": "/none_of_these"})
    return buttons


def handoff_text(reason: str, ticket: Dict[str, Any]) -> str:
    lead = HANDOFF_REASON_TEXT.get(reason, "정확한 안내를 위해")
    if ticket.get("spooled") or not ticket.get("id"):
        return (
            f"{lead} 상담원에게 연결을 요청했습니다. 지금 접수 시스템이 잠시 느려 조금 늦어질 수 있습니다. "
            f"급하시면 예시시 콜센터({CITY_CALL_CENTRE})로 전화해 주세요."
        )
    wait = ticket.get("wait_text") or ""
    return (
        f"{lead} 상담원에게 연결해 드리겠습니다. 지금까지 나눈 대화는 상담원에게 그대로 전달되니 "
        f"같은 내용을 다시 설명하지 않으셔도 됩니다. {wait} 기다리지 않으시려면 '취소'라고 적어 주세요."
    ).replace("  ", " ")


CALLBACK_BUTTONS = [
    {"title": "전화 상담 예약", "payload": "/request_callback"},
    {"title": "괜찮습니다", "payload": "/deny"},
]


def closed_text(reason: str, avail: Dict[str, Any]) -> str:
    # "상담원 연결을 요청하셔서 상담원 연결이 필요하지만 … (업무 시간 외)" read as a form letter:
    # say plainly that counsellors are off now, when they are back, and what can be done.
    why = avail.get("closed_reason") or "업무 시간 외"
    back = avail.get("reopen_text") or "다음 근무일 오전"
    if why == "업무 시간 외":
        now = "지금은 상담원 근무 시간이 아닙니다."
    elif why == "주말":
        now = "오늘은 주말이라 상담원 근무 시간이 아닙니다."
    else:
        now = f"오늘은 공휴일({why})이라 상담원 근무 시간이 아닙니다."
    text = f"{now} 상담원은 {back}부터 상담합니다. 전화로 연락받기를 원하시면 '전화 상담 예약'을 눌러 주세요."
    if avail.get("urgent"):
        text += f" 급한 일이시면 당직실({avail.get('duty_officer_phone')})로 바로 전화해 주세요."
    return text


def callback_done_text(phone_masked: str, preferred: str, ticket: Dict[str, Any]) -> str:
    if ticket.get("spooled") or not ticket.get("id"):
        return (f"전화 상담 예약을 받았습니다. 접수 시스템이 잠시 느려 확인이 늦어질 수 있습니다. "
                f"급하시면 예시시 콜센터({CITY_CALL_CENTRE})로 전화해 주세요.")
    return (f"전화 상담 예약을 접수했습니다. 상담원이 근무 시간에 {phone_masked} 번호로 연락드리겠습니다 "
            f"(희망 시간: {preferred}). 더 궁금하신 점이 있으면 적어 주세요.")


CALLBACK_CANCELLED = "전화 상담 예약을 취소했습니다. 더 궁금하신 점이 있으면 적어 주세요."
CALLBACK_NO_CONSENT = (
    "동의하지 않으시면 전화 상담 예약을 할 수 없습니다. 평일 근무 시간에 '상담원 연결'이라고 적어 주시거나 "
    f"예시시 콜센터({CITY_CALL_CENTRE})로 전화해 주세요."
)
CALLBACK_BAD_PHONE = (
    "전화번호를 확인하지 못했습니다. 숫자로 다시 적어 주세요. (예: 010-1234-5678) 그만두시려면 '취소'라고 적어 주세요."
)
CALLBACK_OFFER_AGAIN = "전화로 연락받기를 원하시면 '전화 상담 예약'을, 아니면 '괜찮습니다'를 눌러 주세요."
CALLBACK_PAUSED = (
    "전화 상담 예약은 잠시 멈추었습니다. 예약을 이어서 하시려면 '전화 상담 예약'이라고 적어 주세요."
)
CALLBACK_ASK_CONSENT_AGAIN = "동의하시면 '동의합니다', 아니면 '동의하지 않습니다'를 눌러 주세요."
CALLBACK_ASK_TIME_AGAIN = "연락받기 편한 시간을 적어 주세요. (예: 내일 오전, 평일 오후 2시 이후)"
CALLBACK_DECLINED = "알겠습니다. 다른 궁금하신 점이 있으면 적어 주세요."


def api_down_text() -> str:
    return (
        "죄송합니다. 지금 안내 자료를 잠시 불러올 수 없습니다. 잠시 후 다시 물어봐 주시거나, "
        f"급하시면 예시시 콜센터({CITY_CALL_CENTRE})로 전화해 주세요."
    )


# Fixed texts live in domain.yml as responses, where they are edited without code.
EMPTY_MESSAGE = "utter_empty_message"
NOTHING_PENDING_YES = "utter_affirm_ack"
NOTHING_PENDING_NO = "utter_deny_ack"
REPHRASE = "utter_ask_rephrase"
ABUSE_WARNING = "utter_abuse_warning"
UNKNOWN_ENTRY = "utter_unknown_entry"
