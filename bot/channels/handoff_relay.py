"""Messages of a conversation that is with a counsellor (Rasa has paused it) go to our
API, which shows them in the counsellor's console. Used by our input channels."""

from __future__ import annotations

import logging
from typing import Any, Dict

from minwon.clients.api import ApiUnavailable, MinwonApi

logger = logging.getLogger(__name__)

# The relay route is internal (api/service_auth.py): the client sends the service token,
# without which anyone could speak into a conversation as the citizen.
_api = MinwonApi(timeout_s=5)


async def is_paused(agent: Any, sender: str) -> bool:
    tracker = await agent.tracker_store.retrieve(sender)
    return bool(tracker is not None and tracker.is_paused())


async def resume(agent: Any, sender: str) -> None:
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, ConversationResumed

    tracker = await agent.tracker_store.retrieve(sender)
    if tracker is not None and tracker.is_paused():
        tracker.update(ConversationResumed())
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        await agent.tracker_store.save(tracker)


async def relay(sender: str, text: str, channel: str, sealed: str | None) -> Dict[str, Any] | None:
    """Hand the message to the counsellor side; None when the API could not take it."""
    try:
        return await _api.relay(sender, text, channel, sealed) or None
    except ApiUnavailable as exc:
        logger.warning("handoff relay for %s failed: %s", sender, exc)
        return None


WAITING_TEXT = "상담원에게 전달했습니다. 답변이 오면 바로 알려 드리겠습니다."
RELAY_FAILED_TEXT = (
    "죄송합니다. 지금 메시지를 상담원에게 전달하지 못했습니다. 잠시 후 다시 적어 주세요. "
    "상담원 연결을 그만두시려면 '취소'라고 적어 주세요."
)


def relay_replies(sender: str, result: Dict[str, Any] | None) -> list:
    """What the REST client gets back for a message sent while with a counsellor."""
    if result is None:
        return [{"recipient_id": sender, "text": RELAY_FAILED_TEXT}]
    if result.get("cancelled"):
        return [{"recipient_id": sender, "text": result.get("reply") or ""}]
    return [{"recipient_id": sender, "custom": {"handoff": result.get("state") or {}}}]
