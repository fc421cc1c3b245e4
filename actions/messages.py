"""Korean wording of what the bot says, in one place (polite public-office style)."""

from __future__ import annotations

from typing import Any, Dict, List

from actions.config import CITY_CALL_CENTRE

MAX_BUTTON_TITLE = 40

HANDOFF_REASON_TEXT = {
    "requested_human": "상담원 연결을 요청하셔서",
    "no_match": "찾으시는 내용을 상담 DB에서 찾지 못해",
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


def clarify_text(n: int) -> str:
    if n == 1:
        return "혹시 아래 내용을 찾으시나요? 맞으면 눌러 주시고, 아니면 '해당 없음'을 눌러 주세요."
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
    position: int | None = ticket.get("position")
    place = f" 현재 대기 순서는 {position}번째입니다." if position else ""
    return (
        f"{lead} 상담원에게 연결해 드리겠습니다. 지금까지 나눈 대화는 상담원에게 그대로 전달되니 "
        f"같은 내용을 다시 설명하지 않으셔도 됩니다.{place}"
    )


def api_down_text() -> str:
    return (
        "죄송합니다. 지금 상담 DB에 잠시 연결할 수 없습니다. 잠시 후 다시 물어봐 주시거나, "
        f"급하시면 예시시 콜센터({CITY_CALL_CENTRE})로 전화해 주세요."
    )


# Fixed texts live in domain.yml as responses, where they are edited without code.
EMPTY_MESSAGE = "utter_empty_message"
NOTHING_PENDING_YES = "utter_affirm_ack"
NOTHING_PENDING_NO = "utter_deny_ack"
REPHRASE = "utter_ask_rephrase"
ABUSE_WARNING = "utter_abuse_warning"
UNKNOWN_ENTRY = "utter_unknown_entry"
