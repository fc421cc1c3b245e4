"""What the citizen reads or hears about the handoff, in polite Korean, in one place."""

from __future__ import annotations

from minwon.handoff.queue import WaitEstimate


def wait_text(est: WaitEstimate) -> str:
    if est.position is None:
        return ""
    place = f"현재 대기 순서는 {est.position}번째입니다."
    if est.counsellors_online == 0:
        return place + " 지금 연결 가능한 상담원이 없어 예상 대기 시간을 알려 드리기 어렵습니다."
    if est.seconds is None:
        return place
    minutes = max(1, round(est.seconds / 60))
    return place + f" 예상 대기 시간은 약 {minutes}분입니다."


def claimed_text(display_name: str) -> str:
    return f"{display_name} 상담원이 연결되었습니다. 지금까지의 대화를 확인하고 있으니 잠시만 기다려 주세요."


RETURNED_TEXT = "상담원 상담이 끝나 다시 챗봇이 안내해 드리겠습니다. 더 궁금하신 점을 적어 주세요."
RESOLVED_TEXT = "상담이 종료되었습니다. 이용해 주셔서 감사합니다. 더 궁금하신 점이 있으면 언제든 적어 주세요."
CANCELLED_TEXT = "상담원 연결을 취소했습니다. 다시 챗봇이 안내해 드리겠습니다."


def transferred_text(department: str) -> str:
    return f"{department} 담당 상담원에게 연결을 넘겼습니다. 잠시만 기다려 주세요."
