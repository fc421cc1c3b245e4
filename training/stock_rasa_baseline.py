"""Stock Rasa on a FAQ retrieval task, for comparison (runs in the Rasa venv).

WhitespaceTokenizer + CountVectorsFeaturizer (words, and char_wb 1–4) + ResponseSelector
with Rasa's defaults, trained on the same indexed sentences the minwon retriever sees.
(``text-label`` as second argument sets ``use_text_as_label``; on Rasa 3.6.21 it fails in
training with a label sequence-layer error. ``diet`` trains DIETClassifier with each entry
as its own intent instead, the other stock way to do FAQs.) Reads a JSON job
``{"index": [[id, text], ...], "queries": [[text, id], ...]}`` on stdin and prints one
JSON line with top-1/top-3 accuracy and per-query latency.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

# The same featurisation for both stock variants; only the last component differs.
CONFIG = """recipe: default.v1
language: ko
assistant_id: stock-baseline
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
{classifier}
policies: []
"""
DIET = """  - name: DIETClassifier
    epochs: {epochs}
    entity_recognition: false"""
SELECTOR = """  - name: ResponseSelector
    epochs: {epochs}
    retrieval_intent: faq
    use_text_as_label: {text_label}"""


def _yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def write_project(root: Path, index: list[list[str]], epochs: int, text_label: bool, diet: bool = False) -> None:
    if diet:
        # Each FAQ entry as its own intent, classified by DIET: the other stock way.
        config = CONFIG.format(classifier=DIET.format(epochs=epochs))
        (root / "config.yml").write_text(config, encoding="utf-8")
        nlu = ['version: "3.1"', "nlu:"]
        for entry_id, text in index:
            safe = text.replace("[", "(").replace("]", ")")
            nlu += [f"  - intent: e{entry_id}", "    examples: |", f"      - {safe}"]
        (root / "nlu.yml").write_text("\n".join(nlu) + "\n", encoding="utf-8")
        intents = ['version: "3.1"', "intents:", *[f"  - e{entry_id}" for entry_id, _ in index]]
        (root / "domain.yml").write_text("\n".join(intents) + "\n", encoding="utf-8")
        return
    selector = SELECTOR.format(epochs=epochs, text_label="true" if text_label else "false")
    config = CONFIG.format(classifier=selector)
    (root / "config.yml").write_text(config, encoding="utf-8")
    nlu = ['version: "3.1"', "nlu:"]
    responses = ['version: "3.1"', "intents:", "  - faq", "responses:"]
    for entry_id, text in index:
        safe = text.replace("[", "(").replace("]", ")")
        nlu += [f"  - intent: faq/e{entry_id}", "    examples: |", f"      - {safe}"]
        responses += [f"  utter_faq/e{entry_id}:", f"    - text: {_yaml_str(safe)}"]
    (root / "nlu.yml").write_text("\n".join(nlu) + "\n", encoding="utf-8")
    (root / "domain.yml").write_text("\n".join(responses) + "\n", encoding="utf-8")


async def run(job: dict, epochs: int, text_label: bool, diet: bool = False) -> dict:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root, job["index"], epochs, text_label, diet)
        t0 = time.perf_counter()
        model = train_nlu(
            str(root / "config.yml"), str(root / "nlu.yml"), str(root / "models"),
            domain=str(root / "domain.yml"),
        )
        train_s = time.perf_counter() - t0
        agent = Agent.load(model)
        top1 = top3 = 0
        times = []
        for text, expected in job["queries"]:
            t = time.perf_counter()
            parsed = await agent.parse_message(text)
            times.append((time.perf_counter() - t) * 1000)
            if diet:
                ids = [r["name"][1:] for r in parsed.get("intent_ranking", [])]
            else:
                ranking = parsed.get("response_selector", {}).get("faq", {}).get("ranking", [])
                ids = [r["intent_response_key"].split("/e", 1)[-1] for r in ranking]
            top1 += ids[:1] == [expected]
            top3 += expected in ids[:3]
    times.sort()
    n = max(len(job["queries"]), 1)
    return {
        "top1": round(top1 / n, 4),
        "top3": round(top3 / n, 4),
        "train_s": round(train_s, 1),
        "p50_ms": round(times[len(times) // 2], 2) if times else None,
        "p95_ms": round(times[int(len(times) * 0.95)], 2) if times else None,
    }


if __name__ == "__main__":
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    variant = sys.argv[2] if len(sys.argv) > 2 else "key-label"
    result = asyncio.run(run(json.load(sys.stdin), epochs, variant == "text-label", variant == "diet"))
    print(json.dumps(result))
