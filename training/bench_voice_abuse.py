"""How often a caller would be warned for abuse because Whisper misheard them, and how much
real abuse a confidence floor on the voice channel would let pass.

    .venv/svc/bin/python -m training.bench_voice_abuse [--model models/x.tar.gz] [--n 500] [--shared ../shared/data]

Three sets go through the trained NLU (Rasa's /model/parse on a stack of its own):
- misheard questions: every held-out citizen question, spoken by espeak-ng, sent through
  μ-law and recognised by the gateway's Whisper with the DB's names put back, as a call
  would; none of them is abusive, so any `abuse` is a false warning;
- curse_detection_2runo's sentences labelled abusive (not used in training), and
- the same set's clean sentences.
For each floor, the share whose top intent is `abuse` with at least that confidence.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path
from typing import Any

import httpx

from devtools.stack import RASA_TOKEN, running_bot
from devtools.voice_client import caller_speech
from minwon.settings import ROOT, VoiceSettings
from voice_gateway.audio import Codec

HELDOUT = ROOT / "knowledge" / "sample_data" / "heldout_questions.csv"
FLOORS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)


def curse_sets(shared: Path, n: int, seed: int = 3) -> tuple[list[str], list[str]]:
    curses = shared / "curse_detection_2runo" / "dataset.txt"
    rows = [line.rsplit("|", 1) for line in curses.read_text(encoding="utf-8").splitlines() if "|" in line]
    abusive = [t.strip() for t, label in rows if label.strip() == "1" and t.strip()]
    clean = [t.strip() for t, label in rows if label.strip() == "0" and t.strip()]
    rng = random.Random(seed)
    return rng.sample(abusive, min(n, len(abusive))), rng.sample(clean, min(n, len(clean)))


def misheard_questions(api_url: str) -> list[str]:
    from minwon.retrieval.vocabulary import VocabularyCorrector
    from voice_gateway.stt import WhisperSTT

    with HELDOUT.open(encoding="utf-8") as f:
        queries = [r["query"] for r in csv.DictReader(f)]
    words = httpx.get(f"{api_url}/api/knowledge/vocabulary", timeout=10).json()["words"]
    corrector = VocabularyCorrector(words)
    stt = WhisperSTT(VoiceSettings())
    mu = Codec("audio/x-mulaw", 8000)
    heard = []
    for q in queries:
        text = stt.recognize(mu.decode(mu.encode(caller_speech(q)))).text
        if text:
            heard.append(corrector.correct(text)[0])
    return heard


def abuse_scores(rasa_url: str, texts: list[str]) -> list[float]:
    """The abuse confidence of each text whose top intent is abuse; 0 for the others."""
    scores = []
    with httpx.Client(timeout=30) as client:
        for text in texts:
            intent = client.post(f"{rasa_url}/model/parse", params={"token": RASA_TOKEN},
                                 json={"text": text}).json()["intent"]
            scores.append(float(intent["confidence"]) if intent["name"] == "abuse" else 0.0)
    return scores


def flagged(scores: list[float]) -> dict[str, float]:
    return {f"{floor:.1f}": round(sum(s > 0 and s >= floor for s in scores) / len(scores), 3) for floor in FLOORS}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", type=Path)
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = p.parse_args()
    abusive, clean = curse_sets(args.shared, args.n)
    figures: dict[str, Any] = {}
    with running_bot(args.model) as stack:
        misheard = misheard_questions(stack.api_url)
        for name, texts in (("misheard_questions", misheard), ("abusive", abusive), ("clean", clean)):
            scores = abuse_scores(stack.rasa_url, texts)
            figures[name] = {"n": len(texts), "abuse_at_or_above": flagged(scores)}
            if name == "misheard_questions":
                figures[name]["examples"] = [t for t, s in zip(texts, scores, strict=True) if s > 0][:10]
            print(name, json.dumps(figures[name], ensure_ascii=False), flush=True)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
