"""Reading Kakao's SkillPayload into what the dialogue needs."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from minwon.errors import MinwonError

MAX_BODY_BYTES = 256 * 1024
MAX_UTTERANCE = 10_000


class PayloadError(MinwonError, ValueError):
    code = "kakao_payload"


@dataclass
class KakaoRequest:
    user_key: str  # userRequest.user.id (botUserKey, per bot)
    utterance: str
    bot_id: str = ""
    callback_url: str | None = None
    trigger: str = ""  # flow.trigger.type, when Kakao sends it
    client_extra: dict[str, Any] = field(default_factory=dict)
    # Photos and files: Kakao puts their URLs in params (secureimage/image) and the
    # utterance; we cannot read them, so the citizen is asked to write instead.
    has_attachment: bool = False

    @property
    def conversation_id(self) -> str:
        return f"kakao:{self.user_key}"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse(body: bytes, callback_prefixes: tuple[str, ...] = ("https://",)) -> KakaoRequest:
    if len(body) > MAX_BODY_BYTES:
        raise PayloadError(413, f"요청이 너무 큽니다 (최대 {MAX_BODY_BYTES // 1024}KB).")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PayloadError(400, "요청 본문이 UTF-8이 아닙니다.") from exc
    except json.JSONDecodeError as exc:
        raise PayloadError(400, f"JSON 형식이 올바르지 않습니다 ({exc.msg}).") from exc
    if not isinstance(data, dict):
        raise PayloadError(400, "SkillPayload는 JSON 객체여야 합니다.")
    user_request = _dict(data.get("userRequest"))
    user = _dict(user_request.get("user"))
    user_key = user.get("id")
    if not isinstance(user_key, str) or not user_key.strip() or len(user_key) > 200:
        raise PayloadError(400, "userRequest.user.id(botUserKey)가 없거나 올바르지 않습니다.")
    utterance = user_request.get("utterance")
    utterance = unicodedata.normalize("NFC", utterance) if isinstance(utterance, str) else ""
    action = _dict(data.get("action"))
    params = _dict(action.get("params")) | _dict(user_request.get("params"))
    attachment = any(k in params for k in ("secureimage", "image", "file", "video", "audio"))
    callback = user_request.get("callbackUrl")
    trigger = _dict(_dict(data.get("flow")).get("trigger")).get("type")
    return KakaoRequest(
        user_key=user_key.strip(),
        utterance=utterance.strip(),
        bot_id=str(_dict(data.get("bot")).get("id") or ""),
        # Only where Kakao's callback lives: a request must not make us POST anywhere else.
        callback_url=callback if isinstance(callback, str) and callback.startswith(callback_prefixes) else None,
        trigger=trigger if isinstance(trigger, str) else "",
        client_extra=_dict(action.get("clientExtra")),
        has_attachment=attachment,
    )
