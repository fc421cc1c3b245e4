"""Rasa's REST channel, made strict and polite at the edge.

Same URL and body as the stock channel (``POST /webhooks/rest/webhook``,
``{"sender": …, "message": …}``), but bad input gets a clear JSON error in Korean instead
of an HTML page or silence: malformed or non-object JSON, a missing sender, a non-string
message, non-UTF-8 bytes (CP949 is accepted: Korean office PCs still send it), oversize
bodies. A message with no letters or digits (empty, spaces, only emoji) gets a polite
reply instead of nothing.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import handoff_relay
from minwon.dialogue import kinds
from minwon.privacy import mask_and_seal

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
MAX_MESSAGE_CHARS = 10_000
MAX_SENDER_CHARS = 200

EMPTY_REPLY = "궁금하신 내용을 글로 적어 주시면 찾아 드리겠습니다."
FAILURE_REPLY = (
    "죄송합니다. 일시적인 오류로 답변을 드리지 못했습니다. 잠시 후 다시 말씀해 주시거나 "
    "'상담원 연결'이라고 적어 주세요."
)


class BadRequest(ValueError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _error(exc: BadRequest) -> HTTPResponse:
    return response.json({"error": exc.code, "message": exc.message}, status=exc.status)


def _decode(body: bytes) -> str:
    for encoding in ("utf-8", "cp949"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadRequest(400, "bad_encoding", "요청 본문을 읽을 수 없습니다. UTF-8로 보내 주세요.")


def parse_body(body: bytes) -> Dict[str, Any]:
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(413, "too_large", f"요청이 너무 큽니다 (최대 {MAX_BODY_BYTES // 1024}KB).")
    try:
        data = json.loads(_decode(body) or "null")
    except json.JSONDecodeError as exc:
        raise BadRequest(400, "bad_json", f"JSON 형식이 올바르지 않습니다 ({exc.msg}, {exc.pos}번째 문자).") from exc
    if not isinstance(data, dict):
        raise BadRequest(400, "bad_json", '요청은 {"sender": "…", "message": "…"} 형식의 JSON 객체여야 합니다.')
    sender = data.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise BadRequest(400, "missing_sender", "sender(대화 상대 ID)가 필요합니다.")
    if len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(400, "bad_sender", f"sender가 너무 깁니다 (최대 {MAX_SENDER_CHARS}자).")
    message = data.get("message")
    if message is None:
        message = ""
    if not isinstance(message, str):
        raise BadRequest(400, "bad_message", "message는 문자열이어야 합니다.")
    message = unicodedata.normalize("NFC", message)
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadRequest(
            413, "message_too_long",
            f"메시지가 너무 깁니다 ({len(message):,}자). {MAX_MESSAGE_CHARS:,}자 이내로 나누어 보내 주세요.",
        )
    metadata = data.get("metadata")
    return {
        "sender": sender.strip(),
        "message": message,
        "metadata": metadata if isinstance(metadata, dict) else None,
        "input_channel": data.get("input_channel") if isinstance(data.get("input_channel"), str) else None,
    }


class ReplyCollector(CollectingOutputChannel):
    """Collects the replies under the name of the channel the citizen is on ("voice",
    "kakao", "web"): Rasa picks a response's ``channel:`` variation by the output channel's
    name, so domain.yml can say "말씀해 주세요" to a caller where a chat says "적어 주세요"."""

    def __init__(self, channel: str) -> None:
        super().__init__()
        self.channel = channel

    def name(self) -> str:  # type: ignore[override]  # per instance, not per class
        return self.channel

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        # Every message says what it is for machines (minwon/dialogue/kinds.py).
        marker = kinds.marker(message)
        await super().send_response(recipient_id, dict(message))
        if marker is not None:
            self.messages.append({"recipient_id": recipient_id, "custom": marker})


class KoreanRestInput(RestInput):
    """Drop-in replacement for the ``rest`` channel (see module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                data = parse_body(request.body or b"")
            except BadRequest as exc:
                return _error(exc)
            sender, text = data["sender"], data["message"]
            if not any(ch.isalnum() for ch in text):
                # Nothing to understand (empty, spaces, only emoji or punctuation).
                return response.json([{"recipient_id": sender, "text": EMPTY_REPLY},
                                      {"recipient_id": sender, "custom": {"minwon": kinds.INVITE}}])
            # Rasa (tracker store, logs) only ever sees the masked text; the original, if
            # masking changed it, travels sealed for the counsellor's view.
            masked, sealed = mask_and_seal(text)
            metadata = dict(data["metadata"] or {})
            metadata.pop("sealed", None)  # only we seal
            if sealed:
                metadata["sealed"] = sealed
            channel = data["input_channel"] or self.name()
            collector = ReplyCollector(channel)
            try:
                await on_new_message(UserMessage(masked, collector, sender, input_channel=channel, metadata=metadata))
                if not collector.messages and await handoff_relay.is_paused(request.app.ctx.agent, sender):
                    # With a counsellor: Rasa logged the turn; the console needs it too.
                    result = await handoff_relay.relay(sender, masked, channel, sealed)
                    if result is not None and not result.get("handled"):
                        # The handoff ended while the resume was on its way: the bot answers.
                        await handoff_relay.resume(request.app.ctx.agent, sender)
                        await on_new_message(UserMessage(masked, collector, sender, input_channel=channel,
                                                         metadata=metadata))
                    else:
                        collector.messages.extend(handoff_relay.relay_replies(sender, result))
            except CancelledError:
                logger.error("rest: message handling timed out for %s", sender)
            except Exception:  # the citizen gets a polite reply; the log gets the details
                logger.exception("rest: message handling failed for %s", sender)
                if not collector.messages:
                    collector.messages.append({"recipient_id": sender, "text": FAILURE_REPLY})
                    collector.messages.append({"recipient_id": sender, "custom": {"minwon": kinds.ERROR}})
            return response.json(collector.messages)

        return webhook


