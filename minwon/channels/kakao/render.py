"""Rasa's replies as a Kakao SkillResponse 2.0 that Kakao will accept: answers as cards
with a call button, clarifications as a list card, other buttons as quick replies, a
handoff with the 상담톡 (operator) button, at most three outputs and 30 KB."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from minwon.channels.kakao import limits as L

log = logging.getLogger(__name__)


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split()) if n <= L.CARD_TITLE_MAX else text
    return text if len(text) <= n else text[: n - 1] + "…"


def split_text(text: str, n: int = L.SIMPLE_TEXT_MAX) -> list[str]:
    """Chunks of at most n characters, cut at a line break or space where possible."""
    text = text.strip()
    chunks = []
    while len(text) > n:
        cut = max(text.rfind("\n", 0, n), text.rfind(" ", 0, n))
        cut = cut if cut > n // 2 else n
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


@dataclass
class Rendered:
    response: dict[str, Any]
    # messageText a citizen may send back → the payload it stands for.
    labels: dict[str, str] = field(default_factory=dict)


def simple_text(text: str) -> dict[str, Any]:
    return {"simpleText": {"text": text[: L.SIMPLE_TEXT_MAX]}}


def wrap(outputs: list[dict[str, Any]], quick: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    template: dict[str, Any] = {"outputs": outputs or [simple_text("…")]}
    if quick:
        template["quickReplies"] = quick
    return {"version": "2.0", "template": template}


def text_only(text: str) -> dict[str, Any]:
    return wrap([simple_text(t) for t in split_text(text)[: L.OUTPUTS_MAX]])


def callback_ack(text: str) -> dict[str, Any]:
    return {"version": "2.0", "useCallback": True, "data": {"text": text}}


class _Builder:
    def __init__(self, block_id: str | None) -> None:
        self.block_id = block_id
        self.outputs: list[dict[str, Any]] = []
        self.texts: list[str] = []  # simpleText chunks, merged in order with cards
        self.quick: list[dict[str, Any]] = []
        self.labels: dict[str, str] = {}

    def action_for(self, label: str, payload: str) -> dict[str, Any]:
        """A message action; with a configured block, a block action carrying the payload
        in ``extra`` (Kakao returns it as action.clientExtra: no NLU guessing)."""
        self.labels[label] = payload
        if self.block_id:
            return {"action": "block", "blockId": self.block_id, "extra": {"payload": payload}}
        return {"action": "message", "messageText": label}

    def quick_reply(self, title: str, payload: str) -> None:
        label = _cut(title, L.QUICK_REPLY_LABEL_MAX)
        if len(self.quick) >= L.QUICK_REPLIES_MAX or any(q["label"] == label for q in self.quick):
            return
        self.quick.append({"label": label, **self.action_for(label, payload)})

    def text(self, text: str) -> None:
        for chunk in split_text(text):
            self.outputs.append(simple_text(chunk))

    def answer(self, text: str, meta: dict[str, Any]) -> None:
        phone = str(meta.get("phone") or "").strip()
        dept = str(meta.get("department") or "").strip()
        buttons = [{"label": "전화 걸기", "action": "phone", "phoneNumber": phone}] if phone else []
        if len(text) <= L.CARD_DESCRIPTION_MAX:
            card: dict[str, Any] = {"description": text}
            if meta.get("question"):
                card["title"] = _cut(str(meta["question"]), L.CARD_TITLE_MAX)
            if buttons:
                card["buttons"] = buttons
            self.outputs.append({"textCard": card})
            return
        self.text(text)
        if buttons:
            self.outputs.append(
                {
                    "textCard": {
                        "title": _cut(dept or "담당 부서", L.CARD_TITLE_MAX),
                        "description": _cut(f"전화 문의: {phone}", L.CARD_DESCRIPTION_MAX),
                        "buttons": buttons,
                    }
                }
            )

    def choices(self, text: str, buttons: list[dict[str, Any]]) -> None:
        entries = [b for b in buttons if str(b.get("payload", "")).startswith("/choose_entry")]
        others = [b for b in buttons if b not in entries]
        if entries:
            items = []
            for i, b in enumerate(entries[: L.LIST_ITEMS_MAX], 1):
                label = f"{i}. {b.get('title', '')}"
                items.append(
                    {
                        "title": _cut(str(b.get("title", "")), L.LIST_ITEM_TITLE_MAX),
                        **self.action_for(_cut(label, 60), str(b["payload"])),
                    }
                )
            self.outputs.append(
                {
                    "listCard": {
                        "header": {"title": _cut("찾으시는 안내를 골라 주세요", L.LIST_HEADER_MAX)},
                        "items": items,
                    }
                }
            )
            # The question itself as text first, so the card has its context.
            self.outputs.insert(len(self.outputs) - 1, simple_text(_cut(text, L.SIMPLE_TEXT_MAX)))
        else:
            self.text(text)
        for b in others:
            self.quick_reply(str(b.get("title", "")), str(b.get("payload", b.get("title", ""))))

    def handoff(self, text: str) -> None:
        self.text(text)
        # 상담톡: Kakao hands the chat to the agency's Kakao consultation desk; waiting
        # here keeps the citizen in our own queue with the transcript.
        self.outputs.append(
            {
                "textCard": {
                    "title": "상담원 연결",
                    "description": "카카오톡 상담톡으로 바로 상담하시거나, 이 창에서 기다리시면 상담원이 답변드립니다.",
                    "buttons": [{"label": "상담톡 연결", "action": "operator"}],
                }
            }
        )
        self.quick_reply("연결 취소", "취소")

    def finish(self) -> dict[str, Any]:
        outputs = _fit(self.outputs)
        response = wrap(outputs, self.quick)
        if len(json.dumps(response, ensure_ascii=False).encode("utf-8")) > L.RESPONSE_BYTES_MAX:
            log.warning("kakao reply over 30 KB; sending the text only")
            texts = " ".join(o["simpleText"]["text"] for o in outputs if "simpleText" in o)
            response = text_only(texts[: L.SIMPLE_TEXT_MAX * 2])
        return response


def _fit(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At most three outputs: merge neighbouring texts, then fold the overflow into text."""
    merged: list[dict[str, Any]] = []
    for o in outputs:
        prev = merged[-1] if merged else None
        if prev and "simpleText" in prev and "simpleText" in o:
            joined = prev["simpleText"]["text"] + "\n\n" + o["simpleText"]["text"]
            if len(joined) <= L.SIMPLE_TEXT_MAX:
                prev["simpleText"]["text"] = joined
                continue
        merged.append(o)
    if len(merged) <= L.OUTPUTS_MAX:
        return merged
    keep, rest = merged[: L.OUTPUTS_MAX - 1], merged[L.OUTPUTS_MAX - 1 :]
    text = "\n\n".join(_as_text(o) for o in rest)
    return [*keep, simple_text(_cut(text, L.SIMPLE_TEXT_MAX))]


def _as_text(output: dict[str, Any]) -> str:
    kind, body = next(iter(output.items()))
    if kind == "simpleText":
        return body["text"]
    if kind == "listCard":
        return "\n".join(i["title"] for i in body["items"])
    return "\n".join(x for x in (body.get("title"), body.get("description")) if x)


def render(messages: list[dict[str, Any]], block_id: str | None = None) -> Rendered:
    """``messages`` as Rasa's REST channel returns them."""
    b = _Builder(block_id)
    pending: dict[str, Any] | None = None  # a text waiting for its custom part

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            if pending.get("buttons"):
                b.choices(pending["text"], pending["buttons"])
            else:
                b.text(pending["text"])
        pending = None

    for m in messages:
        custom = m.get("custom") if isinstance(m.get("custom"), dict) else None
        if custom and custom.get("minwon") == "answer" and pending is not None:
            b.answer(pending["text"], custom)
            pending = None
        elif custom and custom.get("minwon") == "handoff" and pending is not None:
            b.handoff(pending["text"])
            pending = None
        elif custom and "handoff" in custom:
            flush()
            state = custom["handoff"] or {}
            b.text(_handoff_state_text(state))
        elif m.get("text"):
            flush()
            pending = {"text": str(m["text"]), "buttons": m.get("buttons") or []}
    flush()
    return Rendered(b.finish(), b.labels)


def _handoff_state_text(state: dict[str, Any]) -> str:
    if state.get("status") == "claimed":
        return "상담원에게 전달했습니다. 상담원이 곧 답변드립니다."
    place = f" {state['wait_text']}" if state.get("wait_text") else ""
    return f"상담원에게 전달했습니다.{place}"
