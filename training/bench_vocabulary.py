"""How often putting the DB's names back (minwon/retrieval/vocabulary.py) rewrites text it
should not: everyday chat (songys ChatbotData, 11,823 sentences) and questions (paraKQC,
10,000) that are not about the DB's names, and the sample DB's held-out citizen questions
(typed, with their typos), at several distance limits; and the time it takes.

    .venv/svc/bin/python -m training.bench_vocabulary [--shared ../shared/data]

Last line: JSON with every figure."""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

from minwon.knowledge.files import read_path
from minwon.knowledge.rows import parse_rows
from minwon.retrieval.vocabulary import VocabularyCorrector, db_words
from minwon.settings import ROOT, SAMPLE_DB_CSV

HELDOUT = ROOT / "knowledge" / "sample_data" / "heldout_questions.csv"


def corpora(shared: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with HELDOUT.open(encoding="utf-8") as f:
        out["heldout_questions"] = [r["query"] for r in csv.DictReader(f)]
    chat = shared / "songys_chatbot_data" / "ChatbotData.csv"
    if chat.exists():
        with chat.open(encoding="utf-8") as f:
            out["chatbotdata"] = [r["Q"] for r in csv.DictReader(f)]
    para = shared / "paraKQC" / "paraKQC_v1.txt"
    if para.exists():
        lines = para.read_text(encoding="utf-8").splitlines()
        out["parakqc"] = [ln.split("\t")[-1].strip() for ln in lines[:10_000]]
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    p.add_argument("--limits", default="0.15,0.2,0.25,0.3")
    args = p.parse_args()
    rows, _errors = parse_rows(read_path(SAMPLE_DB_CSV))
    words = db_words(rows)
    figures: dict[str, object] = {"names": len(words)}
    texts = corpora(args.shared)
    for limit in (float(x) for x in args.limits.split(",")):
        corrector = VocabularyCorrector(words, limit)
        for name, sentences in texts.items():
            t0 = time.perf_counter()
            changed = [(s, corrector.correct(s)[0]) for s in sentences]
            took = time.perf_counter() - t0
            changed = [(a, b) for a, b in changed if a != b]
            figures[f"{limit}:{name}"] = {
                "sentences": len(sentences), "rewritten": len(changed),
                "ms_per_sentence": round(took * 1000 / max(1, len(sentences)), 3), "examples": changed[:8],
            }
            print(limit, name, f"{len(changed)}/{len(sentences)}", changed[:4], flush=True)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
