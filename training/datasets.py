"""Loaders for the open Korean data sets in ../shared/data (never copied into the repo)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from minwon.settings import ROOT

SHARED_DATA = Path(os.environ.get("MINWON_SHARED_DATA", ROOT.parent / "shared" / "data"))


def parakqc() -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """paraKQC (CC BY-SA 4.0): 1,000 sets × 10 paraphrases. Returns (index, queries):
    the first sentence of each set as (id, topic, text), the other nine as (text, id)."""
    path = SHARED_DATA / "paraKQC" / "paraKQC_v1_with_setid.tsv"
    sets: dict[str, list[str]] = {}
    topics: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            sets.setdefault(row["set_id"], []).append(row["utterance"].strip())
            topics[row["set_id"]] = row["col0_topic"]
    ids = sorted(sets, key=int)
    index = [(i, topics[i], sets[i][0]) for i in ids]
    queries = [(q, i) for i in ids for q in sets[i][1:]]
    return index, queries


def chitchat_questions() -> list[str]:
    """songys Chatbot_data (MIT): everyday chit-chat a public-office bot must not answer."""
    path = SHARED_DATA / "songys_chatbot_data" / "ChatbotData.csv"
    with path.open(encoding="utf-8") as f:
        return list(dict.fromkeys(r["Q"].strip() for r in csv.DictReader(f) if r["Q"].strip()))
