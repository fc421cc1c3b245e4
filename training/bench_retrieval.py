"""Retrieval at 10,000 entries: query latency (encoding included), cold indexing time,
and how long a DB edit takes to become answerable through the live retriever.

    .venv/svc/bin/python -m training.bench_retrieval [--entries 10000] [--queries 1000]

Entries are the 10,000 paraKQC sentences (../shared/data, CC BY-SA 4.0), each its own
entry; queries are songys chit-chat and paraKQC sentences, so both answer and reject
paths are timed.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import update

from minwon.db.models import Entry
from minwon.db.session import make_engine, migrate, session_scope
from minwon.retrieval.retriever import LiveRetriever
from minwon.settings import get_settings
from training.datasets import chitchat_questions, parakqc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    settings = get_settings()
    index, queries = parakqc()
    sentences = [t for _, _, t in index] + [q for q, _ in queries]
    sentences = list(dict.fromkeys(sentences))[: args.entries]
    rng = random.Random(7)

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        migrate(engine)
        with session_scope(engine) as s:
            s.add_all(
                Entry(id=f"P{i:05d}", category="paraKQC", question=t, answer=f"답변 {i}", updated_by="bench")
                for i, t in enumerate(sentences)
            )
        retriever = LiveRetriever.from_settings(settings.retrieval, engine, settings.offtopic_calibration)
        t0 = time.perf_counter()
        retriever.refresh(force=True)
        cold_index_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        retriever.refresh(force=True)
        warm_rebuild_s = time.perf_counter() - t0

        qs = rng.sample(chitchat_questions(), args.queries // 2) + rng.sample(sentences, args.queries // 2)
        times = []
        for q in qs:
            retriever._query_cache.clear()  # time the encoding of every query
            t = time.perf_counter()
            retriever.ask(q)
            times.append((time.perf_counter() - t) * 1000)

        retriever.settings = retriever.settings.model_copy(update={"refresh_interval_s": 1.0})
        retriever.start()
        edit_s = []
        for n in range(args.edits):
            target = f"P{rng.randrange(len(sentences)):05d}"
            question = f"예시시 우주 체험관 {n}번 전시실 관람 예약은 어떻게 하나요?"
            with session_scope(engine) as s:
                s.execute(update(Entry).where(Entry.id == target).values(
                    question=question, updated_at=datetime.now(timezone.utc), version=Entry.version + 1))
            t = time.perf_counter()
            while True:
                d = retriever.ask(question)
                if d.top is not None and d.top.entry.id == target and d.top.entry.question == question:
                    break
                if time.perf_counter() - t > 30:
                    raise SystemExit("edit not answerable after 30 s")
                time.sleep(0.05)
            edit_s.append(time.perf_counter() - t)
        retriever.stop()

    arr = np.asarray(times)
    report = {
        "entries": len(sentences),
        "queries": len(qs),
        "p50_ms": round(float(np.percentile(arr, 50)), 2),
        "p95_ms": round(float(np.percentile(arr, 95)), 2),
        "p99_ms": round(float(np.percentile(arr, 99)), 2),
        "cold_index_s": round(cold_index_s, 1),
        "rebuild_with_cached_vectors_s": round(warm_rebuild_s, 2),
        "edit_answerable_s": [round(x, 2) for x in edit_s],
        "edit_answerable_max_s": round(max(edit_s), 2),
    }
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
