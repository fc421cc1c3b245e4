"""Intent examples: those in nlu_data/ (kept in git by developers) and those knowledge
managers add from the admin page (kept in the database, written out at training time)."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import Engine, select

from minwon.db.models import NluExample
from minwon.db.session import session_scope
from minwon.settings import ROOT
from minwon.text import clean

NLU_DIR = ROOT / "nlu_data"
# ask_question examples come from the counseling DB itself; these intents take examples.
EDITABLE = (
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "request_human",
    "bot_challenge",
    "abuse",
    "out_of_scope",
    "request_callback",
    "none_of_these",
)


class ExampleError(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def file_examples() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted(NLU_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if "intent" in item:
                lines = [
                    ln.strip()[2:].strip()
                    for ln in str(item.get("examples", "")).splitlines()
                    if ln.strip().startswith("- ")
                ]
                out.setdefault(item["intent"], []).extend(lines)
    return out


def managed(engine: Engine) -> list[NluExample]:
    with session_scope(engine) as s:
        return list(s.scalars(select(NluExample).order_by(NluExample.intent, NluExample.id)))


def add(engine: Engine, intent: str, text: str, user: str) -> NluExample:
    if intent not in EDITABLE:
        raise ExampleError(422, f"예문을 추가할 수 없는 의도입니다: {intent[:50]}")
    text = clean(text, 300).strip()
    if not any(ch.isalnum() for ch in text):
        raise ExampleError(422, "예문이 비어 있습니다.")
    key = text.replace(" ", "")
    owners = {i for i, exs in file_examples().items() for e in exs if e.replace(" ", "") == key}
    owners |= {m.intent for m in managed(engine) if m.text.replace(" ", "") == key}
    if owners - {intent}:
        raise ExampleError(
            409,
            f"같은 예문이 다른 의도({', '.join(sorted(owners - {intent}))})에 있습니다. "
            "한 문장은 한 의도에만 넣어 주세요.",
        )
    if intent in owners:
        raise ExampleError(409, "이미 있는 예문입니다.")
    example = NluExample(intent=intent, text=text, added_by=user)
    with session_scope(engine) as s:
        s.add(example)
    return example


def remove(engine: Engine, example_id: int) -> None:
    with session_scope(engine) as s:
        row = s.get(NluExample, example_id)
        if row is None:
            raise ExampleError(404, "예문을 찾을 수 없습니다.")
        s.delete(row)


def write_training_file(engine: Engine, out: Path) -> int:
    by_intent: dict[str, list[str]] = {}
    for m in managed(engine):
        by_intent.setdefault(m.intent, []).append(m.text.replace("[", "(").replace("]", ")"))
    lines = ["# Generated from the examples knowledge managers added; do not edit by hand.", 'version: "3.1"', "nlu:"]
    for intent, texts in sorted(by_intent.items()):
        lines += [f"  - intent: {intent}", "    examples: |", *[f"      - {t}" for t in texts]]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sum(len(v) for v in by_intent.values())
