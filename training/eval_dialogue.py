"""Multi-turn conversations through the real REST channel, scored per turn.

    make eval-dialogue [DIALOGUES=knowledge/sample_data/dialogue_eval.yml] [RASA_URL=http://127.0.0.1:5005]

Without RASA_URL a throwaway stack (API, action server, Rasa with a freshly trained model on
the sample DB) is started and stopped. Each conversation is a list of turns; every turn names
what the bot must do (see the file's header). A conversation is right when every turn is.
The last line printed is one JSON object: conversations, conversations_right, turns,
turns_right, by_kind, p50_ms, p95_ms, failures (the first few, for reading).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import yaml

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "sample_data" / "dialogue_eval.yml"

# How a reply is recognised. Texts come from domain.yml and actions/messages.py.
INVITE_MARKS = ("어떤 점이 궁금하신가요", "어떤 내용이 궁금하신가요", "무엇을 도와드릴까요")
FILLER_MARKS = ("천천히 말씀해 주세요", "기다리고 있겠습니다")
FORM_MARKS = ("전화번호를 적어", "전화번호를 확인하지 못했습니다", "수집·이용", "동의하시면", "연락받기 편한 시간")
REJECT_MARKS = ("찾지 못했습니다", "안내해 드리기 어렵습니다", "조금 다르게 말씀해")


def read_reply(replies: list[dict[str, Any]]) -> dict[str, Any]:
    text = "\n".join(r.get("text") or "" for r in replies)
    answered = [r["custom"].get("entry_id") for r in replies
                if isinstance(r.get("custom"), dict) and r["custom"].get("minwon") == "answer"]
    offered = []
    for r in replies:
        for b in r.get("buttons") or []:
            payload = b.get("payload") or ""
            if payload.startswith("/choose_entry"):
                try:
                    offered.append(json.loads(payload[len("/choose_entry"):])["entry_id"])
                except (ValueError, KeyError):
                    pass
    return {"text": text, "answered": answered, "offered": offered}


def check(expect: dict[str, Any], reply: dict[str, Any]) -> str | None:
    """None when the reply does what ``expect`` asks, else why not."""
    text, answered, offered = reply["text"], reply["answered"], reply["offered"]
    if not text.strip() and not answered:
        return "no reply"
    if "answer" in expect:
        want = expect["answer"]
        return None if want in answered else f"wanted answer {want}, got answered={answered} offered={offered}"
    if "offer" in expect:
        want = expect["offer"]
        return None if want in answered or want in offered else (
            f"wanted {want} answered or offered, got answered={answered} offered={offered}")
    kind = expect.get("kind")
    if kind == "invite":
        return None if any(m in text for m in INVITE_MARKS) and not answered else f"wanted invitation: {text[:80]!r}"
    if kind == "filler":
        return None if not answered and not any(m in text for m in FORM_MARKS + REJECT_MARKS) else (
            f"wanted a patient filler reply: {text[:80]!r}")
    if kind == "form":
        return None if any(m in text for m in FORM_MARKS) else f"wanted the form to ask: {text[:80]!r}"
    if kind == "no_form":
        return None if not any(m in text for m in FORM_MARKS[:2]) else f"form trapped the citizen: {text[:80]!r}"
    if kind == "not_answer":
        return None if not answered else f"should not answer, answered {answered}"
    if kind == "contains":
        want = expect["text"]
        return None if want in text else f"wanted {want!r} in {text[:80]!r}"
    if kind == "any":
        return None
    return f"unknown expectation {expect}"


def play(rasa_url: str, conversations: list[dict[str, Any]], verbose: bool = False) -> dict[str, Any]:
    times: list[float] = []
    right = turns = turns_right = 0
    by_kind: dict[str, list[int]] = {}
    failures: list[dict[str, Any]] = []
    with httpx.Client(base_url=rasa_url, timeout=60) as client:
        for conv in conversations:
            sender = f"eval-{uuid.uuid4().hex[:12]}"
            ok = True
            for i, turn in enumerate(conv["turns"]):
                body: dict[str, Any] = {"sender": sender, "message": turn["say"]}
                if conv.get("channel"):
                    body["input_channel"] = conv["channel"]
                t0 = time.perf_counter()
                r = client.post("/webhooks/rest/webhook", json=body)
                times.append((time.perf_counter() - t0) * 1000)
                reply = read_reply(r.json() if r.status_code == 200 else [])
                why = f"HTTP {r.status_code}" if r.status_code != 200 else check(turn.get("expect") or {"kind": "any"},
                                                                                reply)
                turns += 1
                turns_right += why is None
                if why is not None:
                    ok = False
                    failures.append({"conversation": conv["name"], "turn": i, "say": turn["say"][:80], "why": why})
                    if verbose:
                        print(f"✗ {conv['name']} #{i} {turn['say'][:40]!r}: {why}", file=sys.stderr)
            right += ok
            stats = by_kind.setdefault(conv.get("kind", "other"), [0, 0])
            stats[0] += ok
            stats[1] += 1
    arr = np.asarray(times) if times else np.zeros(1)
    return {
        "conversations": len(conversations), "conversations_right": right,
        "conversation_accuracy": round(right / max(len(conversations), 1), 4),
        "turns": turns, "turns_right": turns_right,
        "by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_kind.items())},
        "p50_ms": round(float(np.percentile(arr, 50)), 1), "p95_ms": round(float(np.percentile(arr, 95)), 1),
        "failures": failures[:15],
    }


def load(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data["conversations"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dialogues", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--rasa-url", default="")
    ap.add_argument("--kind", default="", help="only conversations of this kind")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    conversations = [c for c in load(args.dialogues) if not args.kind or c.get("kind") == args.kind]
    if args.rasa_url:
        result = play(args.rasa_url, conversations, args.verbose)
    else:
        from devtools.stack import running_bot

        with running_bot() as stack:
            result = play(stack.rasa_url, conversations, args.verbose)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
